using TorchSharp;
using WorldModel.Models.Hierarchy;
using WorldModel.Models.Objectives;
using WorldModel.Models.Planning;
using WorldModel.Models.Training;
using WorldModel.Plan.Models;
using WorldModel.Render;
using WorldModel.Render.Cpu;
using WorldModel.Sim;
using WorldModel.Worlds.TwoRooms;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace WorldModel.Models.Tests;

/// <summary>
/// Model code runs where it is told: on the device a parameter names (cpu here; cuda as well wherever libtorch sees a
/// GPU), its tensors staying there until the one read-back at the end of a step or a scoring call.
/// </summary>
[Collection("torch")]
public sealed class DeviceTests(ITestOutputHelper output) : IDisposable
{
    private const int Skip = 2;
    private static readonly ModelConfig Tiny =
        new() { Widths = [8], Latent = LatentKind.Flat, LatentDim = 16, PredictorHidden = 32 };

    private readonly TempFolder _tmp = new("wm-device");

    public void Dispose() => _tmp.Dispose();

    /// <summary>cpu always; cuda as well when this libtorch and machine have it.</summary>
    public static TheoryData<string> Devices()
    {
        var devices = new TheoryData<string> { "cpu" };
        TorchRuntime.Initialise(DeviceKind.Cpu);
        if (cuda.is_available()) devices.Add("cuda");
        return devices;
    }

    private static DeviceKind Kind(string name) => name == "cuda" ? DeviceKind.Cuda : DeviceKind.Cpu;

    private static void AssertOn(Device device, Tensor t, string what) =>
        Assert.True(t.device_type == device.type, $"{what} is on {t.device_type}, not {device.type}");

    [Theory]
    [MemberData(nameof(Devices))]
    public void Given_a_device_When_training_steps_run_Then_batches_loss_weights_and_gradients_live_there(string name)
    {
        var device = TorchRuntime.Initialise(Kind(name));
        manual_seed(1);
        var model = new LatentWorldModel(Tiny, 2, 32, 2, withDecoder: false, withInverseDynamics: true);
        model.to(device);
        var seen = new List<(string What, DeviceType Where)>();
        var trainer = new Trainer(model, new JepaObjectiveConfig(),
            new TrainConfig { Steps = 3, BatchSize = 8, Rollout = 3, WarmupSteps = 1 }, device,
            (m, frames, actions) =>
            {
                var loss = Objective.Compute(new JepaObjectiveConfig(), m, frames, actions);
                seen.Add(("frames", frames.device_type));
                seen.Add(("actions", actions.device_type));
                seen.Add(("loss", loss.Total.device_type));
                seen.AddRange(loss.Terms.Select(t => (t.Key, t.Value.device_type)));
                return loss;
            });
        var losses = new List<float>();
        ScalarRace.RetryOnce(() =>
        {
            trainer.Run(TinyWorld.Sampler(8, 4, seed: 2), 0, 3, m => losses.Add(m.Loss));
            return losses.Count;
        }, output.WriteLine);

        Assert.NotEmpty(seen);
        Assert.All(seen, s => Assert.True(s.Where == device.type, $"{s.What} was on {s.Where}"));
        foreach (var (n, p) in model.named_parameters())
        {
            AssertOn(device, p, n);
            if (p.grad is { } g) AssertOn(device, g, n + ".grad");
        }
        Assert.All(losses, l => Assert.True(float.IsFinite(l)));
    }

    [Theory]
    [MemberData(nameof(Devices))]
    public void Given_a_device_Then_the_torch_seed_repeats_draws_made_there(string name)
    {
        var device = TorchRuntime.Initialise(Kind(name));
        using var scope = NewDisposeScope();
        manual_seed(7);
        var a = rand([16], device: device);
        manual_seed(7);
        var b = rand([16], device: device);
        AssertOn(device, a, "the draw");
        Assert.True(a.allclose(b, rtol: 0, atol: 0), "the same seed drew different numbers");
    }

