using System.Text.Json.Nodes;
using WorldModel.Core.Config;
using WorldModel.Models.Objectives;
using WorldModel.Models.Training;
using WorldModel.Render;
using WorldModel.Render.Cpu;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace WorldModel.Models.Tests;

/// <summary>objective.reconstruction: a JEPA whose latent must also draw its frame.</summary>
[Collection("torch")]
public sealed class JepaReconstructionTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"wm-jepa-recon-{Guid.NewGuid():N}");

    public void Dispose()
    {
        try { Directory.Delete(_root, true); } catch (IOException) { }
    }

    [Fact]
    public void Given_a_reconstruction_weight_Then_the_run_trains_a_decoder_whose_error_falls_and_without_it_the_config_hash_is_unchanged()
    {
        var data = TinyWorld.Dataset;
        var renderer = new CpuRasterizer(new SceneBuilder(data.Config.World, data.Config.Render).Format);
        var plain = new RunConfig
        {
            Name = "recon", Data = data.Config,
            Model = new ModelConfig { Widths = [8, 16], Latent = LatentKind.Flat, LatentDim = 16 },
            Train = new TrainConfig { Steps = 60, BatchSize = 16, Rollout = 4, LearningRate = 2e-3, WarmupSteps = 2 },
            CheckpointEvery = 60, LogEvery = 1,
        };
        // An added key: configs written before it keep their hash, so their runs and units stay reusable.
        Assert.Equal(TrainingRun.ContentHash(plain),
            TrainingRun.ContentHash(plain with { Objective = new JepaObjectiveConfig { Reconstruction = 0 } }));
        var config = plain with { Objective = new JepaObjectiveConfig { Reconstruction = 10 } };
        Assert.NotEqual(TrainingRun.ContentHash(plain), TrainingRun.ContentHash(config));

        var run = new TrainingRun(config, Path.Combine(_root, "run"));
        using (var model = run.CreateModel()) Assert.NotNull(model.Decoder);
        using (var model = new TrainingRun(plain, Path.Combine(_root, "plain")).CreateModel())
            Assert.Null(model.Decoder);
        ScalarRace.RetryOnce(() => run.Run(data, renderer, CPU), output.WriteLine);
        var recon = File.ReadAllLines(Path.Combine(run.Folder, TrainingRun.MetricsFile)).Where(l => l.Length > 0)
            .Select(l => JsonNode.Parse(l)!["reconstruction"]!.GetValue<double>()).ToList();
        output.WriteLine(
            $"reconstruction: first 5 steps {recon.Take(5).Average():F4}, last 5 {recon.TakeLast(5).Average():F4}");
        Assert.True(recon.TakeLast(5).Average() < 0.5 * recon.Take(5).Average(),
            "the decoder did not learn to draw the frames from the latent");
    }
}
