using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using WorldModel.Core.Config;
using WorldModel.Experiments.Stages;
using WorldModel.Models.Training;
using static TorchSharp.torch;

namespace WorldModel.Experiments.Tests;

/// <summary>
/// Every committed config runs end to end on a tiny budget (CleanRL's habit): the same keys, worlds,
/// models and planners, with fewer episodes, steps and samples. A config that no longer binds, or a
/// combination that fails at run time, is caught here rather than by a user an hour into a run.
/// </summary>
public sealed class CommittedConfigTests
{
    public static TheoryData<string> Experiments() => [.. Configs().Where(c => IsExperiment(c))];
    public static TheoryData<string> Trainings() =>
        [.. Configs().Where(c => !IsExperiment(c) && Tree(c)["train"] is not null)];

    private static IEnumerable<string> Configs() =>
        Directory.GetFiles(Repository.Path("configs"), "*.json").Select(Path.GetFileName)
            .Order(StringComparer.Ordinal)!;

    private static bool IsExperiment(string name) => Tree(name)["models"] is not null;

    /// <summary>The file with its base resolved and its own "kind" removed, as the loader binds it.</summary>
    private static JsonObject Tree(string name)
    {
        var tree = ConfigLoader.LoadTree(Repository.Config(name), []).AsObject();
        tree.Remove(ConfigLoader.FileKindKey);
        return tree;
    }

    [Fact]
    public void Every_committed_config_says_what_it_is()
    {
        foreach (var name in Configs())
            Assert.True(ConfigLoader.FileKind(ConfigLoader.LoadTree(Repository.Config(name), []))
                is "experiment" or "training" or "data", name);
    }

    [Fact]
    public void The_committed_configs_include_experiments_and_trainings() =>
        Assert.True(Experiments().Count >= 5 && Trainings().Count >= 2,
            $"{Experiments().Count} experiments, {Trainings().Count} trainings");

    [Theory]
    [MemberData(nameof(Experiments))]
    public void Given_a_committed_experiment_config_When_run_on_a_tiny_budget_Then_every_unit_finishes(string name)
    {
        using var tmp = new TempFolder();
        var tree = Tree(name);
        Shrink(tree["data"]!.AsObject());
        foreach (var model in tree["models"]!.AsArray())
        {
            ShrinkTraining(model!.AsObject());
            if (model["hierarchy"] is JsonObject hierarchy) ShrinkTraining(hierarchy);
            // A curriculum's first phase trains too: left at its 1,000 steps it was 4 of this suite's 10 minutes.
            if (model["pretrain"] is JsonObject pretrain) ShrinkTraining(pretrain);
        }
        if (tree["collection"] is JsonObject collection) ShrinkCollection(collection);
        if (tree["seeds"] is JsonArray seeds) tree["seeds"] = new JsonArray(seeds[0]!.GetValue<int>());
        var eval = tree["evaluation"] as JsonObject ?? [];
        tree["evaluation"] = eval;
        var plan = eval["plan"] as JsonObject ?? [];
        eval["plan"] = plan;
        var planner = plan["planner"] as JsonObject ?? new JsonObject { ["kind"] = "mppi" };
        plan["planner"] = planner;
        planner["samples"] = 8;
        planner["iterations"] = 1;
        if (planner["elites"] is not null) planner["elites"] = 2;
        if (plan["hierarchy"] is JsonObject { } twoLevel && twoLevel["planner"] is JsonObject high)
            (high["samples"], high["iterations"]) = (8, 1);
        eval["plannerHorizons"] = new JsonArray(4);
        eval["landscapeCell"] = 8;
        var episodes = eval["episodes"] as JsonObject ?? [];
        eval["episodes"] = episodes;
        (episodes["acrossRooms"], episodes["sameRoom"], episodes["pushes"], episodes["budget"]) = (1, 1, 1, 8);
        if (episodes["mazePairs"] is not null) episodes["mazePairs"] = 1; // one pair per distance bin

        var config = ConfigBinder.Bind<ExperimentConfig>(tree, name);
        var observer = new RecordingObserver();
        var graph = ExperimentRunner.Run(config, tmp["run"], CPU, observer, CancellationToken.None);
        Assert.Equal(graph.Units.Select(u => u.Id), observer.Units.Select(u => u.Id));
        Assert.True(File.Exists(Path.Combine(tmp["run"], "report.md")), name);
        // Every figure the report shows is there, and a collection draws success versus data for each method.
        string report = File.ReadAllText(Path.Combine(tmp["run"], "report.md"));
        foreach (Match link in Regex.Matches(report, @"!\[[^\]]*\]\((plots/[^)]+)\)"))
            Assert.True(File.Exists(Path.Combine(tmp["run"], link.Groups[1].Value)), $"{name}: {link.Value}");
        if (tree["collection"] is null) return;
        var methods = File.ReadLines(Path.Combine(tmp["run"], "collection.csv")).Skip(1).First().Split(',')
            .Where(c => c.EndsWith("_successes", StringComparison.Ordinal)).Select(c => c[..^"_successes".Length])
            .ToList();
        Assert.NotEmpty(methods);
        foreach (var method in methods)
            Assert.Contains($"plots/{Collection.CollectionReport.SuccessPlotName(method)}.png", report);
    }

    [Theory]
    [MemberData(nameof(Trainings))]
    public void Given_a_committed_training_config_When_trained_for_two_steps_Then_it_leaves_a_checkpoint(string name)
    {
        using var tmp = new TempFolder();
        var tree = Tree(name);
        Shrink(tree["data"]!.AsObject());
        ShrinkTraining(tree);
        var config = ConfigBinder.Bind<RunConfig>(tree, name);
        var run = new TrainingRun(config, tmp["run"]);
        var data = DataStage.OpenOrGenerate(config.Data, SilentObserver.Instance, CancellationToken.None);
        TrainStage.Train(run, data, name, new Graph.UnitContext(CPU, SilentObserver.Instance, CancellationToken.None));
        Assert.Equal(2, run.CompletedSteps());
    }

    /// <summary>Few episodes, in a dataset of its own (the config's content hash still names the folder).</summary>
    private static void Shrink(JsonObject data)
    {
        data["name"] = "config-smoke";
        data["episodes"] = 16;
        data["chunkEpisodes"] = 8;
    }

    /// <summary>One small round of every strategy, with a collector (and its high level) trained for two steps.</summary>
    private static void ShrinkCollection(JsonObject collection)
    {
        (collection["initialEpisodes"], collection["roundEpisodes"], collection["rounds"]) = (8, 4, 1);
        collection["evaluateAfter"] = new JsonArray(0, 1);
        if (collection["collector"] is JsonObject collector)
        {
            ShrinkTraining(collector);
            if (collector["hierarchy"] is JsonObject hierarchy) ShrinkTraining(hierarchy);
        }
        foreach (var strategy in collection["strategies"] as JsonArray ?? [])
        {
            if (strategy!["kind"]!.GetValue<string>() == "passive") continue;
            strategy["planner"] = new JsonObject { ["kind"] = "mppi", ["samples"] = 8, ["iterations"] = 1 };
            (strategy["plannerHorizon"], strategy["replanEvery"]) = (4, 4);
        }
    }

    private static void ShrinkTraining(JsonObject owner)
    {
        var train = owner["train"] as JsonObject ?? [];
        owner["train"] = train;
        (train["steps"], train["batchSize"], train["warmupSteps"]) = (2, 4, 1);
    }
}
