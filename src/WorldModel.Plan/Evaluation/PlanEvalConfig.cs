using WorldModel.Core.Config;
using WorldModel.Plan.Models;
using WorldModel.Plan.Mpc;
using WorldModel.Sim.Worlds;

namespace WorldModel.Plan.Evaluation;

/// <summary>How planning is evaluated: the MPC settings, the planner horizons swept, the episodes and the oracle baselines.</summary>
[ConfigFileKind("evaluation")]
public sealed record PlanEvalConfig : IValidatable
{
    public MpcConfig Plan { get; init; } = new();
    /// <summary>Planner horizons H to evaluate (success versus H); empty means plan.horizon only.</summary>
    public int[] Horizons { get; init; } = [];
    public EpisodesConfig Episodes { get; init; } = new();
    /// <summary>A fixed benchmark file of episodes (see `wm eval-plan --episodes`); replaces the drawn ones.</summary>
    public string? EpisodesFile { get; init; }
    /// <summary>True-simulator baselines planned with the same planner: geodesic (checks the optimiser) and straight (the wall trap).</summary>
    public OracleCost[] Oracles { get; init; } = [OracleCost.Geodesic, OracleCost.Straight];

    public int[] PlannerHorizons => Horizons.Length > 0 ? Horizons : [Plan.Horizon];

    public IEnumerable<ConfigError> Validate()
    {
        for (int i = 0; i < Horizons.Length; i++)
            if (Horizons[i] is < 1 or > 1024) yield return new($"horizons[{i}]", $"{Horizons[i]} is not allowed; allowed: 1 to 1024");
        if (Horizons.Distinct().Count() != Horizons.Length) yield return new("horizons", "lists a horizon twice");
        if (Plan.Planner.NeedsGradients && Oracles.Length > 0)
            yield return new("oracles", $"the true-simulator oracles have no gradients, so plan.planner.kind = {ConfigNames.Kind(Plan.Planner.GetType())} cannot plan them; set oracles to [] (wm eval-plan: --no-oracle), or plan with mppi or cem");
    }

    /// <summary>The checks that depend on the world planned in, which the config alone does not name: episode counts and oracle costs.</summary>
    public IEnumerable<ConfigError> ValidateFor(WorldConfig world)
    {
        if (EpisodesFile is null && PlanningWorld.Of(world).NoEpisodes(Episodes) is { } none) yield return new("episodes", none);
        var allowed = PlanningModels.OracleCosts(world);
        for (int i = 0; i < Oracles.Length; i++)
            if (!allowed.Contains(Oracles[i]))
                yield return new($"oracles[{i}]", $"{PlanningModels.Name(Oracles[i])} is not an oracle of {ConfigNames.Kind(world.GetType())}; allowed: {string.Join(", ", allowed.Select(PlanningModels.Name))}");
    }
}
