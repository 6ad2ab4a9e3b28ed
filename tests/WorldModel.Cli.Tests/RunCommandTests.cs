using System.Text.Json.Nodes;

namespace WorldModel.Cli.Tests;

[Collection("cli")]
public sealed class RunCommandTests
{
    [Fact]
    public void Given_an_experiment_When_run_twice_Then_the_second_run_reuses_every_stage_and_results_plots_and_report_exist()
    {
        using var tmp = new TempFolder();
        var first = CliRunner.Run("run", Repository.Config("tiny-experiment.json"), "--out", tmp["run"],
            "--device", "cpu");
        Assert.True(first.ExitCode == 0, first.Error + first.Out);
        foreach (var f in new[] { "config.json", "results.csv", "results.json", "report.md", "log.txt",
                                  "plots/success_vs_task_horizon.png", "plots/success_vs_task_horizon.svg",
                                  "plots/success_vs_planner_horizon.png",
                                  "train/jepa-seed0/checkpoints/step-0000010/model.bin",
                                  "train/pixel-seed0/checkpoints/step-0000010/model.bin" })
            Assert.True(File.Exists(Path.Combine(tmp["run"], f)), f);
        Assert.True(new FileInfo(Path.Combine(tmp["run"], "plots/success_vs_task_horizon.png")).Length > 5000);
        // 4 episodes × 2 horizons × (oracle + jepa/latent + pixel/frames + pixel/latent).
        var csv = File.ReadAllLines(Path.Combine(tmp["run"], "results.csv"));
        Assert.Equal(1 + 4 * 2 * 4, csv.Length);
        foreach (var method in new[] { "oracle/geodesic", "jepa/latent", "pixel/frames", "pixel/latent" })
            Assert.Contains(csv, l => l.StartsWith(method + ","));
        string report = File.ReadAllText(Path.Combine(tmp["run"], "report.md"));
        Assert.Contains("| jepa/latent | 4 |", report);
        Assert.Contains("![success_vs_task_horizon](plots/success_vs_task_horizon.png)", report);
        // Cost landscapes of every planning cost, first seed: the geodesic oracle's descent reaches the
        // goal from everywhere.
        Assert.Contains("## Cost landscapes", report);
        Assert.Contains("| oracle/geodesic | 1.00 |", report);
        foreach (var method in new[] { "jepa-latent", "pixel-frames", "pixel-latent" })
        {
            Assert.Contains($"(plots/landscape-{method}.png)", report);
            Assert.True(new FileInfo(Path.Combine(tmp["run"], $"plots/landscape-{method}.png")).Length > 5000, method);
        }

        var metrics = Path.Combine(tmp["run"], "train/jepa-seed0/metrics.jsonl");
        var written = File.GetLastWriteTimeUtc(metrics);
        var second = CliRunner.Run("run", Repository.Config("tiny-experiment.json"), "--out", tmp["run"],
            "--device", "cpu");
        Assert.True(second.ExitCode == 0, second.Error + second.Out);
        // log.txt gets a line per unit and invocation: the second one reused every unit but the report.
        var log = File.ReadAllLines(Path.Combine(tmp["run"], "log.txt"));
        int units = log.Length / 2;
        Assert.All(log.Skip(units).Where(l => !l.Contains(" report: ")), l => Assert.EndsWith(": reused", l));
        Assert.Contains(log.Skip(units), l => l.Contains(" train/pixel-seed0: "));
        Assert.Contains(log.Skip(units), l => l.Contains(" plan/jepa-latent-seed0-h4: "));
        Assert.DoesNotContain("step      10/10", second.Out);
        Assert.Equal(written, File.GetLastWriteTimeUtc(metrics));
        Assert.Equal(csv, File.ReadAllLines(Path.Combine(tmp["run"], "results.csv")));
    }

