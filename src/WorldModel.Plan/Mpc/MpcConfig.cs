using WorldModel.Core.Config;
using WorldModel.Plan.Models;
using WorldModel.Plan.Planners;

namespace WorldModel.Plan.Mpc;

/// <summary>
/// Model-predictive control: plan H steps ahead, execute the first few on the real simulator, replan.
/// </summary>
[RemovedKey(
    "horizon",
    "the planner horizon is plannerHorizons, beside plan: a list, e.g. plannerHorizons = [32] " +
    "(--set plannerHorizons=[48] in wm eval-plan, evaluation.plannerHorizons=[48] in wm run)")]
public sealed record MpcConfig
{
    public PlannerConfig Planner { get; init; } = new MppiConfig();
    /// <summary>
    /// Planner horizon H (steps imagined ahead), capped by the steps left in the budget. Set by code, not by a
    /// config key: the evaluation plans each of its plannerHorizons, the demo its slider's value.
    /// </summary>
    [NotAKey] public int PlannerHorizon { get; init; } = 32;
    /// <summary>Actions executed between replanning steps.</summary>
    [Range(1, 1024)] public int ReplanEvery { get; init; } = 2;
    /// <summary>
    /// Distance to the goal summed over the horizon, at its end only, or its minimum over the horizon.
    /// </summary>
    public CostShape Cost { get; init; } = CostShape.Sum;
    /// <summary>
    /// The same for planning in decoded frames. Terminal by default: summing costs one decoder pass per
    /// candidate and step (64×64 frames), which on a CPU is far beyond the planning budget.
    /// </summary>
    public CostShape PixelCost { get; init; } = CostShape.Terminal;
    /// <summary>Episodes planned together in one batch (every candidate of every episode in one model call).</summary>
    [Range(1, 100_000)] public int BatchEpisodes { get; init; } = 50;
    [Range(0, long.MaxValue)] public long Seed { get; init; } = 0;
    /// <summary>How a hierarchical model's two levels are planned (flat models ignore it).</summary>
    public HierarchyPlanConfig Hierarchy { get; init; } = new();
    /// <summary>
    /// Goal frames per episode for a learned flat model: what the task leaves free (Push-Ball: the agent) drawn
    /// at this many places over the arena, the cost the distance to the nearest; so moving the agent alone earns
    /// nothing, as with the ball's distance on the true simulator. 0: the one goal frame (the agent behind the
    /// ball). Oracles and two-level models plan to the one goal.
    /// </summary>
    [AddedKey, Range(0, 256)] public int GoalVariants { get; init; }
    /// <summary>
    /// Weight of a learned model's uncertainty in its planning cost: the variance of its ensemble heads' next
    /// latents (objective.ensembleHeads) along each imagined step, accumulated as the distance is (summed with
    /// cost = sum, its mean over the steps with terminal and min), so plans that lead where the model was not
    /// taught cost more (MOPO, Yu et al. 2020). 0: none. Oracles are exact and ignore it.
    /// </summary>
    [AddedKey, Range(0, 1e6)] public float Pessimism { get; init; }
    /// <summary>
    /// Compare a spatial latent (model.latent = spatial) with its goal blurred by Gaussians of these widths, in cells
    /// of the latent map (0: the map itself), each width's squared distance weighted to level off at the same value,
    /// summed: the cost keeps growing as the agent sits farther from the goal, where the plain distance between maps
    /// is the same for every cell but the goal's. Empty: the plain squared distance. Flat and two-level latent
    /// methods use it; a flat latent refuses it; frames, graph and search methods ignore it.
    /// </summary>
    [AddedKey, Range(0, 64)] public double[] LatentBlur { get; init; } = [];
    /// <summary>
    /// For a plan executed as proposed ("NAME/policy"): the weight of the last executed plan, shifted by the steps
    /// taken, in the one executed now, the rest the policy's new proposal; executed plans so average every earlier
    /// proposal for a step with weights falling geometrically (ACT's temporal ensembling of action chunks, Zhao et
    /// al. 2023), meant to smooth a policy whose proposals jump between ways round an obstacle (on Push-Ball it made
    /// the policy late: docs/guide.md). 0: the new proposal as it is. Searched methods ignore it.
    /// </summary>
    [AddedKey, Range(0, 0.99)] public float ProposalAverage { get; init; }
    /// <summary>How a latent method planned over a graph of its encoded training data ("NAME/latent-graph") builds
    /// and walks it; other methods ignore it.</summary>
    [AddedKey] public DataGraphConfig Graph { get; init; } = new();
    /// <summary>How a latent method planned by breadth-first search over its high level's jumps
    /// ("NAME/latent-search") searches; other methods ignore it.</summary>
    [AddedKey] public LatentSearchConfig Search { get; init; } = new();
}

/// <summary>
/// Two-level planning (HWM, arXiv 2604.03208): the high level searches macro-action sequences that look
/// the planner horizon ahead in jumps of the model's skip k; its first predicted state is the low level's
/// subgoal, which the low level plans toward over <see cref="LowHorizon"/> steps. Both replan every
/// replanEvery steps.
/// </summary>
public sealed record HierarchyPlanConfig
{
    /// <summary>
    /// The search over macro-actions; its noise is in the model's macro-action units (a learned model's
    /// macro-actions live in [−1, 1] per component; the oracle's are velocities in px per step).
    /// </summary>
    public PlannerConfig Planner { get; init; } = new MppiConfig { Samples = 256, Iterations = 2, Noise = 0.5f };
    /// <summary>Low-level steps planned toward the subgoal; 0 = the model's skip k (HWM: k = 10).</summary>
    [Range(0, 1024)] public int LowHorizon { get; init; }
}
