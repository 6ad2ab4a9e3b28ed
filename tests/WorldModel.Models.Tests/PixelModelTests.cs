using TorchSharp;
using WorldModel.Models.Evaluation;
using WorldModel.Models.Objectives;
using WorldModel.Models.Training;
using Xunit.Abstractions;

namespace WorldModel.Models.Tests;

[Collection("torch")]
public sealed class PixelModelTests(ITestOutputHelper output)
{
    [Fact]
    public void Given_a_tiny_pixel_model_trained_briefly_Then_its_predicted_frames_beat_copying_the_first_frame()
    {
        var device = TorchRuntime.Initialise(DeviceKind.Cpu);
        var (model, train, sw, last) = ScalarRace.RetryOnce(() =>
        {
            torch.manual_seed(0);
            var config = new ModelConfig { Widths = [8, 16], Latent = LatentKind.Spatial, PredictorHidden = 32 };
            var model = new LatentWorldModel(config, 2, 32, 2, withDecoder: true, withInverseDynamics: false);
            var train =
                new TrainConfig { Steps = 300, BatchSize = 16, Rollout = 4, LearningRate = 2e-3, WarmupSteps = 10 };
            var sw = System.Diagnostics.Stopwatch.StartNew();
            var trainer = new Trainer(model, new PixelObjectiveConfig(), train, device);
            StepMetrics? last = null;
            trainer.Run(TinyWorld.Sampler(16, 5, seed: 3), 0, train.Steps, m => last = m);
            return (model, train, sw, last);
        }, output.WriteLine);
        var errors = PredictionError.Pixel(model, TinyWorld.Sampler(32, 5, seed: 99), 4, device);
        output.WriteLine($"{train.Steps} steps in {sw.Elapsed.TotalSeconds:F1} s, last loss {last!.Loss:F5}; "
            + $"k=1..4 model {string.Join(" ", errors.Model.Select(e => e.ToString("F5")))}, "
            + $"copy {string.Join(" ", errors.CopyLast.Select(e => e.ToString("F5")))}");
        // A degenerate model that draws the walls and no agent: its error is the agent channel's energy.
        double wallsOnly;
        using (torch.no_grad())
        {
            var frames = FrameTensors.Frames(TinyWorld.Sampler(32, 5, seed: 99).Sample(1_000_000), device);
            wallsOnly = frames[.., 4, 0].pow(2).sum().item<float>() / frames[.., 4].numel();
        }
        output.WriteLine($"walls-only frame error {wallsOnly:F5}");
        Assert.True(errors.Model[3] < 0.75 * errors.CopyLast[3],
            $"model {errors.Model[3]:F5} vs copy-first-frame {errors.CopyLast[3]:F5} at k = 4");
        Assert.True(errors.Model[3] < 0.9 * wallsOnly,
            $"model {errors.Model[3]:F5} vs walls-only {wallsOnly:F5}: the agent is not drawn");
    }
}