    [Fact]
    public void Given_an_interrupted_planning_stage_When_run_again_Then_only_the_missing_part_is_planned()
    {
        using var tmp = new TempFolder();
        Assert.Equal(0, CliRunner.Run("run", Repository.Config("tiny-experiment.json"), "--out", tmp["run"],
            "--device", "cpu", "--set",
            "models=[{\"name\":\"jepa\",\"model\":{\"widths\":[8,16],\"predictorHidden\":16},"
                + "\"train\":{\"steps\":10,\"batchSize\":8,\"rollout\":4,\"warmupSteps\":2}}]").ExitCode);
        Directory.Delete(Path.Combine(tmp["run"], "plan", "jepa-latent-seed0-h4"), true);
        var again = CliRunner.Run("run", Repository.Config("tiny-experiment.json"), "--out", tmp["run"],
            "--device", "cpu", "--set",
            "models=[{\"name\":\"jepa\",\"model\":{\"widths\":[8,16],\"predictorHidden\":16},"
                + "\"train\":{\"steps\":10,\"batchSize\":8,\"rollout\":4,\"warmupSteps\":2}}]");
        Assert.True(again.ExitCode == 0, again.Error + again.Out);
        var log = File.ReadAllLines(Path.Combine(tmp["run"], "log.txt"));
        Assert.EndsWith(": reused", log.Last(l => l.Contains(" plan/jepa-latent-seed0-h2: ")));
        Assert.DoesNotMatch(": reused$", log.Last(l => l.Contains(" plan/jepa-latent-seed0-h4: ")));
        Assert.True(File.Exists(Path.Combine(tmp["run"], "plan", "jepa-latent-seed0-h4", "results.json")));
    }

    [Theory]
    [InlineData("models[0].train.rollout=20", "models[0].train.rollout")]
    [InlineData("evaluation.plannerHorizons=[4,0]", "evaluation.plannerHorizons[1]")]
    [InlineData("evaluation.plan.planner.samples=1", "evaluation.plan.planner.samples")]
    [InlineData("data.world.kind=push-ball", "data.policy.kind")]
    [InlineData("data={\"world\":{\"kind\":\"push-ball\"},\"policy\":{\"kind\":\"noisy-pusher\"}}",
        "evaluation.oracles[0]")]
    [InlineData("evaluation.episodes={\"acrossRooms\":0,\"sameRoom\":0}", "evaluation.episodes")]
    [InlineData("seeds=[]", "seeds")]
    [InlineData("evaluation.plan.planner.kind=gradient", "evaluation.oracles")]
    public void Given_a_bad_experiment_config_Then_it_fails_before_any_work_naming_the_key(string set, string key)
    {
        using var tmp = new TempFolder();
        var r = CliRunner.Run("run", Repository.Config("tiny-experiment.json"), "--out", tmp["run"], "--set", set);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(key, r.Error);
        Assert.False(Directory.Exists(tmp["run"]), "nothing is written for a bad config");
    }

