using WorldModel.Core.Config;
using WorldModel.Sim.PushBall;
using WorldModel.Sim.TwoRooms;
using WorldModel.Sim.Worlds;

namespace WorldModel.Plan.Models;

/// <summary>The true-simulator planning models (oracles) a world offers, by the names results use.</summary>
public static class PlanningModels
{
    /// <summary>The true simulator of <paramref name="world"/> as a planning model, scored by <paramref name="cost"/>.</summary>
    public static IPlanningModel Oracle(WorldConfig world, OracleCost cost, CostShape shape)
    {
        var allowed = OracleCosts(world);
        if (!allowed.Contains(cost))
            throw new ArgumentException($"oracle cost '{Name(cost)}' is not an oracle of {ConfigNames.Kind(world.GetType())}; allowed: {string.Join(", ", allowed.Select(Name))}");
        return world switch
        {
            TwoRoomsConfig t => new OracleModel(t, cost, shape),
            PushBallConfig p => new PushBallOracleModel(p, cost, shape),
            _ => throw new ArgumentOutOfRangeException(nameof(world), world.GetType().Name, "unknown world"),
        };
    }

    /// <summary>An oracle cost as configs spell it, e.g. "geodesic".</summary>
    public static string Name(OracleCost cost) => cost.ToString().ToLowerInvariant();

    /// <summary>The oracle costs a world offers: the one that knows the way first, then the naive one.</summary>
    public static OracleCost[] OracleCosts(WorldConfig world) => world is PushBallConfig ? [OracleCost.Shaped, OracleCost.Straight] : [OracleCost.Geodesic, OracleCost.Straight];
}
