using WorldModel.Core.Config;
using WorldModel.Sim.Worlds;

namespace WorldModel.Plan.Models;

/// <summary>
/// The oracle planning models of a world, by the names configs use (trained models: WorldModel.Models.Planning).
/// </summary>
public static class PlanningModels
{
    /// <summary>
    /// The true simulator of <paramref name="world"/> as a planning model, scored by <paramref name="cost"/>.
    /// </summary>
    public static IPlanningModel Oracle(WorldConfig world, OracleCost cost, CostShape shape)
    {
        var allowed = OracleCosts(world);
        if (!allowed.Contains(cost))
            throw new ArgumentException(
                $"oracle cost '{Name(cost)}' is not an oracle of {ConfigNames.Kind(world.GetType())}; " +
                $"allowed: {string.Join(", ", allowed.Select(Name))}");
        return PlanningWorld.Of(world).Oracle(cost, shape);
    }

    /// <summary>An oracle cost as configs spell it, e.g. "geodesic".</summary>
    public static string Name(OracleCost cost) => cost.ToString().ToLowerInvariant();

    /// <summary>The oracle costs a world offers: the one that knows the way first, then the naive one.</summary>
    public static IReadOnlyList<OracleCost> OracleCosts(WorldConfig world) => PlanningWorld.Of(world).OracleCosts;
}