    [Fact]
    public void Given_a_push_ball_experiment_When_run_Then_balls_are_planned_to_their_targets_and_reported()
    {
        using var tmp = new TempFolder();
        string[] pushBall = ["--set", "data.world.kind=push-ball", "--set", "data.policy.kind=noisy-pusher",
            "--set", "evaluation.oracles=[\"shaped\",\"straight\"]",
            "--set", "evaluation.episodes.pushes=3", "--set", "evaluation.plannerHorizons=[4]", "--set",
            "models=[{\"name\":\"jepa\",\"model\":{\"widths\":[8,16],\"predictorHidden\":16},"
                + "\"train\":{\"steps\":10,\"batchSize\":8,\"rollout\":4,\"warmupSteps\":2}}]"];
        var r = CliRunner.Run(["run", Repository.Config("tiny-experiment.json"), "--out", tmp["run"], "--device", "cpu",
            .. pushBall]);
        Assert.True(r.ExitCode == 0, r.Error + r.Out);
        var rows = JsonNode.Parse(File.ReadAllText(Path.Combine(tmp["run"], "results.json")))!["rows"]!.AsArray();
        Assert.Equal(9, rows.Count); // 3 pushes × (2 oracles + jepa)
        Assert.All(rows, x => Assert.Equal("push", x!["result"]!["kind"]!.GetValue<string>()));
        Assert.Equal(["jepa/latent", "oracle/shaped", "oracle/straight"],
            rows.Select(x => x!["method"]!.GetValue<string>()).Distinct().Order());
        string report = File.ReadAllText(Path.Combine(tmp["run"], "report.md"));
        Assert.Contains("3 pushes", report);
        Assert.Contains("| method | H | strict | < 4.5 px |", report);
        Assert.DoesNotContain("Cost landscapes", report);

        // eval-plan on one of the experiment's trained models starts from the settings that experiment planned
        // with (its oracles, planner and horizons; overrides on top), writes report.md, and a benchmark file it
        // can re-read.
        var e = CliRunner.Run("eval-plan", Path.Combine(tmp["run"], "train", "jepa-seed0"), "--out", tmp["eval"],
            "--save-episodes", tmp["pushes.json"], "--device", "cpu",
            "--set", "episodes.pushes=2", "--set", "episodes.budget=8");
        Assert.True(e.ExitCode == 0, e.Error + e.Out);
        Assert.Contains("oracle/shaped", e.Out);
        var settings = JsonNode.Parse(File.ReadAllText(Path.Combine(tmp["eval"], "eval-config.json")))!;
        Assert.Equal("[4]", settings["plannerHorizons"]!.ToJsonString());
        Assert.Equal(8, settings["plan"]!["planner"]!["samples"]!.GetValue<int>());
        Assert.Equal(2, settings["episodes"]!["pushes"]!.GetValue<int>());
        string evalReport = File.ReadAllText(Path.Combine(tmp["eval"], "report.md"));
        Assert.Contains("planning evaluation", evalReport);
        Assert.Contains("| method | H | strict | < 4.5 px |", evalReport);
        var again = CliRunner.Run("eval-plan", Path.Combine(tmp["run"], "train", "jepa-seed0"),
            "--episodes", tmp["pushes.json"], "--no-oracle", "--out", tmp["eval2"], "--device", "cpu",
            "--set", "plan.planner.samples=8", "--set", "plan.planner.iterations=1", "--set", "plannerHorizons=[4]");
        Assert.True(again.ExitCode == 0, again.Error + again.Out);
        Assert.Equal(2,
            JsonNode.Parse(File.ReadAllText(Path.Combine(tmp["eval2"], "results.json")))!["rows"]!.AsArray().Count);
        var recorded = JsonNode.Parse(File.ReadAllText(Path.Combine(tmp["eval2"], "eval-config.json")))!;
        Assert.Equal(Path.GetFullPath(tmp["pushes.json"]), recorded["episodesFile"]!.GetValue<string>());
        Assert.Contains(Path.GetFullPath(tmp["pushes.json"]),
            File.ReadAllText(Path.Combine(tmp["eval2"], "report.md")));

        // Pessimism needs the model's ensemble heads; this one was trained without.
        var pessimistic = CliRunner.Run("eval-plan", Path.Combine(tmp["run"], "train", "jepa-seed0"),
            "--episodes", tmp["pushes.json"], "--no-oracle", "--out", tmp["eval4"], "--device", "cpu",
            "--set", "plan.pessimism=10");
        Assert.NotEqual(0, pessimistic.ExitCode);
        Assert.Contains("pessimism = 10", pessimistic.Error);
        Assert.Contains("objective.ensembleHeads", pessimistic.Error);

        // A blurred map distance: this model's latent is a map (the default), so it plans with it, and the settings
        // record it.
        var blurred = CliRunner.Run("eval-plan", Path.Combine(tmp["run"], "train", "jepa-seed0"),
            "--episodes", tmp["pushes.json"], "--no-oracle", "--out", tmp["eval5"], "--device", "cpu",
            "--set", "plan.latentBlur=[0,1]", "--set", "plan.planner.samples=8", "--set", "plan.planner.iterations=1");
        Assert.True(blurred.ExitCode == 0, blurred.Error + blurred.Out);
        Assert.Equal("[0,1]", JsonNode.Parse(File.ReadAllText(Path.Combine(tmp["eval5"], "eval-config.json")))!
            ["plan"]!["latentBlur"]!.ToJsonString());

        // Planned by a position probe's distance (a diagnostic), fitted on the run's training data, asked for by name.
        var probe = CliRunner.Run("eval-plan", Path.Combine(tmp["run"], "train", "jepa-seed0"),
            "--episodes", tmp["pushes.json"], "--no-oracle", "--out", tmp["eval6"], "--device", "cpu", "--probe",
            "--method", "jepa/latent-probe", "--set", "plan.planner.samples=8", "--set", "plan.planner.iterations=1");
        Assert.True(probe.ExitCode == 0, probe.Error + probe.Out);
        Assert.Equal(["jepa/latent-probe"], JsonNode.Parse(File.ReadAllText(Path.Combine(tmp["eval6"], "results.json")))!
            ["rows"]!.AsArray().Select(x => x!["method"]!.GetValue<string>()).Distinct());
        var noProbe = CliRunner.Run("eval-plan", Path.Combine(tmp["run"], "train", "jepa-seed0"),
            "--episodes", tmp["pushes.json"], "--no-oracle", "--out", tmp["eval7"], "--device", "cpu",
            "--method", "jepa/latent-probe");
        Assert.NotEqual(0, noProbe.ExitCode); // offered only with --probe
        Assert.Contains("allowed: jepa/latent", noProbe.Error);

        // An experiment config as --config: its "evaluation" section, with overrides on top.
        var fromConfig = CliRunner.Run("eval-plan", Path.Combine(tmp["run"], "train", "jepa-seed0"),
            "--config", Repository.Config("tiny-experiment.json"), "--out", tmp["eval3"], "--device", "cpu",
            "--episodes", tmp["pushes.json"], "--set", "oracles=[]");
        Assert.True(fromConfig.ExitCode == 0, fromConfig.Error + fromConfig.Out);
        var fromExperiment = JsonNode.Parse(File.ReadAllText(Path.Combine(tmp["eval3"], "eval-config.json")))!;
        Assert.Equal("[2,4]", fromExperiment["plannerHorizons"]!.ToJsonString());
    }