    [Theory]
    [MemberData(nameof(Devices))]
    public void Given_a_device_When_a_two_level_model_trains_encodes_scores_and_jumps_Then_its_latents_stay_there(
        string name)
    {
        var device = TorchRuntime.Initialise(Kind(name));
        var data = TinyWorld.Dataset;
        var renderer = new CpuRasterizer(new SceneBuilder(data.Config.World, data.Config.Render).Format);
        var low = new RunConfig
        {
            Name = "low", Data = data.Config, Model = Tiny, Objective = new JepaObjectiveConfig(),
            Train = new TrainConfig { Steps = 3, BatchSize = 8, Rollout = 3, WarmupSteps = 1 },
            CheckpointEvery = 3,
        };
        var high = low with
        {
            Name = "high",
            Train = low.Train with { Rollout = 2 },
            Hierarchy = new HierarchyConfig { LowLevel = "../low", Skip = Skip, MacroActionDim = 4 },
        };
        ScalarRace.RetryOnce(() => new TrainingRun(low, _tmp["low"]).Run(data, renderer, device), output.WriteLine);
        ScalarRace.RetryOnce(() => new TrainingRun(high, _tmp["high"]).Run(data, renderer, device), output.WriteLine);
        var (_, model) = TrainedPlanningModels.LoadTrained(_tmp["high"], device);
        using var _ = model;
        foreach (var (n, p) in model.named_parameters()) AssertOn(device, p, n);

        // Encode: frames go up once, latents come out on the device.
        using (no_grad())
        using (NewDisposeScope())
        {
            var batch = TinyWorld.Sampler(4, 2 * Skip + 1, seed: 3).Sample(0);
            var z = model.Encode(FrameTensors.Frames(batch, device));
            AssertOn(device, z, "the encoded latents");
            var macros = model.HighLevel!.EncodeMacros(FrameTensors.Actions(batch, device)[.., ..Skip]);
            AssertOn(device, model.HighLevel.Rollout(z[.., 0], macros), "the high level's jump");
        }

        // Planning through both levels: every call reads back only its result.
        var world = new TwoRoomsConfig();
        var scenes = new SceneBuilder(world, data.Config.Render);
        var layout = new float[TwoRoomsLayout.Dim];
        new TwoRoomsBatch(world, 1).Layouts[0].WriteTo(layout);
        Observations At(float x, float y) =>
            new(1, renderer.Format, scenes.Render(renderer, new[] { x, y }, layout, 1), [x, y], layout);
        var lowLevel = new LearnedPlanningModel("low", model, device, CostSpace.Latent, CostShape.Sum);
        using var planning = new HierarchicalPlanningModel("two-level", lowLevel, CostShape.Sum);
        planning.SetGoals(At(20, 40));
        planning.Observe(At(12, 12));
        AssertOn(device, lowLevel.Current!, "the observed latent");
        AssertOn(device, lowLevel.GoalLatent!, "the goal's latent");

        const int candidates = 4, horizon = 3, macroSteps = 2;
        ulong rng = 5;
        float[] Draw(int n) => Enumerable.Range(0, n).Select(_ => Rng.Uniform(ref rng, -1f, 1f)).ToArray();
        var costs = new float[candidates];
        planning.High.Score(Draw(candidates * macroSteps * planning.MacroDim), candidates, macroSteps, costs);
        Assert.All(costs, c => Assert.True(float.IsFinite(c)));
        var aims = planning.AimAt(Draw(macroSteps * planning.MacroDim), macroSteps);
        Assert.Single(aims);
        planning.Score(Draw(candidates * horizon * 2), candidates, horizon, costs);
        Assert.All(costs, c => Assert.True(float.IsFinite(c)));
        var jumps = planning.ImagineJumps(Draw(macroSteps * planning.MacroDim), macroSteps);
        Assert.Equal(macroSteps, jumps.Length);
        AssertOn(device, lowLevel.Current!, "the observed latent after planning");
    }
}
