using Xunit.Abstractions;
using TorchSharp;
using WorldModel.Models.Evaluation;
using WorldModel.Models.Objectives;
using WorldModel.Models.Training;

namespace WorldModel.Models.Tests;

/// <summary>torch.manual_seed and thread counts are process-wide: these tests run one at a time.</summary>
[Collection("torch")]
public sealed class JepaTrainingTests(ITestOutputHelper output)
{
    private static readonly ModelConfig Tiny =
        new() { Widths = [8, 16], Latent = LatentKind.Spatial, PredictorHidden = 32 };

    private LatentWorldModel Train(ObjectiveConfig objective, int steps, out List<StepMetrics> log)
    {
        var device = TorchRuntime.Initialise(DeviceKind.Cpu);
        var (model, metrics) = ScalarRace.RetryOnce(() =>
        {
            torch.manual_seed(0);
            var model = new LatentWorldModel(Tiny, channels: 2, frameSize: 32, actionDim: 2,
                withDecoder: objective is PixelObjectiveConfig, withInverseDynamics: true,
                withTargetEncoder: objective is JepaObjectiveConfig { TargetEma: > 0 });
            var train =
                new TrainConfig { Steps = steps, BatchSize = 16, Rollout = 4, LearningRate = 2e-3, WarmupSteps = 10 };
            var trainer = new Trainer(model, objective, train, device);
            var metrics = new List<StepMetrics>();
            var sw = System.Diagnostics.Stopwatch.StartNew();
            trainer.Run(TinyWorld.Sampler(16, 5, seed: 3), 0, steps, metrics.Add);
            output.WriteLine($"{steps} steps in {sw.Elapsed.TotalSeconds:F1} s; last loss {metrics[^1].Loss:F4} "
                + $"{string.Join(", ", metrics[^1].Terms.Select(t => $"{t.Key} {t.Value:F4}"))}");
            return (model, metrics);
        }, output.WriteLine);
        log = metrics;
        return model;
    }

    [Fact]
    public void Given_a_tiny_jepa_trained_briefly_Then_it_predicts_4_steps_ahead_better_than_copying_the_last_latent_and_its_latents_locate_the_agent()
    {
        var model = Train(new JepaObjectiveConfig(), 200, out _);
        var errors = PredictionError.Latent(model, TinyWorld.Sampler(32, 5, seed: 99), 4, torch.CPU);
        output.WriteLine($"k=4: model {errors.NormalisedModel(4):F4}, copy-last {errors.NormalisedCopyLast(4):F4} "
            + $"(normalised by latent variance)");
        Assert.True(errors.Model[3] < 0.7 * errors.CopyLast[3],
            $"model {errors.Model[3]:F4} vs copy-last {errors.CopyLast[3]:F4}");

        // Linear probe fitted on training episodes, scored on held-out ones (another seed).
        var heldOut = TinyWorld.HeldOut;
        var renderer = new WorldModel.Render.Cpu.CpuRasterizer(
            new WorldModel.Render.SceneBuilder(heldOut.Config.World, heldOut.Config.Render).Format);
        long liveBefore = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        var report = ModelEvaluation.Run(model, new JepaObjectiveConfig(), TinyWorld.Dataset, heldOut, renderer, 4,
            torch.CPU, samples: 512);
        Assert.True(DisposeScopeManager.Statistics.ThreadTotalLiveCount <= liveBefore,
            "evaluation left tensors alive (a missing dispose scope)");
        output.WriteLine($"probe RMSE {report.ProbeRmse:F2} px (R² {report.ProbeR2:F3}) "
            + $"vs mean-position {report.MeanPositionRmse:F2} px; "
            + $"predicted k=1..4 {string.Join(" ", report.PredictedProbeRmse.Select(v => v.ToString("F2")))}; "
            + $"effective rank {report.EffectiveRank:F1}");
        Assert.True(report.ProbeRmse < 0.5 * report.MeanPositionRmse,
            $"probe {report.ProbeRmse:F2} px vs mean-position {report.MeanPositionRmse:F2} px");
        Assert.True(report.PredictedProbeRmse[3] < 0.75 * report.MeanPositionRmse,
            $"4-step predicted latents: probe {report.PredictedProbeRmse[3]:F2} px");
        Assert.Null(report.Layout); // one fixed layout: nothing to read
        // One RMSE per target (x, y), and together they are the pooled RMSE.
        Assert.Equal(report.ProbeTargets.Length, report.ProbeTargetRmse.Length);
        Assert.Equal(report.ProbeRmse, Math.Sqrt(report.ProbeTargetRmse.Average(v => v * v)), 9);
        // Per k and target: the predicted latents' errors pool to the k-step RMSE; a trained predictor places the
        // moving agent 4 steps on better than "it stood still" does.
        Assert.Equal(4, report.PredictedProbeTargetRmse.Length);
        Assert.Equal(report.PredictedProbeRmse[3], Math.Sqrt(report.PredictedProbeTargetRmse[3].Average(v => v * v)), 9);
        double still = Math.Sqrt(report.StillProbeTargetRmse[3].Average(v => v * v));
        Assert.True(report.PredictedProbeRmse[3] < still,
            $"4 steps on: predicted {report.PredictedProbeRmse[3]:F2} px, standing still {still:F2} px");
        // In imagination the true actions reach the last frame's latent better than standing still does, and in
        // most sequences better than every random plan (measured: 98% and 79%).
        var imagined = report.ImaginedPlans!;
        output.WriteLine($"true actions beat all random plans {imagined.TrueBeatsRandom:P0}, still "
            + $"{imagined.TrueBeatsStill:P0}; distances {imagined.TrueDistance:G3} / {imagined.StillDistance:G3} / "
            + $"{imagined.BestRandomDistance:G3}");
        Assert.True(imagined.TrueBeatsStill > 0.8, $"true actions beat standing still in {imagined.TrueBeatsStill:P0}");
        Assert.True(imagined.TrueBeatsRandom > 0.5, $"true actions beat random plans in {imagined.TrueBeatsRandom:P0}");
        Assert.True(imagined.TrueDistance < imagined.StillDistance,
            $"true {imagined.TrueDistance:G3} vs still {imagined.StillDistance:G3}");
    }

