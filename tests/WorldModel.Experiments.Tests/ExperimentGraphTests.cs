using WorldModel.Core.Config;
using WorldModel.Experiments;
using WorldModel.Experiments.Graph;
using static TorchSharp.torch;

namespace WorldModel.Experiments.Tests;

public sealed class ExperimentGraphTests
{
    private static ExperimentConfig Tiny(params string[] sets) =>
        ConfigLoader.LoadFile<ExperimentConfig>(Repository.Config("tiny-experiment.json"), sets);

    [Fact]
    public void Given_the_tiny_experiment_Then_its_graph_lists_data_each_training_each_planned_part_the_landscape_and_the_report_in_order()
    {
        using var tmp = new TempFolder();
        var graph = ExperimentGraph.Build(Tiny(), tmp["run"]);
        string[] plans = ["oracle-geodesic", "jepa-latent", "pixel-frames", "pixel-latent"];
        Assert.Equal(["data", "train/jepa-seed0", "train/pixel-seed0",
            .. plans.SelectMany(m => new[] { $"plan/{m}-seed0-h2", $"plan/{m}-seed0-h4" }), "landscape", "report"],
            graph.Units.Select(u => u.Id));
        // A trained method's parts wait for its own training only; the oracle's for nothing.
        Assert.Equal(["train/pixel-seed0"], graph["plan/pixel-frames-seed0-h4"].DependsOn.Select(u => u.Id));
        Assert.Empty(graph["plan/oracle-geodesic-seed0-h2"].DependsOn);
        Assert.All(graph.Units.Where(u => u.Stage == "train"),
            u => Assert.Equal(["data"], u.DependsOn.Select(d => d.Id)));
        // Every unit but the data writes inside the run folder; distinct units, distinct folders (the report owns
        // the run folder itself).
        Assert.All(graph.Units.Skip(1), u => Assert.StartsWith(tmp["run"], u.Folder));
        Assert.Equal(graph.Units.Count, graph.Units.Select(u => u.Folder).Distinct().Count());
        var missing = Assert.Throws<ArgumentException>(() => graph["plan/nothing"]);
        Assert.Contains("plan/jepa-latent-seed0-h2", missing.Message);
    }

