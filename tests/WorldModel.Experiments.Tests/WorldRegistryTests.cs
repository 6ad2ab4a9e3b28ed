using System.Text.RegularExpressions;
using WorldModel.Core.Config;
using WorldModel.Plan.Models;
using WorldModel.Worlds;
using static TorchSharp.torch;

namespace WorldModel.Experiments.Tests;

/// <summary>A world is one folder and one registration: every registered world runs the whole pipeline, and nothing
/// else names one.</summary>
public sealed class WorldRegistryTests
{
    public static TheoryData<string> Worlds() => [.. WorldRegistry.Worlds.Select(ConfigNames.Kind)];

    [Theory]
    [MemberData(nameof(Worlds))]
    public void Given_a_registered_world_When_its_tiny_experiment_runs_Then_data_training_planning_and_the_report_all_happen(string kind)
    {
        using var tmp = new TempFolder();
        var world = WorldRegistry.Defaults().Single(w => ConfigNames.Kind(w.GetType()) == kind);
        string oracles = string.Join(",",
            PlanningModels.OracleCosts(world).Select(c => $"\"{PlanningModels.Name(c)}\""));
        var config = ConfigLoader.LoadFile<ExperimentConfig>(Repository.Config("tiny-experiment.json"), [
            "data.name=tiny-" + kind, "data.world.kind=" + kind, "data.policy.kind=uniform",
            "evaluation.oracles=[" + oracles + "]",
            "evaluation.episodes={\"acrossRooms\":1,\"sameRoom\":1,\"pushes\":2,"
                + "\"mazePairs\":1,\"mazeDistances\":[1,3],\"budget\":8}",
            "evaluation.plannerHorizons=[4]",
            "models=[{\"name\":\"jepa\",\"model\":{\"widths\":[8,16],\"predictorHidden\":16},"
                + "\"train\":{\"steps\":4,\"batchSize\":8,\"rollout\":4,\"warmupSteps\":1}}]"]);
        var observer = new RecordingObserver();
        var graph = ExperimentRunner.Run(config, tmp["run"], CPU, observer, CancellationToken.None);

        Assert.Contains("train/jepa-seed0", observer.Ran);
        var csv = File.ReadAllLines(Path.Combine(tmp["run"], "results.csv"));
        var methods = csv.Skip(1).Select(l => l[..l.IndexOf(',')]).Distinct().Order().ToArray();
        Assert.Equal(
            [.. PlanningModels.OracleCosts(world).Select(c => "oracle/" + PlanningModels.Name(c)), "jepa/latent"],
            methods.OrderBy(m => m.StartsWith("jepa", StringComparison.Ordinal)).ThenBy(m => m));
        Assert.Equal(1 + 2 * methods.Length, csv.Length); // 2 episodes per method at one horizon
        Assert.Contains("## Results", File.ReadAllText(Path.Combine(tmp["run"], "report.md")));
        Assert.Equal(world is ICostLandscapeWorld, graph.Units.Any(u => u.Stage == "landscape"));
    }

    /// <summary>
    /// Code outside src/WorldModel.Worlds names no type of a world's folder: it reaches worlds through the
    /// registry and the layers' interfaces (the classroom demo through <see cref="IDemoWorld"/>).
    /// </summary>
    [Fact]
    public void No_code_outside_the_world_folders_names_a_concrete_world_type()
    {
        var worldTypes = typeof(WorldRegistry).Assembly.GetExportedTypes()
            .Where(t => !t.IsNested && t.Namespace is { } ns
                && ns.StartsWith("WorldModel.Worlds.", StringComparison.Ordinal))
            .Select(t => t.Name.Split('`')[0]).Distinct().ToArray();
        Assert.Contains("TwoRoomsBatch", worldTypes);
        var name = new Regex(
            @"\b(" + string.Join("|", worldTypes) + @")\b|WorldModel\.Worlds\.(TwoRooms|PushBall|Maze)");
        string src = Repository.Path("src");
        var hits = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .Select(f => Path.GetRelativePath(src, f).Replace('\\', '/'))
            .Where(f => !f.StartsWith("WorldModel.Worlds/", StringComparison.Ordinal))
            .SelectMany(f => File.ReadLines(Path.Combine(src, f)).Select((line, i) => (f, i, line)))
            .Where(x => !x.line.TrimStart().StartsWith("//", StringComparison.Ordinal) && name.IsMatch(x.line))
            .Select(x => $"{x.f}:{x.i + 1}: {x.line.Trim()}").ToList();
        Assert.True(hits.Count == 0, "concrete world types outside src/WorldModel.Worlds:\n" + string.Join("\n", hits));
    }
}