    [Fact]
    public void Given_latents_that_differ_across_sequences_but_not_in_time_Then_only_the_time_variance_hinge_charges_them()
    {
        // (B = 4, T = 6, C = 2, H = 3, W = 3): each sequence its own constant map, like a latent holding only the wall.
        var perSequence = torch.arange(4, dtype: torch.float32).reshape(4, 1, 1, 1, 1) * 3;
        var constantInTime = perSequence.expand(4, 6, 2, 3, 3).contiguous();
        // The same plus ±1.5 alternating along time: every element's std over its sequence is 1.5 or more.
        var alternating = torch.tensor(new float[] { 1.5f, -1.5f, 1.5f, -1.5f, 1.5f, -1.5f }).reshape(1, 6, 1, 1, 1);
        var moving = constantInTime + alternating;
        float still = Regularisers.TimeVariance(constantInTime).item<float>();
        float moved = Regularisers.TimeVariance(moving).item<float>();
        Assert.Equal(1 - Math.Sqrt(1e-4), still, 4);
        Assert.Equal(0, moved, 6);
        // The batch's hinge is content with the first (each element spans 0..9 across sequences).
        Assert.Equal(0, Regularisers.Variance(constantInTime[.., 0]).item<float>(), 6);
    }

    [Fact]
    public void Given_a_time_variance_weight_Then_the_jepa_loss_adds_that_weight_times_the_hinge_on_its_latents()
    {
        TorchRuntime.Initialise(DeviceKind.Cpu);
        torch.manual_seed(0);
        var model = new LatentWorldModel(Tiny, channels: 2, frameSize: 32, actionDim: 2, withDecoder: false,
            withInverseDynamics: true, withTargetEncoder: false);
        var batch = TinyWorld.Sampler(8, 5, seed: 5).Sample(0);
        var frames = FrameTensors.Frames(batch, torch.CPU);
        var actions = torch.tensor(batch.Actions, [batch.Size, batch.Length - 1, 2]);
        var off = Objective.Compute(new JepaObjectiveConfig(), model, frames, actions);
        var on = Objective.Compute(new JepaObjectiveConfig { TimeVariance = 4 }, model, frames, actions);
        Assert.DoesNotContain("time_variance", off.Terms.Keys);
        float hinge = on.Terms["time_variance"].item<float>();
        Assert.Equal(Regularisers.TimeVariance(model.Encode(frames)).item<float>(), hinge, 5);
        Assert.InRange(hinge, 0.01f, 1f); // an untrained encoder's latents barely move along a sequence
        Assert.Equal(off.Total.item<float>() + 4 * hinge, on.Total.item<float>(), 4);
    }

    [Fact]
    public void Given_variance_and_covariance_off_Then_latents_collapse_and_with_them_on_they_do_not()
    {
        double MeanStd(LatentWorldModel model)
        {
            model.eval();
            using var _ = torch.no_grad();
            var batch = TinyWorld.Sampler(64, 1, seed: 5).Sample(0);
            var z = model.Encode(FrameTensors.Frames(batch, torch.CPU));
            return Regularisers.FeatureStd(z.flatten(0, 1)).mean().item<float>();
        }
        var off = Train(new JepaObjectiveConfig { Variance = 0, Covariance = 0, InverseDynamics = 0 }, 120, out _);
        var on = Train(new JepaObjectiveConfig(), 120, out _);
        double stdOff = MeanStd(off), stdOn = MeanStd(on);
        output.WriteLine($"mean feature std: off {stdOff:F4}, on {stdOn:F4}");
        // Per latent element, across inputs. Most of a Two-Rooms frame (the walls) never changes, so even a
        // healthy latent varies little on average; the contrast is what shows collapse.
        Assert.True(stdOff < 0.02, $"without variance/covariance the latents should collapse (std {stdOff:F4})");
        Assert.True(stdOn > 5 * stdOff && stdOn > 0.05,
            $"with variance/covariance the latents should stay spread (std {stdOn:F4} vs {stdOff:F4} off)");
    }

    [Fact]
    public void Given_an_ema_target_encoder_Then_the_jepa_still_beats_copy_last_and_the_target_trails_the_online_encoder()
    {
        var model = Train(new JepaObjectiveConfig { TargetEma = 0.9 }, 200, out _);
        var errors = PredictionError.Latent(model, TinyWorld.Sampler(32, 5, seed: 99), 4, torch.CPU);
        output.WriteLine($"EMA targets, k=4: model {errors.NormalisedModel(4):F4}, "
            + $"copy-last {errors.NormalisedCopyLast(4):F4}");
        Assert.True(errors.Model[3] < 0.8 * errors.CopyLast[3],
            $"model {errors.Model[3]:F4} vs copy-last {errors.CopyLast[3]:F4}");
        var online = model.Encoder.parameters().ToList();
        var target = model.TargetEncoder!.parameters().ToList();
        Assert.Contains(Enumerable.Range(0, online.Count), i => !online[i].eq(target[i]).all().item<bool>());
        Assert.All(target, p => Assert.False(p.requires_grad));
    }
}
