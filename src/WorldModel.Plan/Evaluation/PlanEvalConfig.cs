using WorldModel.Core.Config;
using WorldModel.Plan.Models;
using WorldModel.Plan.Mpc;

namespace WorldModel.Plan.Evaluation;

/// <summary>How planning is evaluated: the MPC settings, the planner horizons swept, the episodes and the oracle baselines.</summary>
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
        if (Episodes.AcrossRooms + Episodes.SameRoom == 0 && EpisodesFile is null)
            yield return new("episodes", "asks for no episodes; set episodes.acrossRooms or episodes.sameRoom above 0, or give episodesFile");
        if (Plan.Planner.NeedsGradients && Oracles.Length > 0)
            yield return new("oracles", $"the true-simulator oracles have no gradients, so plan.planner.kind = {ConfigNames.Kind(Plan.Planner.GetType())} cannot plan them; set oracles to [] (wm eval-plan: --no-oracle), or plan with mppi or cem");
    }
}
