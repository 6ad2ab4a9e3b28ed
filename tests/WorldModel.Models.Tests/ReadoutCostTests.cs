using TorchSharp;
using WorldModel.Models.Planning;
using WorldModel.Plan.Evaluation;
using WorldModel.Plan.Models;
using WorldModel.Render;
using WorldModel.Sim;
using WorldModel.Worlds.TwoRooms;

namespace WorldModel.Models.Tests;

/// <summary>
/// "latent-probe" planning measures imagined latents through a readout (a position probe) instead of by their own
/// squared distance: the cost is the squared distance of the two readouts.
/// </summary>
public class ReadoutCostTests
{
    [Fact]
    public void Given_a_readout_When_plans_are_scored_Then_the_cost_is_the_squared_distance_between_readouts()
    {
        TorchRuntime.Initialise(DeviceKind.Cpu);
        torch.manual_seed(5);
        var world = new TwoRoomsConfig();
        var scenes = new SceneBuilder(world, new RenderConfig { Renderer = RendererKind.Cpu, Size = 32 });
        using var renderer = RendererFactory.Create(RendererKind.Cpu, scenes.Format).Renderer;
        const int latent = 16, candidates = 3, horizon = 4;
        var model = new LatentWorldModel(
            new ModelConfig { Widths = [8, 16], Latent = LatentKind.Flat, LatentDim = latent, PredictorHidden = 32 },
            channels: scenes.Format.Channels, frameSize: 32, actionDim: 2, withDecoder: false,
            withInverseDynamics: false);
        var episodes = PlanEpisodes.Generate(new EpisodesConfig { AcrossRooms = 2, SameRoom = 0, Seed = 3 }, world);
        Observations Of(IEnumerable<float[]> states, int count) => new(count, renderer.Format,
            scenes.Render(renderer, states.SelectMany(s => s).ToArray(),
                episodes.SelectMany(e => e.Layout).ToArray(), count),
            states.SelectMany(s => s).ToArray(), []);
        ulong rng = 9;
        var actions = Enumerable.Range(0, episodes.Length * candidates * horizon * 2)
            .Select(_ => Rng.Uniform(ref rng, -1f, 1f)).ToArray();
        float[] Costs(Func<double[,]>? readout)
        {
            using var planning = new LearnedPlanningModel("m", model, torch.CPU, CostSpace.Latent, CostShape.Terminal,
                readout: readout);
            planning.Observe(Of(episodes.Select(e => e.Start), episodes.Length));
            planning.SetGoals(Of(episodes.Select(e => e.Goal), episodes.Length));
            var costs = new float[episodes.Length * candidates];
            planning.Score(actions, candidates, horizon, costs);
            return costs;
        }

        var plain = Costs(null); // the mean over the latent's numbers of the squared difference
        var identity = new double[latent, latent];
        for (int i = 0; i < latent; i++) identity[i, i] = 1;
        var summed = Costs(() => identity);
        var doubled = Costs(() => Scaled(identity, 2)); // a readout twice as long: four times the cost

        Assert.All(Enumerable.Range(0, plain.Length), i =>
        {
            Assert.Equal(latent * plain[i], summed[i], 1e-3f * summed[i]);
            Assert.Equal(4 * summed[i], doubled[i], 1e-3f * doubled[i]);
        });
        Assert.True(plain.Distinct().Count() > 1, "the random plans should cost differently");
    }

    private static double[,] Scaled(double[,] m, double by)
    {
        var r = (double[,])m.Clone();
        for (int i = 0; i < r.GetLength(0); i++)
            for (int j = 0; j < r.GetLength(1); j++) r[i, j] *= by;
        return r;
    }
}
