using TorchSharp;
using WorldModel.Data;
using WorldModel.Models.Evaluation;
using WorldModel.Models.Objectives;
using WorldModel.Models.Training;
using WorldModel.Render;
using WorldModel.Render.Cpu;
using WorldModel.Sim.Policies;
using WorldModel.Worlds.TwoRooms;
using Xunit.Abstractions;

namespace WorldModel.Models.Tests;

/// <summary>The layout probe of `wm eval-model`: what of an unseen wall and door the latent holds.</summary>
[Collection("torch")]
public sealed class LayoutReadoutTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"wm-layout-{Guid.NewGuid():N}");

    public void Dispose()
    {
        try { Directory.Delete(_root, true); } catch (IOException) { }
    }

    private Dataset Make(string name, long seed, int episodes)
    {
        var config = new DataConfig
        {
            Name = "tiny-random", Seed = seed, Episodes = episodes, Steps = 8, ChunkEpisodes = episodes,
            World = new TwoRoomsConfig { Layout = new RandomLayoutConfig() },
            Policy = new RandomWalkPolicyConfig(),
            Render = new RenderConfig
            {
                Renderer = RendererKind.Cpu, Layout = ObservationLayout.Channels, Size = 32, PointRadius = 4f,
            },
        };
        string dir = Path.Combine(_root, name);
        new DatasetGenerator(config).Generate(dir);
        return Dataset.Open(dir);
    }

    [Fact]
    public void Given_random_layouts_Then_a_briefly_trained_latent_reads_the_wall_far_better_than_the_mean_and_the_imagined_latents_are_scored_too()
    {
        var train = Make("train", 5, 300);
        var heldOut = Make("heldout", 1_000_005, 100);
        var renderer = new CpuRasterizer(new SceneBuilder(train.Config.World, train.Config.Render).Format);
        var result = ScalarRace.RetryOnce(() =>
        {
            torch.manual_seed(0);
            var model = new LatentWorldModel(new ModelConfig { Widths = [8, 16], Latent = LatentKind.Flat },
                channels: 2, frameSize: 32, actionDim: 2, withDecoder: false, withInverseDynamics: true,
                withTargetEncoder: false);
            var config = new TrainConfig
            {
                Steps = 100, BatchSize = 16, Rollout = 4, LearningRate = 2e-3, WarmupSteps = 5,
            };
            new Trainer(model, new JepaObjectiveConfig(), config, torch.CPU)
                .Run(new BatchSampler(train, 16, 5, 3, renderer), 0, config.Steps);
            return LayoutReadout.Measure(model, train, heldOut, renderer, 4, torch.CPU, samples: 512);
        }, output.WriteLine);

        Assert.NotNull(result);
        output.WriteLine(string.Join("; ", result.Names.Select((n, j) =>
            $"{n} {result.EncodedRmse[j]:F2} / {result.ImaginedRmse[j]:F2} / {result.MeanRmse[j]:F2}")));
        // Every number of a random layout varies: orientation, the wall's two sides, the door's two ends.
        Assert.Equal(["horizontal", "wall_low", "wall_high", "door_low", "door_high"], result.Names);
        Assert.Equal(4, result.Steps);
        int wall = Array.IndexOf(result.Names, "wall_low");
        // The wall is the largest thing in the layout channel; held-out layouts (another seed) read far better
        // than the training layouts' mean, a probe misaligned with its layouts would not.
        Assert.True(result.EncodedRmse[wall] < 0.5 * result.MeanRmse[wall],
            $"wall_low: probe {result.EncodedRmse[wall]:F2} px, mean {result.MeanRmse[wall]:F2} px");
        Assert.All(result.ImaginedRmse, v => Assert.True(double.IsFinite(v)));
        Assert.True(result.ImaginedRmse[wall] < result.MeanRmse[wall],
            $"wall_low 4 imagined steps on: {result.ImaginedRmse[wall]:F2} px, mean {result.MeanRmse[wall]:F2} px");
    }
}
