using WorldModel.Plan.Evaluation;
using WorldModel.Plan.Mpc;

namespace WorldModel.Cli.Tests;

[Collection("cli")]
public sealed class CompareCommandTests
{
    private static PlanRow Row(int episode, bool strict, double seconds) =>
        new("jepa/latent", 0, "mppi", 16, new EpisodeResult(episode, PlanEpisode.Across, 30, 200, strict, strict, strict ? 40 : -1, strict ? 38 : -1, 40, 1.2f, 1.1f, 10, seconds));

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