    [Fact]
    public void Given_results_files_When_plotted_together_Then_plots_and_a_table_name_each_run()
    {
        using var tmp = new TempFolder();
        Assert.Equal(0, CliRunner.Run("run", Repository.Config("tiny-experiment.json"), "--out", tmp["a"],
            "--device", "cpu", "--set", "evaluation.plannerHorizons=[4]").ExitCode);
        Assert.Equal(0, CliRunner.Run("run", Repository.Config("tiny-experiment.json"), "--out", tmp["b"],
            "--device", "cpu", "--set", "evaluation.plannerHorizons=[2]").ExitCode);
        var r = CliRunner.Run("plot", tmp["a"], Path.Combine(tmp["b"], "results.json"), "--out", tmp["plots"]);
        Assert.True(r.ExitCode == 0, r.Error + r.Out);
        Assert.True(new FileInfo(Path.Combine(tmp["plots"], "success_vs_task_horizon.png")).Length > 5000);
        Assert.True(File.Exists(Path.Combine(tmp["plots"], "success_vs_planner_horizon.svg")));
        var table = File.ReadAllText(Path.Combine(tmp["plots"], "table.md"));
        Assert.Contains("a: jepa/latent", table);
        Assert.Contains("b: jepa/latent", table);
        var missing = CliRunner.Run("plot", tmp["nothing"], "--out", tmp["plots"]);
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("results file", missing.Error);
    }
}

