using System.Text.RegularExpressions;
using System.Text.Json.Nodes;

namespace WorldModel.Cli.Tests;

/// <summary>`wm sweep` here, one run after the other (SlurmExecutorTests sweeps on Slurm).</summary>
[Collection("cli")]
public sealed class SweepCommandTests
{
    private static readonly string[] Jepa =
    [
        "--device", "cpu", "--set",
        "models=[{\"name\":\"jepa\",\"model\":{\"widths\":[8,16],\"predictorHidden\":16},"
            + "\"train\":{\"steps\":10,\"batchSize\":8,\"rollout\":4,\"warmupSteps\":2}}]",
    ];

    [Fact]
    public void Given_a_two_point_grid_When_swept_here_Then_each_point_has_its_own_run_folder_and_the_table_and_plot_hold_both()
    {
        using var tmp = new TempFolder();
        string[] sweep = ["sweep", Repository.Config("tiny-experiment.json"), .. Jepa,
            "--grid", "evaluation.plannerHorizons=[2],[4]", "--out", tmp["sweep"]];
        var r = CliRunner.Run(sweep);
        Assert.True(r.ExitCode == 0, r.Error + r.Out);
        var runs = Directory.GetDirectories(tmp["sweep"], "run-*");
        Assert.Equal(2, runs.Length);
        Assert.All(runs, run => Assert.True(File.Exists(Path.Combine(run, "report.md")), run));
        var points = JsonNode.Parse(File.ReadAllText(Path.Combine(tmp["sweep"], "sweep.json")))!["points"]!.AsArray();
        Assert.Equal(["evaluation.plannerHorizons=[2]", "evaluation.plannerHorizons=[4]"],
            points.Select(p => p!["set"]![0]!.GetValue<string>()));
        AssertTableHoldsBothPoints(tmp["sweep"]);

        // Again: both runs are found finished, only the reports and the table are rewritten.
        var again = CliRunner.Run(sweep);
        Assert.True(again.ExitCode == 0, again.Error + again.Out);
        Assert.DoesNotContain("step      10/10", again.Out);
        Assert.Contains("train jepa seed 0: reusing", again.Out);
    }

    [Fact]
    public void Given_a_grid_over_an_evaluation_key_When_swept_here_Then_the_model_is_trained_once_and_the_later_point_copies_it()
    {
        using var tmp = new TempFolder();
        var r = CliRunner.Run(["sweep", Repository.Config("tiny-experiment.json"), .. Jepa,
            "--grid", "evaluation.plan.replanEvery=1,2", "--out", tmp["sweep"]]);
        Assert.True(r.ExitCode == 0, r.Error + r.Out);
        Assert.Single(Regex.Matches(r.Out, "step      10/10")); // one training, not one per point
        Assert.Contains("finished unit", r.Out);
        Assert.Contains("1 train", r.Out);
        var runs = Directory.GetDirectories(tmp["sweep"], "run-*");
        Assert.Equal(2, runs.Length);
        // Both points plan the same model, byte for byte; each planned its own way.
        var (made, copied) = (TrainedFiles.Of(runs[0]), TrainedFiles.Of(runs[1]));
        Assert.Contains(made, f => f.EndsWith(".bin", StringComparison.Ordinal));
        Assert.Equal(made.Select(f => Path.GetRelativePath(runs[0], f)),
            copied.Select(f => Path.GetRelativePath(runs[1], f)));
        foreach (var (a, b) in made.Zip(copied)) Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(b));
        Assert.All(runs, run => Assert.True(File.Exists(Path.Combine(run, "results.csv")), run));

        // A point's training with other settings is not copied: a grid over training steps trains at each point.
        var steps = CliRunner.Run(["sweep", Repository.Config("tiny-experiment.json"), .. Jepa,
            "--grid", "models.0.train.steps=10,12", "--out", tmp["steps"]]);
        Assert.True(steps.ExitCode == 0, steps.Error + steps.Out);
        Assert.Contains("step      10/10", steps.Out);
        Assert.Contains("step      12/12", steps.Out);
    }

    [Fact]
    public void Given_reuse_from_a_folder_that_is_not_a_run_Then_the_sweep_refuses_before_writing()
    {
        using var tmp = new TempFolder();
        Directory.CreateDirectory(tmp["empty"]);
        var r = CliRunner.Run(["sweep", Repository.Config("tiny-experiment.json"), .. Jepa,
            "--grid", "evaluation.plan.replanEvery=1,2", "--reuse-from", tmp["empty"], "--out", tmp["sweep"]]);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("not a run folder", r.Error);
        Assert.False(Directory.Exists(tmp["sweep"]));
    }

    /// <summary>sweep.csv and sweep.md list both points ([2], [4]) with the oracle and JEPA; a plot exists.</summary>
    internal static void AssertTableHoldsBothPoints(string sweep)
    {
        var csv = File.ReadAllLines(Path.Combine(sweep, "sweep.csv"));
        Assert.StartsWith("point,evaluation.plannerHorizons,method,planner_horizon,episodes,strict_successes,", csv[0]);
        var rows = csv.Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(4, rows.Count); // 2 points × (oracle + jepa)
        Assert.Equal(["[2]", "[2]", "[4]", "[4]"], rows.Select(r => r[1]));
        Assert.Equal(["jepa/latent", "oracle/geodesic"], rows.Where(r => r[1] == "[4]").Select(r => r[2]));
        Assert.Equal(["2", "4"], rows.Select(r => r[3]).Distinct());
        Assert.All(rows, r => Assert.Equal("4", r[4]));
        string md = File.ReadAllText(Path.Combine(sweep, "sweep.md"));
        Assert.Contains("| 0 | `[2]` | jepa/latent | 2 |", md);
        Assert.Contains("| 1 | `[4]` | oracle/geodesic | 4 |", md);
        Assert.True(new FileInfo(Path.Combine(sweep, "success_vs_grid.png")).Length > 5000);
        Assert.True(File.Exists(Path.Combine(sweep, "success_vs_grid.svg")));
    }

    [Theory]
    [InlineData("evaluation.plannerHorizons=[2", "unbalanced")]
    [InlineData("seeds=[0],[0]", "lists a value twice")]
    [InlineData("evaluation.plannerHorizons=[2],[0]", "evaluation.plannerHorizons[0]")]
    public void Given_a_malformed_grid_or_a_bad_point_Then_the_sweep_refuses_before_any_run(string grid, string says)
    {
        using var tmp = new TempFolder();
        var r = CliRunner.Run(["sweep", Repository.Config("tiny-experiment.json"), .. Jepa, "--grid", grid,
            "--out", tmp["sweep"]]);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains(says, r.Error);
        Assert.False(Directory.Exists(tmp["sweep"]), "nothing is written before every point's config checks");
    }

    [Fact]
    public void Given_slurm_options_with_the_local_executor_Then_run_and_sweep_refuse_naming_the_option()
    {
        using var tmp = new TempFolder();
        var run = CliRunner.Run("run", Repository.Config("tiny-experiment.json"), "--out", tmp["run"],
            "--partition", "gpu");
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("--partition needs --executor slurm", run.Error);
        var sweep = CliRunner.Run("sweep", Repository.Config("tiny-experiment.json"), "--grid", "seeds=[0],[1]",
            "--executor", "pbs", "--out", tmp["sweep"]);
        Assert.NotEqual(0, sweep.ExitCode);
        Assert.Contains("--executor 'pbs' is not allowed; allowed: local, slurm", sweep.Error);
        Assert.False(Directory.Exists(tmp["run"]));
    }
}
