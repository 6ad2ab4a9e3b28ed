using TorchSharp;
using WorldModel.Models.Objectives;
using WorldModel.Models.Training;

namespace WorldModel.Models.Tests;

[Collection("torch")]
public sealed class CheckpointTests
{
    private static readonly ModelConfig Tiny =
        new() { Widths = [8], Latent = LatentKind.Flat, LatentDim = 16, PredictorHidden = 32 };
    private static readonly TrainConfig Train = new() { Steps = 30, BatchSize = 8, Rollout = 3, WarmupSteps = 5 };

    private static (LatentWorldModel Model, Trainer Trainer) Fresh(int seed)
    {
        var device = TorchRuntime.Initialise(DeviceKind.Cpu);
        torch.manual_seed(seed);
        var model = new LatentWorldModel(Tiny, 2, 32, 2, withDecoder: false, withInverseDynamics: true);
        return (model, new Trainer(model, new JepaObjectiveConfig(), Train, device));
    }

    private static List<float> Losses(Trainer trainer, int from, int to)
    {
        var losses = new List<float>();
        trainer.Run(TinyWorld.Sampler(8, 4, seed: 2), from, to, m => losses.Add(m.Loss));
        return losses;
    }

    [Fact]
    public void Given_a_saved_checkpoint_When_loaded_into_a_fresh_model_Then_every_parameter_is_identical()
    {
        using var tmp = new TempFolder();
        var (a, ta) = Fresh(1);
        Losses(ta, 0, 5);
        Checkpoint.Save(tmp["c"], 5, "hash", a, ta.Optimizer);
        var (b, tb) = Fresh(2);
        Assert.Equal(5, Checkpoint.Load(tmp["c"], "hash", b, tb.Optimizer));
        var pa = a.parameters().ToList();
        var pb = b.parameters().ToList();
        Assert.Equal(pa.Count, pb.Count);
        for (int i = 0; i < pa.Count; i++) Assert.True(pa[i].eq(pb[i]).all().item<bool>(), $"parameter {i} differs");
    }

    [Fact]
    public void Given_a_run_interrupted_and_resumed_from_its_checkpoint_Then_its_next_losses_match_an_uninterrupted_run()
    {
        using var tmp = new TempFolder();
        var (_, whole) = Fresh(1);
        var reference = Losses(whole, 0, 20);

        var (first, t1) = Fresh(1);
        Losses(t1, 0, 10);
        Checkpoint.Save(tmp["c"], 10, "hash", first, t1.Optimizer);
        var (resumed, t2) = Fresh(7); // different initial weights: everything must come from the checkpoint
        int step = Checkpoint.Load(tmp["c"], "hash", resumed, t2.Optimizer);
        var after = Losses(t2, step, 20);
        Assert.Equal(reference.Skip(10), after);
    }

    [Fact]
    public void Given_a_corrupted_or_foreign_checkpoint_Then_loading_fails_naming_the_file()
    {
        using var tmp = new TempFolder();
        var (a, ta) = Fresh(1);
        Checkpoint.Save(tmp["c"], 0, "hash", a, ta.Optimizer);
        var e1 = Assert.Throws<CheckpointException>(() => Checkpoint.Load(tmp["c"], "other", a, ta.Optimizer));
        Assert.Contains("another config", e1.Message);
        var path = Path.Combine(tmp["c"], Checkpoint.ModelFile);
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x40;
        File.WriteAllBytes(path, bytes);
        var e2 = Assert.Throws<CheckpointException>(() => Checkpoint.Load(tmp["c"], "hash", a, ta.Optimizer));
        Assert.Contains("model.bin failed its checksum", e2.Message);
    }
}
