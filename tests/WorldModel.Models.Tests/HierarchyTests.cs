using TorchSharp;
using WorldModel.Models.Hierarchy;
using WorldModel.Models.Objectives;
using WorldModel.Models.Planning;
using WorldModel.Models.Training;
using WorldModel.Plan.Models;
using WorldModel.Render;
using WorldModel.Render.Cpu;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace WorldModel.Models.Tests;

/// <summary>A tiny JEPA, then a high level trained on top of it (HWM): frozen low level, k-step jumps.</summary>
[Collection("torch")]
public sealed class HierarchyTests(ITestOutputHelper output) : IDisposable
{
    private const int Skip = 4;
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"wm-hierarchy-{Guid.NewGuid():N}");

    private static readonly ModelConfig Tiny = new() { Widths = [8, 16], Latent = LatentKind.Flat, LatentDim = 16 };

    public void Dispose()
    {
        try { Directory.Delete(_root, true); } catch (IOException) { }
    }

    private (TrainingRun Low, TrainingRun High) TrainBoth(
        int lowSteps, int highSteps, GoalValueConfig? value = null, GoalPolicyConfig? policy = null)
    {
        var data = TinyWorld.Dataset;
        var renderer = new CpuRasterizer(new SceneBuilder(data.Config.World, data.Config.Render).Format);
        var device = TorchRuntime.Initialise(DeviceKind.Cpu);
        var low = new RunConfig
        {
            Name = "low", Data = data.Config, Model = Tiny, Objective = new JepaObjectiveConfig(),
            Train = new TrainConfig { Steps = lowSteps, BatchSize = 16, Rollout = 4, LearningRate = 2e-3, WarmupSteps = 10 },
            CheckpointEvery = lowSteps,
        };
        var lowRun = new TrainingRun(low, Path.Combine(_root, "low"));
        var high = low with
        {
            Name = "high",
            Train = low.Train with { Steps = highSteps, Rollout = 3 },
            Hierarchy = new HierarchyConfig
            {
                LowLevel = "../low", Skip = Skip, MacroActionDim = 4, Value = value, Policy = policy,
            },
            CheckpointEvery = highSteps,
        };
        string name = "high" + (value is null ? "" : "-value") + (policy is null ? "" : "-policy")
            + (policy is { OwnEncoder: true } ? "-own" : "");
        var highRun = new TrainingRun(high, Path.Combine(_root, name));
        var sw = System.Diagnostics.Stopwatch.StartNew();
        if (lowRun.CompletedSteps() < lowSteps)
            ScalarRace.RetryOnce(() => lowRun.Run(data, renderer, device), output.WriteLine);
        ScalarRace.RetryOnce(() => highRun.Run(data, renderer, device), output.WriteLine);
        output.WriteLine($"low {lowSteps} + high {highSteps} steps in {sw.Elapsed.TotalSeconds:F0} s");
        return (lowRun, highRun);
    }

    [Fact]
    public void Given_a_trained_low_level_When_a_high_level_is_trained_on_it_Then_it_jumps_k_steps_better_than_copying_the_latent_and_leaves_the_low_level_unchanged()
    {
        var (low, high) = TrainBoth(lowSteps: 150, highSteps: 500);
        var (_, lowModel) = TrainedPlanningModels.LoadTrained(low.Folder, CPU);
        var (_, model) = TrainedPlanningModels.LoadTrained(high.Folder, CPU);

        // Frozen: every low-level weight of the hierarchical model equals the low run's.
        var lowWeights = lowModel.state_dict();
        foreach (var (name, w) in model.state_dict().Where(p => lowWeights.ContainsKey(p.Key)))
            Assert.True(w.allclose(lowWeights[name], rtol: 0, atol: 0), $"{name} changed while the high level trained");

        // k-step prediction on batches the training never drew (another seed): jump vs copy the current latent.
        using var _ = no_grad();
        var sampler = TinyWorld.Sampler(64, 2 * Skip + 1, seed: 99);
        double jump = 0, copy = 0;
        for (int b = 0; b < 4; b++)
        {
            var batch = sampler.Sample(b);
            var z = model.Encode(FrameTensors.Frames(batch, CPU));                    // (B, 2k + 1, D)
            var macros = model.HighLevel!.EncodeMacros(FrameTensors.Actions(batch, CPU)[.., ..Skip]);
            var predicted = model.HighLevel.Rollout(z[.., 0], macros)[.., 0];
            jump += (predicted - z[.., Skip]).pow(2).mean().item<float>();
            copy += (z[.., 0] - z[.., Skip]).pow(2).mean().item<float>();
        }
        output.WriteLine($"{Skip}-step jump error {jump / 4:F4}, copying the current latent {copy / 4:F4}");
        Assert.True(jump < 0.5 * copy, $"jump {jump / 4:F4} vs copy {copy / 4:F4}");

        // The planner's box came from the data: inside the LayerNorm'd range, not the initial ±2.
        var (lo, hi) = model.HighLevel!.Bounds;
        Assert.All(lo.Zip(hi), b => Assert.True(b.First < b.Second && b.First > -2 && b.Second < 2,
            $"bounds [{b.First}, {b.Second}]"));

        // The run offers flat and two-level planning.
        var methods = TrainedPlanningModels.FromRun(high.Folder, CPU, CostShape.Min, CostShape.Terminal);
        Assert.Equal(["jepa/latent", "jepa/latent-hier"], methods.Select(m => m.Name));
        Assert.IsType<HierarchicalPlanningModel>(methods[1]);
        foreach (var m in methods) m.Dispose();
    }

    [Fact]
    public void Given_a_high_level_that_also_learns_a_value_Then_its_jumps_train_exactly_as_without_it_and_the_run_offers_planning_by_the_value()
    {
        var (_, plain) = TrainBoth(lowSteps: 60, highSteps: 60);
        var (_, valued) = TrainBoth(lowSteps: 60, highSteps: 60, new GoalValueConfig { Hidden = 32 });
        var (_, a) = TrainedPlanningModels.LoadTrained(plain.Folder, CPU);
        var (_, b) = TrainedPlanningModels.LoadTrained(valued.Folder, CPU);

        // The value reads the frozen latents and is clipped on its own: every other weight is bit for bit the same.
        var withValue = b.state_dict();
        var shared = a.state_dict().ToList();
        Assert.Contains(withValue.Keys, k => k.Contains("_value."));
        foreach (var (name, w) in shared)
            Assert.True(w.allclose(withValue[name], rtol: 0, atol: 0),
                $"{name} differs when the high level also learns a value");
        Assert.True(shared.Count < withValue.Count);

        var methods = TrainedPlanningModels.FromRun(valued.Folder, CPU, CostShape.Min, CostShape.Terminal);
        Assert.Equal(["jepa/latent", "jepa/latent-hier", "jepa/latent-value", "jepa/latent-hier-value"],
            methods.Select(m => m.Name));
        Assert.IsType<LearnedPlanningModel>(methods[2]);
        var byValue = Assert.IsType<HierarchicalPlanningModel>(methods[3]);
        Assert.NotNull(byValue.ValueCost);
        Assert.Null(((HierarchicalPlanningModel)methods[1]).ValueCost);
        foreach (var m in methods) m.Dispose();

        // Asking a high level without one to plan by its value names the key to set.
        using var low = new LearnedPlanningModel("jepa/latent", a, CPU, CostSpace.Latent, CostShape.Min);
        var e = Assert.Throws<ArgumentException>(() =>
            new HierarchicalPlanningModel("jepa/latent-hier-value", low, CostShape.Min, byValue: true));
        Assert.Contains("hierarchy.value", e.Message);
        // A value measures latents, not frames.
        var frames = Assert.Throws<ArgumentException>(() => new LearnedPlanningModel(
            "jepa/frames-value", b, CPU, CostSpace.Pixel, CostShape.Min, b.HighLevel!.Value));
        Assert.Contains("latent space", frames.Message);
    }

    [Fact]
    public void Given_a_high_level_that_also_learns_a_policy_Then_its_jumps_train_exactly_as_without_it_its_chunks_beat_the_data_mean_and_its_proposals_head_for_the_goal()
    {
        var (_, plain) = TrainBoth(lowSteps: 150, highSteps: 300);
        var (_, withPolicy) = TrainBoth(lowSteps: 150, highSteps: 300, policy: new GoalPolicyConfig { Hidden = 64 });
        var (_, a) = TrainedPlanningModels.LoadTrained(plain.Folder, CPU);
        var (_, b) = TrainedPlanningModels.LoadTrained(withPolicy.Folder, CPU);

        // The policy reads the frozen latents and is clipped on its own: every other weight is bit for bit the same.
        var withWeights = b.state_dict();
        Assert.Contains(withWeights.Keys, k => k.Contains("_policy."));
        foreach (var (name, w) in a.state_dict())
            Assert.True(w.allclose(withWeights[name], rtol: 0, atol: 0),
                $"{name} differs when the high level also learns a policy");

        // On batches the training never drew: the k actions from a state toward the state 2k steps on, against the
        // batch's own mean chunk (a baseline that knows the held-out actions).
        var policy = b.HighLevel!.Policy!;
        using (no_grad())
        {
            var sampler = TinyWorld.Sampler(64, 2 * Skip + 1, seed: 99);
            double cloned = 0, mean = 0;
            for (int i = 0; i < 4; i++)
            {
                var batch = sampler.Sample(i);
                var z = b.Encode(FrameTensors.Frames(batch, CPU));
                var taken = FrameTensors.Actions(batch, CPU)[.., ..Skip];
                cloned += (policy.Chunk(z[.., 0], z[.., 2 * Skip]) - taken).pow(2).mean().item<float>();
                mean += (taken.mean([0], keepdim: true) - taken).pow(2).mean().item<float>();
            }
            output.WriteLine($"chunk error: policy {cloned / 4:F4}, the batch's mean chunk {mean / 4:F4}");
            Assert.True(cloned < 0.8 * mean, $"policy {cloned / 4:F4} vs mean chunk {mean / 4:F4}");
        }

        // The run offers planning from its proposals; a proposal heads for the goal (same room, either side).
        var methods = TrainedPlanningModels.FromRun(withPolicy.Folder, CPU, CostShape.Min, CostShape.Terminal);
        Assert.Equal(["jepa/latent", "jepa/latent-hier", "jepa/latent-policy", "jepa/policy"],
            methods.Select(m => m.Name));
        var proposing = Assert.IsType<LearnedPlanningModel>(methods[2]);
        Assert.False(proposing.ExecutesProposal);
        Assert.True(Assert.IsType<LearnedPlanningModel>(methods[3]).ExecutesProposal); // the policy alone
        proposing.SetGoals(Observed([(8, 40), (26, 40)]));
        proposing.Observe(Observed([(17, 40), (17, 40)]));
        const int horizon = 2 * Skip + 2; // a chunk, a rollout and a cut chunk
        var plan = new float[2 * horizon * 2];
        Assert.True(proposing.Propose(plan, horizon));
        float MeanX(int e) => Enumerable.Range(0, Skip).Average(t => plan[(e * horizon + t) * 2]);
        output.WriteLine($"first chunk's mean x action: toward the left goal {MeanX(0):F2}, the right {MeanX(1):F2}");
        Assert.True(MeanX(0) < 0 && MeanX(1) > 0, $"left {MeanX(0):F2}, right {MeanX(1):F2}");
        Assert.False(((LearnedPlanningModel)methods[0]).Propose(plan, horizon)); // no policy: no proposal
        foreach (var m in methods) m.Dispose();

        // A policy reads latents, not frames.
        var frames = Assert.Throws<ArgumentException>(() => new LearnedPlanningModel(
            "jepa/frames-policy", b, CPU, CostSpace.Pixel, CostShape.Min, policy: policy));
        Assert.Contains("latent space", frames.Message);
    }

    [Fact]
    public void Given_a_policy_with_its_own_encoder_Then_it_starts_from_the_JEPAs_encoder_trains_only_its_copy_beats_the_data_mean_and_proposes_one_chunk_toward_the_goal()
    {
        var (low, plain) = TrainBoth(lowSteps: 150, highSteps: 300);
        var (_, own) = TrainBoth(
            lowSteps: 150, highSteps: 300, policy: new GoalPolicyConfig { Hidden = 64, OwnEncoder = true });
        var (_, lowModel) = TrainedPlanningModels.LoadTrained(low.Folder, CPU);
        var (_, a) = TrainedPlanningModels.LoadTrained(plain.Folder, CPU);
        var (_, b) = TrainedPlanningModels.LoadTrained(own.Folder, CPU);

        // The JEPA and the jumps are bit for bit those of the run without a policy; the policy's own encoder is
        // the JEPA's architecture, started from its weights and moved by the policy's loss alone.
        var ownWeights = b.state_dict();
        foreach (var (name, w) in a.state_dict())
            Assert.True(w.allclose(ownWeights[name], rtol: 0, atol: 0), $"{name} differs with a policy's own encoder");
        var policy = b.HighLevel!.Policy!;
        var encoder = Assert.IsType<Nets.ImpalaEncoder>(policy.Encoder);
        var jepa = lowModel.Encoder.state_dict();
        double Distance(IDictionary<string, Tensor> other) =>
            encoder.state_dict().Sum(p => (p.Value - other[p.Key]).abs().max().item<float>());
        double moved = Distance(jepa);
        var data = TinyWorld.Dataset.Config;
        using var fresh = new Nets.ImpalaEncoder(Tiny, new SceneBuilder(data.World, data.Render).Format.Channels,
            data.Render.Size);
        double fromFresh = Distance(fresh.state_dict());
        output.WriteLine($"the policy's encoder from the JEPA's: {moved:F4}; from a fresh one: {fromFresh:F4} " +
            "(sum over tensors of the largest |difference|)");
        Assert.True(moved > 0, "the policy's own encoder never trained");
        Assert.True(moved < 0.5 * fromFresh, $"{moved:F4} from the JEPA's, {fromFresh:F4} from a fresh encoder");

        // Held-out batches: from frames, its chunks beat the batch's own mean chunk.
        using (no_grad())
        {
            var sampler = TinyWorld.Sampler(64, 2 * Skip + 1, seed: 99);
            double cloned = 0, mean = 0;
            for (int i = 0; i < 4; i++)
            {
                var batch = sampler.Sample(i);
                var frames = FrameTensors.Frames(batch, CPU);
                var taken = FrameTensors.Actions(batch, CPU)[.., ..Skip];
                var chunk = policy.Chunk(policy.EncodeOwn(frames[.., 0]), policy.EncodeOwn(frames[.., 2 * Skip]));
                cloned += (chunk - taken).pow(2).mean().item<float>();
                mean += (taken.mean([0], keepdim: true) - taken).pow(2).mean().item<float>();
            }
            output.WriteLine($"chunk error: own-encoder policy {cloned / 4:F4}, the batch's mean chunk {mean / 4:F4}");
            Assert.True(cloned < 0.8 * mean, $"policy {cloned / 4:F4} vs mean chunk {mean / 4:F4}");
        }

        // Its proposal is one chunk toward the goal, then standing still (it cannot see the frames past it).
        var methods = TrainedPlanningModels.FromRun(own.Folder, CPU, CostShape.Min, CostShape.Terminal);
        var alone = Assert.IsType<LearnedPlanningModel>(methods.Single(m => m.Name == "jepa/policy"));
        alone.SetGoals(Observed([(8, 40), (26, 40)]));
        alone.Observe(Observed([(17, 40), (17, 40)]));
        const int horizon = 2 * Skip + 2;
        var plan = new float[2 * horizon * 2];
        Assert.True(alone.Propose(plan, horizon));
        float MeanX(int e) => Enumerable.Range(0, Skip).Average(t => plan[(e * horizon + t) * 2]);
        output.WriteLine($"own encoder's chunk, mean x action: toward the left goal {MeanX(0):F2}, the right {MeanX(1):F2}");
        Assert.True(MeanX(0) < 0 && MeanX(1) > 0, $"left {MeanX(0):F2}, right {MeanX(1):F2}");
        for (int e = 0; e < 2; e++)
            for (int t = Skip; t < horizon; t++)
                Assert.Equal((0f, 0f), (plan[(e * horizon + t) * 2], plan[(e * horizon + t) * 2 + 1]));
        foreach (var m in methods) m.Dispose();
    }

    /// <summary>The agent at each point of the fixed layout, rendered as the tiny data renders it.</summary>
    private static Observations Observed((float X, float Y)[] points)
    {
        var data = TinyWorld.Dataset.Config;
        var scenes = new SceneBuilder(data.World, data.Render);
        using var renderer = new CpuRasterizer(scenes.Format);
        var layout = new float[WorldModel.Worlds.TwoRooms.TwoRoomsLayout.Dim];
        ulong rng = 0; // the fixed layout draws nothing
        var world = (WorldModel.Worlds.TwoRooms.TwoRoomsConfig)data.World;
        WorldModel.Worlds.TwoRooms.TwoRoomsLayout.Create(world.Layout, ref rng, world.BorderLow, world.BorderHigh)
            .WriteTo(layout);
        var states = points.SelectMany(p => new[] { p.X, p.Y }).ToArray();
        var layouts = points.SelectMany(_ => layout).ToArray();
        return new Observations(points.Length, scenes.Format, scenes.Render(renderer, states, layouts, points.Length),
            states, layouts);
    }

    [Fact]
    public void Given_summed_macro_actions_Then_a_macro_action_is_the_net_displacement_its_k_actions_ask_for()
    {
        var high = new HighLevel(new HierarchyConfig { LowLevel = "x", Skip = 3, MacroAction = MacroActionKind.Sum },
            Tiny, [16], actionDim: 2);
        Assert.Equal(2, high.MacroDim);
        var actions = tensor(new float[] { 1, 0, 1, 0, 0, 2, /* second chunk */ -1, -1, 0, 0, 0.5f, 0 }, [1, 6, 2]);
        var macros = high.EncodeMacros(actions);
        Assert.Equal(new long[] { 1, 2, 2 }, macros.shape);
        Assert.Equal(new float[] { 2, 2, -0.5f, -1 }, macros.data<float>().ToArray());
    }

    [Fact]
    public void Given_a_low_level_that_has_not_finished_When_a_high_level_is_trained_on_it_Then_it_is_refused_naming_the_run()
    {
        var data = TinyWorld.Dataset;
        var renderer = new CpuRasterizer(new SceneBuilder(data.Config.World, data.Config.Render).Format);
        var high = new RunConfig
        {
            Name = "high", Data = data.Config, Model = Tiny,
            Train = new TrainConfig { Steps = 10, BatchSize = 4, Rollout = 2, WarmupSteps = 2 },
            Hierarchy = new HierarchyConfig { LowLevel = "../missing", Skip = Skip },
        };
        var e = Assert.Throws<CheckpointException>(() =>
            new TrainingRun(high, Path.Combine(_root, "high")).Run(data, renderer, CPU));
        Assert.Contains("missing", e.Message);
    }
}
