using WorldModel.Plan.Evaluation;
using WorldModel.Plan.Mpc;

namespace WorldModel.Cli.Tests;

[Collection("cli")]
public sealed class CompareCommandTests
{
    private static PlanRow Row(int episode, bool strict, double seconds) =>
        new("jepa/latent", 0, "mppi", 16, new EpisodeResult(
            Episode: episode,
            Kind: PlanEpisode.Across,
            TaskSteps: 30,
            Budget: 200,
            Strict: strict,
            Loose: strict,
            StrictStep: strict ? 40 : -1,
            LooseStep: strict ? 38 : -1,
            Steps: 40,
            FinalDistance: 1.2f,
            MinDistance: 1.1f,
            Replans: 10,
            PlanSeconds: seconds));

    [Fact]
    public void Given_two_runs_When_compared_Then_the_exit_code_says_identical_different_or_unreadable()
    {
        using var tmp = new TempFolder();
        PlanResults.Write(tmp["a"], [Row(0, true, 0.1), Row(1, false, 0.2)]);
        PlanResults.Write(tmp["b"], [Row(0, true, 0.7), Row(1, false, 0.9)]);
        PlanResults.Write(tmp["c"], [Row(0, true, 0.1), Row(1, true, 0.2)]);
        Assert.Equal(0, CliRunner.Run("compare", tmp["a"], tmp["b"]).ExitCode);
        Assert.Equal(3, CliRunner.Run("compare", tmp["a"], tmp["c"]).ExitCode);
        var missing = CliRunner.Run("compare", tmp["a"], tmp["nothing"]);
        Assert.NotEqual(0, missing.ExitCode);
        Assert.NotEqual(3, missing.ExitCode);
    }
}
