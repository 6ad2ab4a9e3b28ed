using TorchSharp;
using WorldModel.Models.Planning;
using WorldModel.Plan.Evaluation;
using WorldModel.Plan.Models;
using WorldModel.Render;
using WorldModel.Sim;
using WorldModel.Worlds.PushBall;

namespace WorldModel.Models.Tests;

/// <summary>A learned model given goal variants scores each plan against the nearest of them.</summary>
public class GoalVariantCostTests
{
    [Theory]
    [InlineData(CostSpace.Latent)]
    [InlineData(CostSpace.Pixel)]
    public void Given_goal_variants_Then_the_terminal_cost_is_the_smallest_of_the_costs_against_each_variant(
        CostSpace space)
    {
        TorchRuntime.Initialise(DeviceKind.Cpu);
        torch.manual_seed(5);
        var world = new PushBallConfig();
        var scenes = new SceneBuilder(world, new RenderConfig { Renderer = RendererKind.Cpu, Size = 32 });
        using var renderer = RendererFactory.Create(RendererKind.Cpu, scenes.Format).Renderer;
        var model = new LatentWorldModel(
            new ModelConfig { Widths = [8, 16], Latent = LatentKind.Flat, LatentDim = 16, PredictorHidden = 32 },
            channels: 3, frameSize: 32, actionDim: 2, withDecoder: true, withInverseDynamics: false);
        var episodes = PlanEpisodes.Generate(new EpisodesConfig { Pushes = 2, Seed = 3 }, world);
        const int k = 4, candidates = 3, horizon = 4;
        Observations Of(float[][] states) => new(states.Length, renderer.Format,
            scenes.Render(renderer, states.SelectMany(s => s).ToArray(),
                states.Select((_, i) => episodes[i * episodes.Length / states.Length].Layout).SelectMany(l => l).ToArray(),
                states.Length),
            states.SelectMany(s => s).ToArray(), []);
        var variants = episodes.SelectMany(e => Enumerable.Range(0, k).Select(v => world.GoalVariant(e, v, k))).ToArray();
        ulong rng = 9;
        var actions = Enumerable.Range(0, episodes.Length * candidates * horizon * 2)
            .Select(_ => Rng.Uniform(ref rng, -0.5f, 0.5f)).ToArray();

        using var planning = new LearnedPlanningModel("m", model, torch.CPU, space, CostShape.Terminal);
        planning.Observe(Of([.. episodes.Select(e => e.Start)]));
        planning.SetGoals(Of(variants) with { Variants = k });
        var nearest = new float[episodes.Length * candidates];
        planning.Score(actions, candidates, horizon, nearest);

        var expected = Enumerable.Repeat(float.PositiveInfinity, nearest.Length).ToArray();
        var largest = new float[nearest.Length];
        for (int v = 0; v < k; v++)
        {
            planning.SetGoals(Of([.. Enumerable.Range(0, episodes.Length).Select(e => variants[e * k + v])]));
            var single = new float[nearest.Length];
            planning.Score(actions, candidates, horizon, single);
            for (int i = 0; i < single.Length; i++)
                (expected[i], largest[i]) = (MathF.Min(expected[i], single[i]), MathF.Max(largest[i], single[i]));
        }
        // Goals encoded 8 at a time against 2 at a time: the encoder's sums round differently (~1e-7).
        Assert.All(Enumerable.Range(0, nearest.Length), i => Assert.Equal(expected[i], nearest[i], 1e-5f));
        // The variants are different goals: against some of them a plan costs more than against the nearest.
        Assert.All(Enumerable.Range(0, nearest.Length), i => Assert.True(largest[i] > nearest[i]));
    }
}
