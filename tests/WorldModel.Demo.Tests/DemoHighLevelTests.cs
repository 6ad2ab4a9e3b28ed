using WorldModel.Data;
using WorldModel.Demo;
using WorldModel.Models;
using WorldModel.Models.Hierarchy;
using WorldModel.Models.Objectives;
using WorldModel.Models.Training;
using WorldModel.Render;
using WorldModel.Render.Cpu;
using WorldModel.Sim.Policies;
using WorldModel.Worlds.TwoRooms;
using static TorchSharp.torch;

namespace WorldModel.Demo.Tests;

/// <summary>
/// A learned high level in the demo: a tiny JEPA and a high level trained on it (seconds; what they predict is not
/// the point), found in one folder and paired, so the JEPA plans in two levels with subgoals read by its probe.
/// </summary>
[Collection("demo")]
public sealed class DemoHighLevelTests
{
    private const int Skip = 4;

    private static (string Low, string High) TrainBoth(TempFolder tmp)
    {
        var device = TorchRuntime.Initialise(DeviceKind.Cpu);
        var dataConfig = new DataConfig
        {
            Name = "tiny-demo", Seed = 1, Episodes = 32, Steps = 12, ChunkEpisodes = 32,
            World = new TwoRoomsConfig(), Policy = new RandomWalkPolicyConfig(),
            Render = new RenderConfig { Layout = ObservationLayout.Channels, Size = 32, PointRadius = 4f },
        };
        new DatasetGenerator(dataConfig).Generate(tmp["data"]);
        var data = Dataset.Open(tmp["data"]);
        using var renderer = new CpuRasterizer(new SceneBuilder(dataConfig.World, dataConfig.Render).Format);
        var low = new RunConfig
        {
            Name = "low", Data = dataConfig, Objective = new JepaObjectiveConfig(),
            Model = new ModelConfig
            {
                Widths = [8, 16], Latent = LatentKind.Flat, LatentDim = 16, PredictorHidden = 16,
            },
            Train = new TrainConfig { Steps = 4, BatchSize = 4, Rollout = 4, WarmupSteps = 1 },
            CheckpointEvery = 4,
        };
        var high = low with
        {
            Name = "high",
            Train = low.Train with { Rollout = 2 },
            Hierarchy = new HierarchyConfig { LowLevel = "../low", Skip = Skip, MacroActionDim = 2 },
        };
        string runs = tmp["runs"];
        new TrainingRun(low, Path.Combine(runs, "low")).Run(data, renderer, device);
        new TrainingRun(high, Path.Combine(runs, "high")).Run(data, renderer, device);
        return (Path.Combine(runs, "low"), Path.Combine(runs, "high"));
    }

    [Fact]
    public void Given_a_JEPA_and_its_high_level_When_loaded_Then_the_JEPA_plans_in_two_levels_with_probed_subgoals()
    {
        using var tmp = new TempFolder("wm-demo-high");
        var (low, high) = TrainBoth(tmp);
        // The high level's folder alone is enough: it brings the run its hierarchy.lowLevel names.
        foreach (string folder in new[] { Path.GetDirectoryName(low)!, high })
        {
            using var models = DemoModels.Load(folder, CPU);
            Assert.Equal(Path.GetFullPath(low), models.JepaModel!.Folder);
            Assert.Equal(Path.GetFullPath(high), models.JepaModel.High!.Folder);
            Assert.Equal(Skip, models.OracleSkip);
            Assert.Equal([DemoModels.Jepa, "oracle", "oracle-straight"], models.TwoLevelNames);
            Assert.Contains($"high level {models.JepaModel.High.Folder} (k = {Skip})", models.Description);

            using var session = new DemoSession(models,
                new DemoSettings { Model = DemoModels.Jepa, TwoLevel = true, PlannerHorizon = 3 * Skip });
            session.RunBlocking(null, maxSteps: 1);
            var s = session.Latest;
            Assert.Equal(1, s.Step);
            Assert.Equal(2 * 3, s.Subgoals.Length); // a position per jump, read from the high level's latents
            Assert.All(s.Subgoals, v => Assert.True(float.IsFinite(v)));
            Assert.Equal(2 * (Skip + 1), s.PlannedPath.Length); // the low level plans k steps toward the subgoal
        }
    }
}
