using TorchSharp;
using WorldModel.Models.Objectives;
using WorldModel.Models.Training;

namespace WorldModel.Models.Tests;

[Collection("torch")]
public sealed class TrainerTests
{
    private static readonly ModelConfig Tiny =
        new() { Widths = [8], Latent = LatentKind.Flat, LatentDim = 16, PredictorHidden = 32 };

    [Fact]
    public void Given_many_training_steps_Then_the_number_of_live_tensors_stays_flat()
    {
        var device = TorchRuntime.Initialise(DeviceKind.Cpu);
        torch.manual_seed(0);
        var model = new LatentWorldModel(Tiny, 2, 32, 2, withDecoder: false, withInverseDynamics: true);
        var trainer = new Trainer(model, new JepaObjectiveConfig(),
            new TrainConfig { Steps = 60, BatchSize = 8, Rollout = 3, WarmupSteps = 5 }, device);
        var live = new List<long>();
        trainer.Run(TinyWorld.Sampler(8, 4, seed: 1), 0, 60,
            m => { if (m.Step % 10 == 9) live.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount); });
        // Parameters and optimiser state exist from the first steps on; nothing else may accumulate.
        Assert.True(live[^1] <= live[1], $"live tensors grew: {string.Join(" → ", live)}");
    }

    [Fact]
    public void Given_a_learning_rate_that_blows_up_Then_training_stops_with_a_clear_error_and_the_last_checkpoint_stays_valid()
    {
        using var tmp = new TempFolder();
        var config = new RunConfig
        {
            Name = "nan", Data = TinyWorld.Dataset.Config, Model = Tiny,
            Train = new TrainConfig
            {
                Steps = 50,
                BatchSize = 8,
                Rollout = 3,
                WarmupSteps = 1,
                LearningRate = 1e-3,
                GradClip = 0
            },
            CheckpointEvery = 1,
        };
        // AdamW's step is bounded by the learning rate: a rate of 1e30 (set after validation) overflows the weights.
        var run = new TrainingRun(config with { Train = config.Train with { LearningRate = 1e30 } }, tmp["run"]);
        var renderer = new WorldModel.Render.Cpu.CpuRasterizer(
            new WorldModel.Render.SceneBuilder(TinyWorld.Dataset.Config.World, TinyWorld.Dataset.Config.Render).Format);
        var e = Assert.Throws<NonFiniteLossException>(() => run.Run(TinyWorld.Dataset, renderer, torch.CPU));
        Assert.Contains("lower train.learningRate", e.Message);
        // The checkpoint left behind verifies and comes from a step before the loss blew up.
        var latest = run.LatestCheckpoint() ?? throw new Xunit.Sdk.XunitException("no checkpoint was kept");
        var meta = Checkpoint.Verify(latest);
        Assert.InRange(meta.Step, 1, config.Train.Steps - 1);
    }
}
