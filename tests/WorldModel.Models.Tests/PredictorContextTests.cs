using TorchSharp;
using WorldModel.Models.Hierarchy;
using WorldModel.Models.Objectives;
using WorldModel.Models.Planning;
using WorldModel.Models.Training;
using WorldModel.Plan.Models;
using WorldModel.Plan.Mpc;
using WorldModel.Plan.Planners;
using WorldModel.Render;
using WorldModel.Render.Cpu;
using WorldModel.Worlds.TwoRooms;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace WorldModel.Models.Tests;

/// <summary>
/// model.predictorContext = start: the predictor is handed the latent its rollout started from at every step, so a
/// rolled latent need not carry what only the first frame shows (a random layout's wall and door).
/// </summary>
[Collection("torch")]
public sealed class PredictorContextTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"wm-predictor-context-{Guid.NewGuid():N}");

    public void Dispose()
    {
        try { Directory.Delete(_root, true); } catch (IOException) { }
    }

    /// <summary>
    /// A task whose dynamics depend on what only the start shows: the sign s of z_0's first number flips the
    /// direction the action moves the second, and every later latent has its first number zeroed, so a predictor
    /// that sees only z_t must carry s somewhere the loss punishes.
    /// </summary>
    private static double TrainOnHiddenSign(PredictorContext context)
    {
        torch.manual_seed(3);
        var config = new ModelConfig
        {
            Widths = [4], Latent = LatentKind.Flat, LatentDim = 4, PredictorHidden = 64, PredictorContext = context,
        };
        using var model = new LatentWorldModel(
            config, channels: 2, frameSize: 16, actionDim: 1, withDecoder: false, withInverseDynamics: false);
        using var optimiser = optim.Adam(model.Predictor.parameters(), lr: 3e-3);
        const int steps = 6, batch = 64;
        double last = 0;
        for (int i = 0; i < 400; i++)
        {
            using var scope = NewDisposeScope();
            var sign = randint(0, 2, [batch, 1]).to(float32) * 2 - 1;
            var z0 = cat([sign, randn(batch, 3)], 1);
            var actions = rand(batch, steps, 1) * 2 - 1;
            // Targets: [0, z0[1] + s·Σa, z0[2], z0[3]] after each step.
            var moved = z0[.., 1].unsqueeze(1) + sign * actions[.., .., 0].cumsum(1);       // (B, steps)
            var targets = stack([
                zeros_like(moved), moved,
                z0[.., 2].unsqueeze(1).expand(-1, steps), z0[.., 3].unsqueeze(1).expand(-1, steps),
            ], 2);
            var loss = nn.functional.mse_loss(model.Rollout(z0, actions), targets);
            optimiser.zero_grad();
            loss.backward();
            optimiser.step();
            if (i >= 380) last += loss.item<float>() / 20;
        }
        return last;
    }

    [Fact]
    public void A_predictor_that_sees_the_start_learns_dynamics_set_by_the_first_latent_that_a_plain_one_cannot()
    {
        double plain = TrainOnHiddenSign(PredictorContext.None), start = TrainOnHiddenSign(PredictorContext.Start);
        output.WriteLine($"rollout error after 400 steps: plain {plain:F4}, sees the start {start:F4}");
        // A plain predictor that forgets s errs by about E[(Σa)²]/2 per number on the moved one; it may hide s
        // in the other numbers only by erring there.
        Assert.True(start < 0.25 * plain, $"sees the start {start:F4} vs plain {plain:F4}");
    }

    [Fact]
    public void A_predictor_that_sees_the_start_refuses_a_step_without_it_and_the_key_leaves_other_hashes_alone()
    {
        var plain = new ModelConfig { Widths = [4], Latent = LatentKind.Flat, LatentDim = 8 };
        using var model = new LatentWorldModel(
            plain with { PredictorContext = PredictorContext.Start }, channels: 2, frameSize: 16, actionDim: 2,
            withDecoder: false, withInverseDynamics: false);
        using var scope = NewDisposeScope();
        var z = randn(3, 8);
        var a = randn(3, 2);
        Assert.Equal([3L, 8L], model.Predictor.Next(z, a, z).shape);
        var e = Assert.Throws<InvalidOperationException>(() => model.Predictor.Next(z, a, null));
        Assert.Contains("predictorContext", e.Message);
        e = Assert.Throws<InvalidOperationException>(() => model.Predictor.call(z, a));
        Assert.Contains("predictorContext", e.Message);

        // An added key: runs written before it keep their hash (and their folders stay reusable).
        var run = new RunConfig { Name = "ctx", Data = TinyWorld.Dataset.Config, Model = plain };
        Assert.Equal(TrainingRun.ContentHash(run),
            TrainingRun.ContentHash(run with { Model = plain with { PredictorContext = PredictorContext.None } }));
        Assert.NotEqual(TrainingRun.ContentHash(run),
            TrainingRun.ContentHash(run with { Model = plain with { PredictorContext = PredictorContext.Start } }));
    }

    [Fact]
    public void Given_a_tiny_JEPA_whose_predictors_see_the_start_Then_its_jumps_beat_copying_and_every_planner_plans_it()
    {
        const int skip = 4;
        var data = TinyWorld.Dataset;
        var renderer = new CpuRasterizer(new SceneBuilder(data.Config.World, data.Config.Render).Format);
        var device = TorchRuntime.Initialise(DeviceKind.Cpu);
        var low = new RunConfig
        {
            Name = "low", Data = data.Config,
            Model = new ModelConfig
            {
                Widths = [8, 16], Latent = LatentKind.Flat, LatentDim = 16, PredictorContext = PredictorContext.Start,
            },
            Objective = new JepaObjectiveConfig(),
            Train = new TrainConfig { Steps = 150, BatchSize = 16, Rollout = 4, LearningRate = 2e-3, WarmupSteps = 10 },
            CheckpointEvery = 150,
        };
        var high = low with
        {
            Name = "high", Train = low.Train with { Steps = 300, Rollout = 3 },
            Hierarchy = new HierarchyConfig { LowLevel = "../low", Skip = skip, MacroActionDim = 4 },
            CheckpointEvery = 300,
        };
        var lowRun = new TrainingRun(low, Path.Combine(_root, "low"));
        var highRun = new TrainingRun(high, Path.Combine(_root, "high"));
        ScalarRace.RetryOnce(() => lowRun.Run(data, renderer, device), output.WriteLine);
        ScalarRace.RetryOnce(() => highRun.Run(data, renderer, device), output.WriteLine);

        // Loaded from disk, both predictors see the start, and the jump beats copying on batches never drawn.
        var (_, model) = TrainedPlanningModels.LoadTrained(highRun.Folder, CPU);
        Assert.True(model.Predictor.SeesStart && model.HighLevel!.Predictor.SeesStart);
        using (no_grad())
        {
            var sample = TinyWorld.Sampler(64, skip + 1, seed: 99).Sample(0);
            var z = model.Encode(FrameTensors.Frames(sample, CPU));
            var macros = model.HighLevel.EncodeMacros(FrameTensors.Actions(sample, CPU));
            double jump = (model.HighLevel.Rollout(z[.., 0], macros)[.., 0] - z[.., skip]).pow(2).mean().item<float>();
            double copy = (z[.., 0] - z[.., skip]).pow(2).mean().item<float>();
            output.WriteLine($"{skip}-step jump error {jump:F4}, copying the current latent {copy:F4}");
            Assert.True(jump < 0.5 * copy, $"jump {jump:F4} vs copy {copy:F4}");
        }

        // Every way of planning a high-level run plans it: flat, two levels, the search over its jumps.
        var methods = TrainedPlanningModels.FromRun(
            highRun.Folder, CPU, CostShape.Min, CostShape.Terminal, search: new LatentSearchConfig { Depth = 2 });
        Assert.Equal(["jepa/latent", "jepa/latent-hier", "jepa/latent-search"], methods.Select(m => m.Name));
        var world = (TwoRoomsConfig)data.Config.World;
        var scenes = new SceneBuilder(world, data.Config.Render);
        var layout = new float[TwoRoomsLayout.Dim];
        var batch = new TwoRoomsBatch(world, 1);
        batch.Layouts[0].WriteTo(layout);
        ulong rng = 11;
        var episodes = Enumerable.Range(0, 4).Select(i => TwoRoomsEpisodes.Create(
            i, layout, Point(batch.SampleFreePoint(0, ref rng, 2.6f)), Point(batch.SampleFreePoint(0, ref rng, 2.6f)),
            budget: 8, world)).ToArray();
        var runner = new MpcRunner(world, renderer, scenes, new MpcConfig
        {
            Planner = new MppiConfig { Samples = 32, Iterations = 1 }, PlannerHorizon = 8, ReplanEvery = 2,
            BatchEpisodes = 4,
        });
        foreach (var m in methods)
        {
            var results = runner.Run(m, episodes);
            output.WriteLine($"{m.Name}: mean final distance {results.Average(r => r.FinalDistance):F1} px");
            Assert.Equal(episodes.Length, results.Length);
            Assert.All(results, r => Assert.True(float.IsFinite(r.FinalDistance)));
            m.Dispose();
        }

        static float[] Point((float X, float Y) p) => [p.X, p.Y];
    }
}
