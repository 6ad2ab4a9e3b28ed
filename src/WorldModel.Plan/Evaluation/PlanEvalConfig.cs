using WorldModel.Core.Config;
using WorldModel.Plan.Models;
using WorldModel.Plan.Mpc;
using WorldModel.Sim.Worlds;

namespace WorldModel.Plan.Evaluation;

/// <summary>
/// How planning is evaluated: the MPC settings, the planner horizons swept, the episodes and the oracle baselines.
/// </summary>
[ConfigFileKind("evaluation")]
public sealed record PlanEvalConfig : IValidatable
{
    public MpcConfig Plan { get; init; } = new();
    /// <summary>Planner horizons H to evaluate (success versus H): the one key for the planner horizon.</summary>
    [Range(1, 1024), FormerKey("horizons")] public int[] PlannerHorizons { get; init; } = [32];
    public EpisodesConfig Episodes { get; init; } = new();
    /// <summary>A fixed benchmark file of episodes (see `wm eval-plan --episodes`); replaces the drawn ones.</summary>
    public string? EpisodesFile { get; init; }
    /// <summary>
    /// True-simulator baselines planned with the same planner (Two-Rooms: geodesic checks the optimiser,
    /// straight shows the wall trap); unset means every oracle of the world planned in, [] none.
    /// </summary>
    public OracleCost[]? Oracles { get; init; }
    /// <summary>
    /// Above 0: each oracle is also planned in two levels, a macro-action held for this many steps
    /// ("oracle/straight-hier"): what two-level planning gives with a perfect model. 0: flat oracles only.
    /// </summary>
    [Range(0, 256)] public int OracleSkip { get; init; }
    /// <summary>
    /// Grid step (px) of the report's cost landscapes: 1 scores about 4,000 points of the arena per cost, 4 a
    /// sixteenth of that (a 64-px spatial model on 2 CPU cores: about 2 minutes at 1).
    /// </summary>
    [AddedKey, Range(0.5, 16)] public float LandscapeCell { get; init; } = 1f;

    /// <summary>
    /// The oracle planning methods of this evaluation in <paramref name="world"/>: each listed cost flat, then (with
    /// <see cref="OracleSkip"/>) in two levels; names as results give them, and how to make each.
    /// </summary>
    public IReadOnlyList<(string Name, Func<IPlanningModel> Create)> OracleMethods(WorldConfig world)
    {
        var methods = new List<(string, Func<IPlanningModel>)>();
        var costs = OraclesFor(world);
        var shape = Plan.Cost;
        foreach (var cost in costs)
        {
            IPlanningModel Flat() => PlanningModels.Oracle(world, cost, shape);
            methods.Add((NameOf(Flat), Flat));
        }
        if (OracleSkip > 0)
            foreach (var cost in costs)
            {
                IPlanningModel TwoLevel() =>
                    new HierarchicalOracle(world, () => PlanningModels.Oracle(world, cost, shape), OracleSkip);
                methods.Add((NameOf(TwoLevel), TwoLevel));
            }
        return methods;

        // A method names itself (a unit's folder is named before it runs); building an oracle costs nothing.
        static string NameOf(Func<IPlanningModel> create)
        {
            using var model = create();
            return model.Name;
        }
    }

    /// <summary>
    /// The oracles planned in <paramref name="world"/>: the listed ones, or the world's own when none are listed.
    /// </summary>
    public IReadOnlyList<OracleCost> OraclesFor(WorldConfig world) => Oracles ?? PlanningModels.OracleCosts(world);

    public IEnumerable<ConfigError> Validate()
    {
        if (PlannerHorizons.Length == 0)
            yield return new("plannerHorizons", "is empty; list at least one planner horizon, e.g. [32]");
        if (PlannerHorizons.Distinct().Count() != PlannerHorizons.Length)
            yield return new("plannerHorizons", "lists a horizon twice");
        if (Plan.Planner.NeedsGradients && Oracles is not { Length: 0 })
            yield return new(
                "oracles",
                $"the true-simulator oracles have no gradients, " +
                $"so plan.planner.kind = {ConfigNames.Kind(Plan.Planner.GetType())} cannot plan them; " +
                $"set oracles to [] (wm eval-plan: --no-oracle), or plan with mppi or cem");
    }

    /// <summary>
    /// The checks that depend on the world planned in, which the config alone does not name: episode counts and
    /// oracle costs.
    /// </summary>
    public IEnumerable<ConfigError> ValidateFor(WorldConfig world)
    {
        if (EpisodesFile is null && PlanningWorld.Of(world).NoEpisodes(Episodes) is { } none)
            yield return new("episodes", none);
        var allowed = PlanningModels.OracleCosts(world);
        var oracles = OraclesFor(world);
        for (int i = 0; i < oracles.Count; i++)
            if (!allowed.Contains(oracles[i]))
                yield return new(
                    $"oracles[{i}]",
                    $"{PlanningModels.Name(oracles[i])} is not an oracle of {ConfigNames.Kind(world.GetType())}; " +
                    $"allowed: {string.Join(", ", allowed.Select(PlanningModels.Name))}");
    }
}