    [Fact]
    public void Given_a_model_with_a_hierarchy_and_two_level_oracles_Then_its_high_level_trains_after_each_seed_and_two_level_methods_plan_after_it()
    {
        using var tmp = new TempFolder();
        var graph = ExperimentGraph.Build(Tiny("models.0.hierarchy.skip=4", "models.0.hierarchy.train.rollout=2",
            "evaluation.oracleSkip=4", "evaluation.plannerHorizons=[4]"), tmp["run"]);
        var ids = graph.Units.Select(u => u.Id).ToList();
        Assert.Equal(["data", "train/jepa-seed0", "train/jepa-seed0-high", "train/pixel-seed0"],
            ids.Where(i => i is "data" || i.StartsWith("train/", StringComparison.Ordinal)));
        Assert.Equal(["data", "train/jepa-seed0"], graph["train/jepa-seed0-high"].DependsOn.Select(u => u.Id));
        Assert.Equal(["train/jepa-seed0-high"], graph["plan/jepa-latent-hier-seed0-h4"].DependsOn.Select(u => u.Id));
        Assert.Contains("plan/oracle-geodesic-hier-seed0-h4", ids);
        Assert.DoesNotContain("plan/pixel-frames-hier-seed0-h4", ids); // the pixel model has no hierarchy here
        // The high level's output depends on the low level it was trained on.
        Assert.Contains(graph["train/jepa-seed0"].Key, graph["train/jepa-seed0-high"].Key, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_hierarchy_that_learns_a_value_Then_its_high_level_plans_by_it_too_and_the_landscape_waits_for_it()
    {
        using var tmp = new TempFolder();
        string[] sets =
            ["models.0.hierarchy.skip=4", "models.0.hierarchy.train.rollout=2", "evaluation.plannerHorizons=[4]"];
        var plain = ExperimentGraph.Build(Tiny(sets), tmp["plain"]);
        var graph = ExperimentGraph.Build(Tiny([.. sets, "models.0.hierarchy.value.hidden=32"]), tmp["run"]);
        foreach (string method in new[] { "latent-value", "latent-hier-value" })
            Assert.Equal(["train/jepa-seed0-high"], graph[$"plan/jepa-{method}-seed0-h4"].DependsOn.Select(u => u.Id));
        Assert.DoesNotContain(plain.Units, u => u.Id == "plan/jepa-latent-hier-value-seed0-h4");
        Assert.Contains("train/jepa-seed0-high", graph["landscape"].DependsOn.Select(u => u.Id));
        Assert.DoesNotContain("train/jepa-seed0-high", plain["landscape"].DependsOn.Select(u => u.Id));
        // The value is part of what the high level trains, so of its key; without one the key is as before.
        Assert.NotEqual(plain["train/jepa-seed0-high"].Key, graph["train/jepa-seed0-high"].Key);
        Assert.Equal(plain["train/jepa-seed0"].Key, graph["train/jepa-seed0"].Key);

        // Planning by a value the high level does not learn is refused, naming what is allowed.
        var e = Assert.Throws<ConfigException>(() => Tiny([.. sets, "models.0.methods=[\"latent-hier-value\"]"]));
        Assert.Contains("latent-hier-value", e.Message);
        Assert.Contains("allowed: latent, latent-graph, latent-probe, latent-hier", e.Message);
    }

    [Fact]
    public void Given_a_hierarchy_that_learns_a_policy_Then_its_high_level_plans_from_its_proposals_and_the_key_says_so()
    {
        using var tmp = new TempFolder();
        string[] sets =
            ["models.0.hierarchy.skip=4", "models.0.hierarchy.train.rollout=2", "evaluation.plannerHorizons=[4]"];
        var plain = ExperimentGraph.Build(Tiny(sets), tmp["plain"]);
        var graph = ExperimentGraph.Build(Tiny([.. sets, "models.0.hierarchy.policy.hidden=32"]), tmp["run"]);
        foreach (string method in new[] { "latent-policy", "policy" })
        {
            Assert.Equal(["train/jepa-seed0-high"], graph[$"plan/jepa-{method}-seed0-h4"].DependsOn.Select(u => u.Id));
            Assert.DoesNotContain(plain.Units, u => u.Id == $"plan/jepa-{method}-seed0-h4");
        }
        // The policy is part of what the high level trains, so of its key; without one the keys are as before.
        Assert.NotEqual(plain["train/jepa-seed0-high"].Key, graph["train/jepa-seed0-high"].Key);
        Assert.Equal(plain["train/jepa-seed0"].Key, graph["train/jepa-seed0"].Key);

        // Planning from a policy the high level does not learn is refused, naming what is allowed.
        var e = Assert.Throws<ConfigException>(() => Tiny([.. sets, "models.0.methods=[\"latent-policy\"]"]));
        Assert.Contains("latent-policy", e.Message);
        Assert.Contains("allowed: latent, latent-graph, latent-probe, latent-hier", e.Message);
    }

    [Fact]
    public void Given_a_seed_set_on_a_model_rather_than_in_seeds_Then_it_is_refused_instead_of_silently_replaced()
    {
        // An experiment trains each model once per entry of seeds; a seed on the model would change nothing.
        var low = Assert.Throws<ConfigException>(() => Tiny("models.0.train.seed=1"));
        Assert.Contains("models[0].train.seed", low.Message);
        Assert.Contains("has no effect in an experiment", low.Message);
        Assert.Contains("seeds=[1]", low.Message);
        string[] high =
            ["models.0.hierarchy.skip=4", "models.0.hierarchy.train.rollout=2", "evaluation.plannerHorizons=[4]"];
        var e = Assert.Throws<ConfigException>(() => Tiny([.. high, "models[0].hierarchy.train.seed=3"]));
        Assert.Contains("models[0].hierarchy.train.seed", e.Message);
        Assert.Contains("seeds=[3]", e.Message);
        Tiny([.. high, "seeds=[3]"]);
    }

    private const string Pretrain =
        "models.0.pretrain={\"world\":{\"kind\":\"two-rooms\",\"layout\":{\"kind\":\"random\"}}," +
        "\"train\":{\"steps\":6,\"batchSize\":8,\"rollout\":4,\"warmupSteps\":2}}";

    [Fact]
    public void Given_a_model_with_a_pretrain_section_Then_each_seed_trains_a_first_phase_on_its_world_and_the_model_starts_from_it()
    {
        using var tmp = new TempFolder();
        var config = Tiny(Pretrain, "seeds=[0,1]");
        var graph = ExperimentGraph.Build(config, tmp["run"]);
        var ids = graph.Units.Select(u => u.Id).ToList();
        string firstData = Assert.Single(ids, i => i.StartsWith("data/pretrain-", StringComparison.Ordinal));
        foreach (int seed in new[] { 0, 1 })
        {
            var first = graph[$"train/jepa-seed{seed}-pretrain"];
            Assert.Equal([firstData], first.DependsOn.Select(u => u.Id));
            Assert.Equal(["data", $"train/jepa-seed{seed}-pretrain"],
                graph[$"train/jepa-seed{seed}"].DependsOn.Select(u => u.Id));
            // The model's output depends on the weights it starts from.
            Assert.Contains("+init-" + first.Key, graph[$"train/jepa-seed{seed}"].Key, StringComparison.Ordinal);
            Assert.True(ids.IndexOf(first.Id) < ids.IndexOf($"train/jepa-seed{seed}"));
        }
        // The first phase is never planned with; the pixel model, without a pretrain section, trains as before.
        Assert.DoesNotContain(ids, i => i.StartsWith("plan/", StringComparison.Ordinal) && i.Contains("pretrain"));
        Assert.Equal(["data"], graph["train/pixel-seed0"].DependsOn.Select(u => u.Id));
        Assert.Equal(ExperimentGraph.Build(Tiny("seeds=[0,1]"), tmp["plain"])["train/pixel-seed0"].Key,
            graph["train/pixel-seed0"].Key);
        // Without a world of its own the first phase trains on the experiment's data.
        var same = ExperimentGraph.Build(Tiny(
            "models.0.pretrain={\"train\":{\"steps\":6,\"batchSize\":8,\"rollout\":4,\"warmupSteps\":2}}"),
            tmp["same"]);
        Assert.Equal(["data"], same["train/jepa-seed0-pretrain"].DependsOn.Select(u => u.Id));
        Assert.DoesNotContain(same.Units, u => u.Id.StartsWith("data/", StringComparison.Ordinal));
    }

    [Fact]
    public void Given_a_pretrain_world_of_another_kind_or_a_pretrain_seed_Then_the_config_is_refused_naming_the_key()
    {
        var kind = Assert.Throws<ConfigException>(() => Tiny(
            "models.0.pretrain={\"world\":{\"kind\":\"push-ball\"}}"));
        Assert.Contains("models[0].pretrain.world", kind.Message);
        Assert.Contains("same kind", kind.Message);
        var seed = Assert.Throws<ConfigException>(() => Tiny(
            "models.0.pretrain={\"train\":{\"steps\":6,\"warmupSteps\":2,\"seed\":4}}"));
        Assert.Contains("models[0].pretrain.train.seed", seed.Message);
        var warmup = Assert.Throws<ConfigException>(() => Tiny(
            "models.0.pretrain={\"train\":{\"steps\":6,\"warmupSteps\":6}}"));
        Assert.Contains("models[0].pretrain.train.warmupSteps", warmup.Message);
    }

    [Fact]
    public void Given_a_tiny_curriculum_experiment_When_run_twice_Then_the_model_starts_from_its_first_phase_and_the_second_run_reuses_both()
    {
        using var tmp = new TempFolder();
        var config = Tiny("models=[{\"name\":\"jepa\",\"model\":{\"widths\":[8,16],\"predictorHidden\":16},"
            + "\"train\":{\"steps\":10,\"batchSize\":8,\"rollout\":4,\"warmupSteps\":2}}]", Pretrain,
            "evaluation.plannerHorizons=[4]");
        var first = new RecordingObserver();
        ExperimentRunner.Run(config, tmp["run"], CPU, first, CancellationToken.None);
        Assert.Contains("train/jepa-seed0-pretrain", first.Ran);
        string train = Path.Combine(tmp["run"], ExperimentGraph.TrainFolder);
        var init = System.Text.Json.Nodes.JsonNode.Parse(
            File.ReadAllText(Path.Combine(train, "jepa-seed0", Models.Training.TrainingRun.InitFile)))!;
        Assert.Equal(Path.Combine(train, "jepa-seed0-pretrain"), init["from"]!.GetValue<string>());
        Assert.Equal("step-0000006", init["checkpoint"]!.GetValue<string>());
        var results = File.ReadAllLines(Path.Combine(tmp["run"], "results.csv"));
        // 4 episodes × (oracle, jepa/latent); nothing planned with the first phase.
        Assert.Equal(1 + 4 * 2, results.Length);
        Assert.Contains("| train | jepa seed 0 first phase: 6 steps of 8 × 5 frames in",
            File.ReadAllText(Path.Combine(tmp["run"], "report.md")));

        var second = new RecordingObserver();
        ExperimentRunner.Run(config, tmp["run"], CPU, second, CancellationToken.None);
        Assert.Equal(["report"], second.Ran);
        Assert.Empty(second.Warnings);
        Assert.Equal(results, File.ReadAllLines(Path.Combine(tmp["run"], "results.csv")));
    }

    [Fact]
    public void Given_a_collection_experiment_with_a_two_level_model_Then_every_evaluated_round_trains_its_high_level_and_plans_in_two_levels()
    {
        // The committed comparison plans only "latent-hier": without the high level per round nothing learned plans.
        using var tmp = new TempFolder();
        var config = ConfigLoader.LoadFile<ExperimentConfig>(Repository.Config("two-rooms-collection.json"), []);
        var graph = ExperimentGraph.Build(config, tmp["run"]);
        var ids = graph.Units.Select(u => u.Id).ToList();
        int evaluated = config.Seeds.Length * (1 + config.Collection!.Strategies.Length
            * config.Collection.EvaluateAfter.Count(r => r > 0));
        Assert.Equal(evaluated, ids.Count(i => i.StartsWith("train/jepa-", StringComparison.Ordinal) && i.EndsWith("-high")));
        Assert.Equal(evaluated, ids.Count(i => i.StartsWith("plan/", StringComparison.Ordinal) && i.Contains("jepa-latent-hier")));
        Assert.Equal(["collect/initial-seed0", "train/jepa-initial-r0-seed0"],
            graph["train/jepa-initial-r0-seed0-high"].DependsOn.Select(u => u.Id));
    }

    [Fact]
    public void Given_a_push_ball_experiment_Then_its_graph_has_no_landscape_and_plans_its_own_oracles()
    {
        using var tmp = new TempFolder();
        var graph = ExperimentGraph.Build(Tiny("data.world.kind=push-ball", "data.policy.kind=noisy-pusher",
            "evaluation.oracles=[\"shaped\"]", "evaluation.episodes.pushes=2"), tmp["run"]);
        Assert.DoesNotContain(graph.Units, u => u.Stage == "landscape");
        Assert.Contains(graph.Units, u => u.Id == "plan/oracle-shaped-seed0-h4");
    }

    [Fact]
    public void Given_latent_graph_listed_Then_it_plans_after_the_low_level_and_unlisted_it_is_not_planned()
    {
        using var tmp = new TempFolder();
        var graph = ExperimentGraph.Build(Tiny("models.0.methods=[\"latent\",\"latent-graph\"]",
            "models.1.methods=[\"latent-graph\"]"), tmp["run"]);
        Assert.Equal(["train/jepa-seed0"], graph["plan/jepa-latent-graph-seed0-h4"].DependsOn.Select(u => u.Id));
        Assert.Equal(["train/pixel-seed0"], graph["plan/pixel-latent-graph-seed0-h2"].DependsOn.Select(u => u.Id));
        Assert.DoesNotContain(graph.Units, u => u.Id == "plan/pixel-frames-seed0-h2");
        // The graph's settings key its parts alone.
        var reach = ExperimentGraph.Build(Tiny("models.0.methods=[\"latent\",\"latent-graph\"]",
            "models.1.methods=[\"latent-graph\"]", "evaluation.plan.graph.reach=2"), tmp["reach"]);
        Assert.NotEqual(graph["plan/jepa-latent-graph-seed0-h4"].Key, reach["plan/jepa-latent-graph-seed0-h4"].Key);
        Assert.Equal(graph["plan/jepa-latent-seed0-h4"].Key, reach["plan/jepa-latent-seed0-h4"].Key);
        var unlisted = ExperimentGraph.Build(Tiny(), tmp["plain"]);
        Assert.Equal(unlisted["plan/jepa-latent-seed0-h4"].Key, graph["plan/jepa-latent-seed0-h4"].Key);
        Assert.DoesNotContain(unlisted.Units, u => u.Id.Contains("graph", StringComparison.Ordinal));
        var e = Assert.Throws<ConfigException>(() => Tiny("models.0.methods=[\"frames-graph\"]"));
        Assert.Contains("latent-graph", e.Message);
    }

    [Fact]
    public void Given_latent_search_listed_Then_it_plans_after_the_high_level_keyed_by_its_settings_and_unlisted_it_is_not()
    {
        using var tmp = new TempFolder();
        string[] sets =
            ["models.0.hierarchy.skip=4", "models.0.hierarchy.train.rollout=2", "evaluation.plannerHorizons=[4]"];
        var graph = ExperimentGraph.Build(Tiny([.. sets, "models.0.methods=[\"latent\",\"latent-search\"]"]),
            tmp["run"]);
        Assert.Equal(["train/jepa-seed0-high"], graph["plan/jepa-latent-search-seed0-h4"].DependsOn.Select(u => u.Id));
        Assert.DoesNotContain(graph.Units, u => u.Id == "plan/jepa-latent-hier-seed0-h4");
        // The search's settings key its parts alone.
        var deeper = ExperimentGraph.Build(Tiny([.. sets, "models.0.methods=[\"latent\",\"latent-search\"]",
            "evaluation.plan.search.depth=4"]), tmp["deeper"]);
        Assert.NotEqual(graph["plan/jepa-latent-search-seed0-h4"].Key, deeper["plan/jepa-latent-search-seed0-h4"].Key);
        Assert.Equal(graph["plan/jepa-latent-seed0-h4"].Key, deeper["plan/jepa-latent-seed0-h4"].Key);
        // Unlisted, a hierarchy plans what it did before the method existed.
        var unlisted = ExperimentGraph.Build(Tiny(sets), tmp["plain"]);
        Assert.Contains(unlisted.Units, u => u.Id == "plan/jepa-latent-hier-seed0-h4");
        Assert.DoesNotContain(unlisted.Units, u => u.Id.Contains("search", StringComparison.Ordinal));
        // Without a hierarchy there are no jumps to search.
        var e = Assert.Throws<ConfigException>(() => Tiny("models.0.methods=[\"latent-search\"]"));
        Assert.Contains("latent-search", e.Message);
    }

    [Fact]
    public void Given_blur_widths_Then_every_plan_part_and_the_landscape_are_keyed_by_them_and_without_the_keys_stay()
    {
        using var tmp = new TempFolder();
        var plain = ExperimentGraph.Build(Tiny(), tmp["plain"]);
        var empty = ExperimentGraph.Build(Tiny("evaluation.plan.latentBlur=[]"), tmp["empty"]);
        var blurred = ExperimentGraph.Build(Tiny("evaluation.plan.latentBlur=[0,2]"), tmp["blurred"]);
        foreach (var unit in plain.Units.Where(u => u.Stage is "plan" or "landscape"))
        {
            Assert.Equal(unit.Key, empty[unit.Id].Key);
            Assert.NotEqual(unit.Key, blurred[unit.Id].Key);
        }
        Assert.Equal(plain["train/jepa-seed0"].Key, blurred["train/jepa-seed0"].Key);
        // A flat latent has no map to blur: refused when the config loads, before anything trains.
        var e = Assert.Throws<ConfigException>(() =>
            Tiny("evaluation.plan.latentBlur=[1]", "models.0.model.latent=flat"));
        Assert.Contains("evaluation.plan.latentBlur: blurs latent maps, but models[0] (\"jepa\") has a flat latent",
            e.Message);
    }

    [Fact]
    public void Given_a_finished_experiment_When_run_again_Then_every_unit_is_reused_and_a_deleted_part_alone_is_planned_again()
    {
        using var tmp = new TempFolder();
        // Planned flat and over a graph of its training data (which the graph's part encodes after training).
        var config = Tiny("models=[{\"name\":\"jepa\",\"model\":{\"widths\":[8,16],\"predictorHidden\":16},"
            + "\"train\":{\"steps\":10,\"batchSize\":8,\"rollout\":4,\"warmupSteps\":2},"
            + "\"methods\":[\"latent\",\"latent-graph\"]}]");
        var first = new RecordingObserver();
        ExperimentRunner.Run(config, tmp["run"], CPU, first, CancellationToken.None);
        Assert.DoesNotContain("train/jepa-seed0", first.Reused);
        Assert.Contains("report", first.Ran);
        Assert.Contains(first.Notes, n => n.Contains("loss", StringComparison.Ordinal));
        foreach (var id in first.Ran.Where(id => id != "report"))
            Assert.True(File.Exists(UnitRecord.PathOf(tmp["run"], id)), id);
        var results = File.ReadAllLines(Path.Combine(tmp["run"], "results.csv"));
        // 4 episodes × 2 horizons × (oracle, jepa/latent, jepa/latent-graph)
        Assert.Equal(1 + 4 * 2 * 3, results.Length);
        Assert.Equal(8, results.Count(l => l.StartsWith("jepa/latent-graph,", StringComparison.Ordinal)));

        var second = new RecordingObserver();
        ExperimentRunner.Run(config, tmp["run"], CPU, second, CancellationToken.None);
        Assert.Equal(["report"], second.Ran);
        Assert.Empty(second.Warnings); // every unit's key is the one it was made with
        Assert.Equal(results, File.ReadAllLines(Path.Combine(tmp["run"], "results.csv")));

        Directory.Delete(Path.Combine(tmp["run"], "plan", "jepa-latent-seed0-h4"), recursive: true);
        var third = new RecordingObserver();
        ExperimentRunner.Run(config, tmp["run"], CPU, third, CancellationToken.None);
        Assert.Equal(["plan/jepa-latent-seed0-h4", "report"], third.Ran);
        // Planned again, the part gives the same episodes; only its timing column differs.
        Assert.Equal(results.Select(WithoutTiming),
            File.ReadAllLines(Path.Combine(tmp["run"], "results.csv")).Select(WithoutTiming));
        string report = File.ReadAllText(Path.Combine(tmp["run"], "report.md"));
        Assert.Contains("| plan | jepa/latent seed 0 H=4: 4 episodes |", report);
        Assert.Contains("| train | jepa seed 0: 10 steps of 8 × 5 frames | reused (", report);

        // A training made with other settings (as an older build that derived them otherwise would leave it): reused
        // as it is, with a warning that names it and says how to redo it.
        var made = UnitRecord.Load(tmp["run"], "train/jepa-seed0")!;
        (made with { Key = "0123456789abcdef" }).Save(tmp["run"]);
        var fourth = new RecordingObserver();
        ExperimentRunner.Run(config, tmp["run"], CPU, fourth, CancellationToken.None);
        Assert.Equal(["report"], fourth.Ran);
        string warning = Assert.Single(fourth.Warnings);
        Assert.Contains("jepa seed 0", warning);
        Assert.Contains("0123456789abcdef", warning);
        Assert.Contains(made.Key, warning);
        Assert.Contains("delete that folder", warning);
    }

    /// <summary>A results.csv line without its last column, plan_seconds.</summary>
    private static string WithoutTiming(string line) => line[..line.LastIndexOf(',')];

    [Fact]
    public void Given_a_run_folder_of_another_config_Then_the_experiment_refuses_it_before_any_unit_runs()
    {
        using var tmp = new TempFolder();
        Directory.CreateDirectory(tmp["run"]);
        File.WriteAllText(Path.Combine(tmp["run"], ExperimentRunner.ConfigFile), "{}");
        var observer = new RecordingObserver();
        var e = Assert.Throws<ArgumentException>(() =>
            ExperimentRunner.Run(Tiny(), tmp["run"], CPU, observer, CancellationToken.None));
        Assert.Contains("another config", e.Message);
        Assert.Empty(observer.Units);
    }

    [Fact]
    public void Given_a_run_folder_in_use_Then_a_second_experiment_on_it_is_refused_before_any_unit_runs()
    {
        using var tmp = new TempFolder();
        using var first = WorldModel.Core.IO.FolderLock.Acquire(tmp["run"], "another wm run");
        var observer = new RecordingObserver();
        var e = Assert.Throws<WorldModel.Core.IO.FolderLockedException>(() =>
            ExperimentRunner.Run(Tiny(), tmp["run"], CPU, observer, CancellationToken.None));
        Assert.Contains("choose another --out", e.Message);
        Assert.Empty(observer.Units);
        Assert.False(File.Exists(Path.Combine(tmp["run"], ExperimentRunner.ConfigFile)));
    }

    [Fact]
    public void Training_run_ids_started_together_differ() =>
        Assert.Equal(1000, Enumerable.Range(0, 1000).Select(_ => WorldModel.Models.Training.TrainingRun.NewRunId())
            .Distinct().Count());
}
