using TorchSharp;
using WorldModel.Models.Planning;
using WorldModel.Plan.Models;

namespace WorldModel.Models.Tests;

/// <summary>
/// evaluation.plan.latentBlur: a spatial latent compared with its goal through blurred maps, so the cost grows with
/// how far apart a single-cell feature sits, where the plain squared distance is the same for every other cell.
/// </summary>
public class BlurredCostTests
{
    private static LatentWorldModel Model(LatentKind latent) => new(
        new ModelConfig { Widths = [8, 16], Latent = latent, LatentDim = 16, PredictorHidden = 16 },
        channels: 3, frameSize: 32, actionDim: 2, withDecoder: false, withInverseDynamics: false);

    /// <summary>(7, 2, 8, 8) maps: a bump in both channels at (3, d) for d = 1..7; and the goal, the bump at (3, 0).
    /// </summary>
    private static (torch.Tensor Maps, torch.Tensor Goal) Bumps()
    {
        var maps = torch.zeros(7, 2, 8, 8);
        for (int d = 1; d <= 7; d++) maps[d - 1, .., 3, d] = torch.tensor(1f);
        var goal = torch.zeros(7, 2, 8, 8);
        goal[.., .., 3, 0] = torch.tensor(1f);
        return (maps, goal);
    }

    [Fact]
    public void Given_blur_widths_When_a_bump_moves_away_from_the_goal_Then_the_cost_grows_where_the_plain_one_is_flat()
    {
        TorchRuntime.Initialise(DeviceKind.Cpu);
        using var planning = new LearnedPlanningModel(
            "m", Model(LatentKind.Spatial), torch.CPU, CostSpace.Latent, CostShape.Sum);
        var (maps, goal) = Bumps();
        float[] Costs() => Readback.Floats(planning.Distance(maps, goal));

        var plain = Costs();
        Assert.All(plain, c => Assert.Equal(plain[0], c, 1e-6f)); // one cell off costs what seven do
        Assert.True(plain[0] > 0);

        planning.LatentBlur = [0];
        Assert.Equal(plain, Costs()); // width 0 is the map itself

        planning.LatentBlur = [0, 1, 2, 4];
        var blurred = Costs();
        for (int d = 1; d < blurred.Length; d++)
            Assert.True(blurred[d] > blurred[d - 1] * 1.01f,
                $"blurred cost at {d + 1} cells {blurred[d]} should exceed the cost at {d} cells {blurred[d - 1]}");
        Assert.Equal(0f, Readback.Floats(planning.Distance(goal, goal)).Max(), 1e-7f);

        planning.LatentBlur = [];
        Assert.Equal(plain, Costs()); // cleared: the plain distance again
    }

    [Fact]
    public void Given_a_flat_latent_When_blur_is_set_Then_it_is_refused_naming_the_latent()
    {
        TorchRuntime.Initialise(DeviceKind.Cpu);
        using var planning = new LearnedPlanningModel(
            "jepa/latent", Model(LatentKind.Flat), torch.CPU, CostSpace.Latent, CostShape.Sum);
        Assert.Equal("has a flat latent (16 numbers), not a map", planning.WhyNoMap);
        var e = Assert.Throws<ArgumentException>(() => planning.LatentBlur = [1]);
        Assert.Contains("jepa/latent has a flat latent", e.Message, StringComparison.Ordinal);
        planning.LatentBlur = []; // the default stays allowed
    }
}
