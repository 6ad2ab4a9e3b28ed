using TorchSharp;
using WorldModel.Data;
using WorldModel.Models.Exploration;
using WorldModel.Models.Objectives;
using WorldModel.Models.Planning;
using WorldModel.Models.Training;
using WorldModel.Plan.Models;
using WorldModel.Render;
using WorldModel.Render.Cpu;
using WorldModel.Sim.Policies;
using WorldModel.Worlds.TwoRooms;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace WorldModel.Models.Tests;

/// <summary>
/// What the explorers seek, on a model that has only seen the left room: the ensemble's heads disagree more,
/// and latents are farther from the collected ones, in the right room than in the left; a pessimistic planner pays
/// its weight times that disagreement.
/// </summary>
[Collection("torch")]
public sealed class ExplorationTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"wm-explore-{Guid.NewGuid():N}");
    private static readonly TwoRoomsConfig World = new();
    private static readonly RenderConfig Render =
        new() { Renderer = RendererKind.Cpu, Layout = ObservationLayout.Channels, Size = 32, PointRadius = 4f };

    public void Dispose()
    {
        try { Directory.Delete(_root, true); } catch (IOException) { }
    }

    /// <summary>
    /// Random walks that never leave the left room (episodes reaching the right room are dropped), plus the first
    /// <paramref name="rightRoomEpisodes"/> episodes that stay in the right room.
    /// </summary>
    private Dataset LeftRoomOnly(int rightRoomEpisodes = 0)
    {
        var config = new DataConfig
        {
            Name = "left", Seed = 3, Episodes = 800, Steps = 16, World = World, Render = Render,
            Policy = new RandomWalkPolicyConfig { DoorShare = 0 },
        };
        var all = new DatasetGenerator(config).GenerateChunk(0, config.Episodes, World.Spec);
        var keep = Enumerable.Range(0, config.Episodes)
            .Where(e => Enumerable.Range(0, 17).All(t => all.States[(e * 17 + t) * 2] < 30f))
            .Concat(Enumerable.Range(0, config.Episodes)
                .Where(e => Enumerable.Range(0, 17).All(t => all.States[(e * 17 + t) * 2] > 34f))
                .Take(rightRoomEpisodes))
            .ToArray();
        var chunk = new ChunkFile
        {
            ContentHash = "left-room-only00", Episodes = keep.Length, Steps = 16, StateDim = 2, ActionDim = 2,
            LayoutDim = all.LayoutDim,
            States = keep.SelectMany(e => all.States.AsSpan(e * 17 * 2, 17 * 2).ToArray()).ToArray(),
            Actions = keep.SelectMany(e => all.Actions.AsSpan(e * 16 * 2, 16 * 2).ToArray()).ToArray(),
            Layouts = keep.SelectMany(e => all.Layouts.AsSpan(e * all.LayoutDim, all.LayoutDim).ToArray()).ToArray(),
        };
        output.WriteLine($"{keep.Length} of {config.Episodes} episodes stay left of x = 30");
        return CollectedDataset.Write(
            Path.Combine(_root, $"data-{rightRoomEpisodes}"), config, null, chunk, "left-room-only00", "test");
    }

    private LatentWorldModel Train(Dataset data)
    {
        var device = TorchRuntime.Initialise(DeviceKind.Cpu);
        var renderer = new CpuRasterizer(new SceneBuilder(World, Render).Format);
        return ScalarRace.RetryOnce(() =>
        {
            torch.manual_seed(0);
            var model = new LatentWorldModel(new ModelConfig { Widths = [8, 16], Latent = LatentKind.Flat, LatentDim = 16 },
                channels: 2, frameSize: 32, actionDim: 2, withDecoder: false, withInverseDynamics: true, ensembleHeads: 4);
            var objective = new JepaObjectiveConfig { EnsembleHeads = 4 };
            var train = new TrainConfig { Steps = 300, BatchSize = 16, Rollout = 4, LearningRate = 2e-3, WarmupSteps = 10 };
            new Trainer(model, objective, train, device).Run(new BatchSampler(data, 16, 5, 7, renderer), 0, train.Steps);
            return model;
        }, output.WriteLine);
    }

    /// <summary>The model's intrinsic value (minus its cost) of standing still at each of the points.</summary>
    private static float[] Value(ExplorationModel model, (float X, float Y)[] points)
    {
        model.Observe(Observed(points));
        var costs = new float[points.Length];
        model.Score(new float[points.Length * 2], 1, 1, costs);
        return costs.Select(c => -c).ToArray();
    }

    /// <summary>The agent at each of the points in the fixed layout, rendered.</summary>
    private static Observations Observed((float X, float Y)[] points)
    {
        var scenes = new SceneBuilder(World, Render);
        using var renderer = new CpuRasterizer(scenes.Format);
        var layout = new float[TwoRoomsLayout.Dim];
        ulong rng = 0; // the fixed layout draws nothing
        TwoRoomsLayout.Create(World.Layout, ref rng, World.BorderLow, World.BorderHigh).WriteTo(layout);
        var states = points.SelectMany(p => new[] { p.X, p.Y }).ToArray();
        var layouts = points.SelectMany(_ => layout).ToArray();
        return new Observations(points.Length, scenes.Format, scenes.Render(renderer, states, layouts, points.Length),
            states, layouts);
    }

    /// <summary>
    /// What <paramref name="pessimistic"/> adds to <paramref name="plain"/>'s cost, averaged over plans that stand
    /// still at each of the points for <paramref name="steps"/> steps.
    /// </summary>
    private static double Added(
        LearnedPlanningModel plain,
        LearnedPlanningModel pessimistic,
        (float X, float Y)[] points,
        int steps)
    {
        var observed = Observed(points);
        double Mean(LearnedPlanningModel m)
        {
            m.SetGoals(observed);
            m.Observe(observed);
            var costs = new float[points.Length];
            m.Score(new float[points.Length * steps * 2], 1, steps, costs);
            return costs.Average();
        }
        return Mean(pessimistic) - Mean(plain);
    }

    private static (float X, float Y)[] Grid(float x0, float x1) =>
        [.. from x in Enumerable.Range(0, 5) from y in Enumerable.Range(0, 8)
            select (x0 + (x1 - x0) * x / 4f, 10f + 44f * y / 7f)];

    [Fact]
    public void Given_data_almost_all_in_the_left_room_Then_the_rarest_collected_states_goal_directed_exploration_aims_at_lie_in_the_right_room()
    {
        var data = LeftRoomOnly(rightRoomEpisodes: 12);
        var model = Train(data);
        var renderer = new CpuRasterizer(new SceneBuilder(World, Render).Format);
        using var seen = CollectedLatents.Encode(model, data, renderer, 1024, seed: 9, CPU);
        int inRight = seen.States.Where((_, i) => i % 2 == 0).Count(x => x > 33f);
        var rarest = seen.Rarest(16, spacing: 0);
        int rareInRight = rarest.Count(i => seen.States[2 * i] > 33f);
        output.WriteLine($"{inRight} of {seen.Count} collected states in the right room; {rareInRight} of 16 rarest");
        Assert.True(inRight < seen.Count / 10, "the data is mostly the left room");
        Assert.True(rareInRight >= 8, $"{rareInRight} of the 16 rarest states lie in the right room");
    }

    [Fact]
    public void Given_a_model_trained_on_the_left_room_only_Then_its_ensemble_disagrees_more_in_the_right_room_and_its_latents_there_are_more_novel()
    {
        var data = LeftRoomOnly();
        var model = Train(data);
        var left = Grid(8f, 26f);
        var right = Grid(38f, 56f);

        using var disagreement = new ExplorationModel("disagreement", model, CPU, ExplorationObjective.Disagreement);
        double onData = Value(disagreement, left).Average(), offData = Value(disagreement, right).Average();
        output.WriteLine($"disagreement: left room {onData:G3}, right room {offData:G3}");
        Assert.True(offData > 1.3 * onData, $"right {offData:G3} vs left {onData:G3}");

        // A pessimistic planner pays for that disagreement: pessimism adds its weight times the heads' disagreement
        // at each imagined step, summed with the sum cost, averaged over the steps with min (one step's scale).
        foreach (var shape in new[] { CostShape.Sum, CostShape.Min })
        {
            using var plain = new LearnedPlanningModel("plain", model, CPU, CostSpace.Latent, shape);
            using var pessimistic = new LearnedPlanningModel("pessimistic", model, CPU, CostSpace.Latent, shape)
                { Pessimism = 100 };
            double addedLeft = Added(plain, pessimistic, left, 1), addedRight = Added(plain, pessimistic, right, 1);
            output.WriteLine($"{shape}: pessimism adds {addedLeft:G3} in the left room, {addedRight:G3} in the right");
            Assert.Equal(100 * onData, addedLeft, 1e-3 * addedLeft);
            Assert.Equal(100 * offData, addedRight, 1e-3 * addedRight);
            double fourSteps = Added(plain, pessimistic, right, 4);
            output.WriteLine($"{shape}: four steps standing still: {fourSteps:G3}");
            if (shape == CostShape.Sum) Assert.True(fourSteps > 3 * addedRight, $"{fourSteps:G3} over four steps");
            else Assert.True(fourSteps < 1.5 * addedRight, $"{fourSteps:G3} over four steps");
        }

        var renderer = new CpuRasterizer(new SceneBuilder(World, Render).Format);
        using var seen = CollectedLatents.Encode(model, data, renderer, 512, seed: 5, CPU);
        using var novelty = new ExplorationModel("novelty", model, CPU, ExplorationObjective.Novelty, seen.Latents.clone());
        double near = Value(novelty, left).Average(), far = Value(novelty, right).Average();
        output.WriteLine($"novelty: left room {near:G3}, right room {far:G3}");
        Assert.True(far > 2 * near, $"right {far:G3} vs left {near:G3}");
    }
}