[Collection("cli")]
public sealed class EvalPlanCommandTests
{
    [Fact]
    public void Given_a_trained_run_and_an_episodes_file_When_evaluated_Then_those_episodes_are_planned_and_results_written()
    {
        using var tmp = new TempFolder();
        Assert.Equal(0, CliRunner.Run("train", "--config", Repository.Config("tiny.json"), "--out", tmp["run"],
            "--device", "cpu").ExitCode);
        File.WriteAllText(tmp["episodes.json"], """
            [ { "layout": { "horizontal": 0, "wall_low": 31, "wall_high": 33, "door_low": 6, "door_high": 14 }, "start": [20, 40], "goal": [24, 40], "budget": 10 },
              { "layout": { "horizontal": 1, "wall_low": 25, "wall_high": 27, "door_low": 40, "door_high": 48 }, "start": [20, 15], "goal": [20, 40], "budget": 10 } ]
            """);
        var r = CliRunner.Run("eval-plan", tmp["run"], "--episodes", tmp["episodes.json"], "--out", tmp["eval"],
            "--device", "cpu", "--set", "plan.planner.samples=8", "--set", "plan.planner.iterations=1",
            "--set", "plannerHorizons=[4]", "--set", "oracles=[\"geodesic\"]");
        Assert.True(r.ExitCode == 0, r.Error + r.Out);
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(tmp["eval"], "results.json")))!;
        var rows = json["rows"]!.AsArray();
        Assert.Equal(4, rows.Count); // 2 episodes × (oracle + jepa)
        Assert.Equal(["across", "same"],
            rows.Select(x => x!["result"]!["kind"]!.GetValue<string>()).Distinct().Order());
        Assert.True(File.Exists(Path.Combine(tmp["eval"], "success_vs_task_horizon.png")));

        File.WriteAllText(tmp["bad.json"], """[ { "layout": { "horizontal": 0, "wall_low": 31, "wall_high": 33, "door_low": 6, "door_high": 14 }, "start": [90, 40], "goal": [24, 40], "budget": 10 } ]""");
        var bad = CliRunner.Run("eval-plan", tmp["run"], "--episodes", tmp["bad.json"], "--device", "cpu");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("[0].start", bad.Error);
        Assert.Contains("outside the arena", bad.Error);

        // The same run's cost landscapes: heatmaps and landscape.json; a goal in the wall is named.
        var l = CliRunner.Run("landscape", tmp["run"], "--goal", "48,40", "--cell", "2", "--out", tmp["land"],
            "--device", "cpu");
        Assert.True(l.ExitCode == 0, l.Error + l.Out);
        var landscape = JsonNode.Parse(File.ReadAllText(Path.Combine(tmp["land"], "landscape.json")))!;
        Assert.Equal(["oracle/geodesic", "oracle/straight", "jepa/latent"],
            landscape["costs"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
        Assert.Equal(1.0, landscape["costs"]![0]!["descentReach"]!.GetValue<double>(), 2);
        Assert.True(new FileInfo(Path.Combine(tmp["land"], "landscape-jepa-latent.png")).Length > 5000);
        var wall = CliRunner.Run("landscape", tmp["run"], "--goal", "32,40", "--device", "cpu");
        Assert.NotEqual(0, wall.ExitCode);
        Assert.Contains("inside a wall", wall.Error);
        var cell = CliRunner.Run("landscape", tmp["run"], "--cell", "0", "--device", "cpu");
        Assert.NotEqual(0, cell.ExitCode);
        Assert.Contains("--cell 0 is not allowed", cell.Error);

        // A spatial latent's cost blurred (plan.latentBlur) drawn beside the plain one; bad widths are named.
        var blurred = CliRunner.Run("landscape", tmp["run"], "--goal", "48,40", "--cell", "4", "--out", tmp["blur"],
            "--latent-blur", "0,1,2", "--device", "cpu");
        Assert.True(blurred.ExitCode == 0, blurred.Error + blurred.Out);
        Assert.Equal(["oracle/geodesic", "oracle/straight", "jepa/latent", "blurred/latent"],
            JsonNode.Parse(File.ReadAllText(Path.Combine(tmp["blur"], "landscape.json")))!["costs"]!.AsArray()
                .Select(c => c!["name"]!.GetValue<string>()));
        var width = CliRunner.Run("landscape", tmp["run"], "--latent-blur", "1,x", "--device", "cpu");
        Assert.NotEqual(0, width.ExitCode);
        Assert.Contains("'x' is not allowed; allowed: widths 0 to 64", width.Error);
    }
}
