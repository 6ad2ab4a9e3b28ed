using System.Runtime.InteropServices;
using TorchSharp;
using WorldModel.Data;
using WorldModel.Models;
using WorldModel.Models.Objectives;
using WorldModel.Models.Planning;
using WorldModel.Models.Training;
using WorldModel.Plan.Evaluation;
using WorldModel.Plan.Models;
using WorldModel.Plan.Mpc;
using WorldModel.Plan.Planners;
using WorldModel.Render;
using WorldModel.Render.Cpu;
using WorldModel.Sim;
using WorldModel.Sim.Policies;
using WorldModel.Worlds.PointAgent;
using WorldModel.Worlds.TwoRooms;
using WorldModel.Sim.Worlds;
using Xunit.Abstractions;

namespace WorldModel.Models.Tests;

/// <summary>A tiny JEPA, trained here for a few hundred steps, planned with MPPI against the real simulator.</summary>
public class LearnedPlanningTests(ITestOutputHelper output)
{
    private static readonly TwoRoomsConfig World = new();
    private static readonly RenderConfig Render =
        new() { Renderer = RendererKind.Cpu, Layout = ObservationLayout.Channels, Size = 32, PointRadius = 4f };

    private static Dataset TinyData()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"wm-plan-tests-{Environment.ProcessId}");
        var data = new DataConfig
        {
            Name = "tiny-plan",
            Seed = 1,
            Episodes = 400,
            Steps = 16,
            ChunkEpisodes = 400,
            World = World,
            Policy = new RandomWalkPolicyConfig { DoorShare = 0.3f },
            Render = Render
        };
        if (!File.Exists(Path.Combine(dir, DatasetManifest.FileName))) new DatasetGenerator(data).Generate(dir);
        return Dataset.Open(dir);
    }

    private static LatentWorldModel TrainTinyJepa(ITestOutputHelper output)
    {
        var dataset = TinyData();
        var device = TorchRuntime.Initialise(DeviceKind.Cpu);
        var scenes = new SceneBuilder(World, Render);
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                torch.manual_seed(0);
                var model = new LatentWorldModel(
                    new ModelConfig { Widths = [8, 16], Latent = LatentKind.Spatial, PredictorHidden = 32 },
                    channels: 2, frameSize: 32, actionDim: 2, withDecoder: false, withInverseDynamics: true);
                var train =
                    new TrainConfig { Steps = 200, BatchSize = 16, Rollout = 4, LearningRate = 2e-3, WarmupSteps = 10 };
                var sw = System.Diagnostics.Stopwatch.StartNew();
                new Trainer(model, new JepaObjectiveConfig(), train, device)
                    .Run(new BatchSampler(dataset, 16, 5, 3, new CpuRasterizer(scenes.Format)), 0, train.Steps);
                output.WriteLine($"trained {train.Steps} steps in {sw.Elapsed.TotalSeconds:F0} s");
                return model;
            }
            // TorchSharp 0.107's intermittent Scalar error (see Models tests, ScalarRace): retried once.
            catch (ExternalException e) when (attempt == 0 && TorchGuard.IsScalarRace(e))
            {
                output.WriteLine("retrying once after TorchSharp's intermittent Scalar error: " + e.Message);
            }
        }
    }

    /// <summary>Same-room goals 4–8 px away: the range over which a briefly trained latent is informative.</summary>
    private static PlanEpisode[] NearbyGoals(int count, int budget)
    {
        var batch = new TwoRoomsBatch(World, 1);
        var list = new List<PlanEpisode>();
        var layout = new float[TwoRoomsLayout.Dim];
        batch.Layouts[0].WriteTo(layout);
        ulong rng = 77;
        while (list.Count < count)
        {
            var start = batch.SampleFreePoint(0, ref rng, 2.6f);
            float angle = Rng.Uniform(ref rng, 0, 2 * MathF.PI), d = Rng.Uniform(ref rng, 4, 8);
            float gx = start.X + d * MathF.Cos(angle), gy = start.Y + d * MathF.Sin(angle);
            if (gx < 6.6f || gx > 57.4f || gy < 6.6f || gy > 57.4f
                || batch.Layouts[0].Room(gx, gy) != batch.Layouts[0].Room(start.X, start.Y)) continue;
            var pieces = batch.WallPieces(0);
            if (!PointVisibility.Visible(start.X, start.Y, gx, gy, pieces)) continue;
            list.Add(TwoRoomsEpisodes.Create(list.Count, layout, [start.X, start.Y], [gx, gy], budget, World));
        }
        return list.ToArray();
    }

    /// <summary>Uniformly random actions in the allowed disk, on the same episodes and budget.</summary>
    private static int RandomActionSuccesses(PlanEpisode[] episodes)
    {
        var sim = new TwoRoomsBatch(World, episodes.Length);
        sim.Load(episodes.SelectMany(e => e.Start).ToArray(), episodes.SelectMany(e => e.Layout).ToArray());
        var tracker = new SuccessTracker(sim, episodes.SelectMany(e => e.Goal).ToArray());
        var actions = new float[episodes.Length * 2];
        ulong rng = 5;
        for (int t = 1; t <= episodes[0].Budget; t++)
        {
            for (int i = 0; i < episodes.Length; i++)
            {
                float r = World.MaxStep * MathF.Sqrt(Rng.Uniform(ref rng)), a = Rng.Uniform(ref rng, 0, 2 * MathF.PI);
                actions[2 * i] = tracker.Strict(i) ? 0 : r * MathF.Cos(a);
                actions[2 * i + 1] = tracker.Strict(i) ? 0 : r * MathF.Sin(a);
            }
            sim.Step(actions);
            tracker.Update(t);
        }
        return Enumerable.Range(0, episodes.Length).Count(tracker.Strict);
    }

    [Fact]
    public void A_tiny_trained_jepa_plans_to_nearby_goals_better_than_random_actions()
    {
        var model = TrainTinyJepa(output);
        var episodes = NearbyGoals(24, budget: 20);
        var scenes = new SceneBuilder(World, Render);
        using var renderer = new CpuRasterizer(scenes.Format);
        using var planning = new LearnedPlanningModel("jepa/latent", model, torch.CPU, CostSpace.Latent, CostShape.Sum);
        var runner = new MpcRunner(World, renderer, scenes, new MpcConfig
        {
            Planner = new MppiConfig { Samples = 128, Iterations = 2 },
            PlannerHorizon = 8,
            ReplanEvery = 2,
            BatchEpisodes = 24
        });
        var results = runner.Run(planning, episodes);
        int planned = results.Count(r => r.Strict), random = RandomActionSuccesses(episodes);
        output.WriteLine($"strict successes: planned {planned}/24, random actions {random}/24; "
            + $"mean final distance {results.Average(r => r.FinalDistance):F1} px");
        Assert.True(planned >= random + 6, $"planned {planned}/24 vs random {random}/24");

        // Gradient descent through the same predictor (16 restarts × 10 Adam steps) also beats random actions.
        var gradientRunner = new MpcRunner(World, renderer, scenes, new MpcConfig
        {
            Planner = new GradientConfig { Samples = 16, Iterations = 10 },
            PlannerHorizon = 8,
            ReplanEvery = 2,
            BatchEpisodes = 24
        });
        var descended = gradientRunner.Run(planning, episodes);
        int byGradient = descended.Count(r => r.Strict);
        output.WriteLine($"gradient descent: {byGradient}/24; "
            + $"mean final distance {descended.Average(r => r.FinalDistance):F1} px");
        Assert.True(byGradient >= random + 6, $"gradient descent {byGradient}/24 vs random {random}/24");

        // Its latent distance orders positions like true distance does over the whole arena, not only nearby
        // (the prototype's flat latent: rank correlation 0.03–0.31 over the arena; this one
        // measured 0.57; chance is 0).
        var layout = new TwoRoomsBatch(World, 1).Layouts[0];
        var landscape = CostLandscape.Measure(planning, World, layout, renderer, scenes, 46.5f, 32f, cell: 2f);
        output.WriteLine($"landscape: Spearman vs straight {landscape.SpearmanStraight:F2}, "
            + $"vs geodesic {landscape.SpearmanGeodesic:F2}");
        Assert.True(landscape.SpearmanStraight > 0.4,
            $"Spearman vs straight-line distance {landscape.SpearmanStraight:F2}");
    }

    [Fact]
    public void Over_a_graph_of_its_training_data_a_tiny_jepa_crosses_the_wall_more_often_than_planned_flat()
    {
        var model = TrainTinyJepa(output);
        var episodes = TwoRoomsEpisodes.Generate(
            new EpisodesConfig { AcrossRooms = 8, SameRoom = 0, Budget = 100, Seed = 5 }, World);
        var scenes = new SceneBuilder(World, Render);
        using var renderer = new CpuRasterizer(scenes.Format);
        var runner = new MpcRunner(World, renderer, scenes, new MpcConfig
        {
            Planner = new MppiConfig { Samples = 32, Iterations = 2 },
            PlannerHorizon = 8,
            ReplanEvery = 4,
            Cost = CostShape.Min,
            BatchEpisodes = 8
        });
        LearnedPlanningModel Low() => new("jepa/latent", model, torch.CPU, CostSpace.Latent, CostShape.Min);
        using var flat = Low();
        int flatCrossed = runner.Run(flat, episodes).Count(r => r.Strict);
        using var overGraph = new GraphPlanningModel("jepa/latent-graph", Low(), new DataGraphConfig(), TinyData);
        int graphCrossed = runner.Run(overGraph, episodes).Count(r => r.Strict);
        var graph = overGraph.Graph!;
        output.WriteLine($"across the wall: flat {flatCrossed}/8, over the data graph {graphCrossed}/8 " +
            $"({graph.Nodes} nodes, {graph.NeighbourEdges} edges between episodes)");
        // Measured here: flat 1/8, over the graph 8/8 (on twice the episodes and samples: 1/16 and 16/16).
        Assert.True(graphCrossed >= flatCrossed + 3, $"graph {graphCrossed}/8 vs flat {flatCrossed}/8");
        Assert.True(graphCrossed >= 6, $"graph {graphCrossed}/8");
    }

    [Theory]
    [InlineData(CostShape.Sum)]
    [InlineData(CostShape.Min)]
    public void The_gradient_through_the_predictor_matches_finite_differences_of_the_cost(CostShape shape)
    {
        TorchRuntime.Initialise(DeviceKind.Cpu);
        torch.manual_seed(3);
        var model = new LatentWorldModel(
            new ModelConfig { Widths = [8, 16], Latent = LatentKind.Flat, LatentDim = 16, PredictorHidden = 32 },
            channels: 2, frameSize: 32, actionDim: 2, withDecoder: false, withInverseDynamics: false);
        var scenes = new SceneBuilder(World, Render);
        using var renderer = new CpuRasterizer(scenes.Format);
        var layout = new float[TwoRoomsLayout.Dim];
        new TwoRoomsBatch(World, 1).Layouts[0].WriteTo(layout);
        Observations At(float x, float y) =>
            new(1, renderer.Format, scenes.Render(renderer, new[] { x, y }, layout, 1), [x, y], layout);
        using var planning = new LearnedPlanningModel("jepa/latent", model, torch.CPU, CostSpace.Latent, shape);
        planning.SetGoals(At(20, 40));
        planning.Observe(At(12, 12));

        const int candidates = 3, horizon = 5;
        ulong rng = 11;
        var actions = Enumerable.Range(0, candidates * horizon * 2).Select(_ => Rng.Uniform(ref rng, -1.5f, 1.5f))
            .ToArray();
        var costs = new float[candidates];
        var gradient = new float[actions.Length];
        planning.ScoreWithGradient(actions, candidates, horizon, costs, gradient);
        var plain = new float[candidates];
        planning.Score(actions, candidates, horizon, plain);
        Assert.Equal(plain, costs);
        Assert.Contains(gradient, g => MathF.Abs(g) > 1e-6f);

        // Central differences, one action value at a time (float32 rollouts: step 1e-2, loose tolerance).
        const float h = 1e-2f;
        for (int i = 0; i < actions.Length; i += 3)
        {
            int candidate = i / (horizon * 2);
            var plus = (float[])actions.Clone();
            var minus = (float[])actions.Clone();
            plus[i] += h;
            minus[i] -= h;
            var cp = new float[candidates];
            var cm = new float[candidates];
            planning.Score(plus, candidates, horizon, cp);
            planning.Score(minus, candidates, horizon, cm);
            float numeric = (cp[candidate] - cm[candidate]) / (2 * h);
            Assert.True(MathF.Abs(numeric - gradient[i]) <= 0.05f * MathF.Max(MathF.Abs(numeric), 1e-3f) + 2e-4f,
                $"action value {i}: autograd {gradient[i]:G4}, finite differences {numeric:G4}");
        }
    }
}
