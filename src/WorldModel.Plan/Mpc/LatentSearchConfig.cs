using WorldModel.Core.Config;

namespace WorldModel.Plan.Mpc;

/// <summary>
/// How a latent method searches its high level's jumps ("NAME/latent-search"): from the observed latent, every node
/// is expanded by a fixed set of macro-actions, imagined successors closer than <see cref="Merge"/> to a node already
/// found are dropped and the <see cref="Beam"/> farthest from all found are kept, <see cref="Depth"/> jumps deep
/// (breadth-first search over imagined states, as a graph search over states does over recorded ones: Search on the
/// Replay Buffer, Eysenbach et al. 2019, arXiv 1906.05253; here the states are the model's own predictions, so it
/// needs no data of the layout it plans in). The found state closest to the goal in the latent gives the path; its
/// first jump is the low level's subgoal. Unlike sampling plans that head for the goal, breadth-first search finds
/// detours that first lead away from it.
/// </summary>
public sealed record LatentSearchConfig
{
    /// <summary>
    /// Macro-actions tried from every node: for a two-number macro-action (macroAction = sum of planar moves) this
    /// many directions spread evenly round the edge of the macro-action box; other sizes use the 2·m ends of its axes.
    /// </summary>
    [Range(2, 64)] public int Directions { get; init; } = 8;
    /// <summary>Jumps searched ahead of the observed state (each the high level's skip k steps).</summary>
    [Range(1, 256)] public int Depth { get; init; } = 16;
    /// <summary>New nodes kept per depth: those farthest in the latent from every node found so far.</summary>
    [Range(1, 4096)] public int Beam { get; init; } = 64;
    /// <summary>
    /// A new node closer than this fraction of the first jumps' median latent length to a node already found is the
    /// same state and is dropped: small keeps near-duplicates (the beam fills with them), large merges states a wall
    /// separates.
    /// </summary>
    [Range(0.01, 4)] public double Merge { get; init; } = 0.5;
    /// <summary>
    /// What imagines a jump: the high level's k-step predictor (one call), or the low level's one-step predictor
    /// run k times holding the macro-action's mean action (k calls; the low level is trained on longer rollouts
    /// and may keep to the walls where the jump predictor cuts through them). Low needs summed macro-actions
    /// (hierarchy.macroAction = sum), whose mean is an action.
    /// </summary>
    [AddedKey] public SearchJumps Jumps { get; init; } = SearchJumps.High;
}

/// <summary>What imagines a search's jumps (<see cref="LatentSearchConfig.Jumps"/>).</summary>
public enum SearchJumps
{
    /// <summary>The high level's k-step predictor.</summary>
    High,
    /// <summary>The low level's one-step predictor, k times.</summary>
    Low,
}
