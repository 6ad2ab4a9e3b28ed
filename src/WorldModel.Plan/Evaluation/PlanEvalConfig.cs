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
