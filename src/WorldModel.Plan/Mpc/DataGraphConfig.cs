using WorldModel.Core.Config;

namespace WorldModel.Plan.Mpc;

/// <summary>
/// How a latent model plans over a graph of its own encoded training data (Search on the Replay Buffer, Eysenbach
/// et al. 2019, arXiv 1906.05253): nodes are recorded states, edges the recorded steps between them and pairs of
/// nodes as close in the latent as one recorded edge; the shortest path to the goal gives the low level a subgoal a
/// few steps ahead. Subgoals are encoded data states, never imagined ones, so a planner cannot exploit the model's
/// errors between them.
/// </summary>
public sealed record DataGraphConfig
{
    /// <summary>Recorded episodes whose states become nodes (spread evenly over the dataset).</summary>
    [Range(1, 1_000_000)] public int Episodes { get; init; } = 1000;
    /// <summary>Recorded steps between an episode's nodes (and the length of the edge that joins them).</summary>
    [Range(1, 1024)] public int Stride { get; init; } = 2;
    /// <summary>The nearest nodes a node (or the current state, or a goal) may be joined to.</summary>
    [Range(1, 256)] public int Neighbours { get; init; } = 8;
    /// <summary>
    /// Two nodes of different episodes are joined when they are closer in the latent than this quantile of the
    /// recorded edges' latent lengths: low keeps the graph from jumping through walls, high joins more episodes
    /// (quickstart recipe, 3 seeds × 32 pairs across the wall: 0.5 joined one JEPA's rooms through the wall, 72%
    /// across; 0.25 crossed in 100% for every seed).
    /// </summary>
    [Range(0.01, 1)] public double NeighbourQuantile { get; init; } = 0.25;
    /// <summary>
    /// Steps along the shortest path (as the graph counts them) to the subgoal; once the goal is within this
    /// many, the low level aims at the goal itself. Short: the low level's latent distance is trusted only
    /// nearby (quickstart JEPA, 64 pairs across the wall: 2, 4 and 6 steps 100%, 8 steps 92%, 12 steps 52%).
    /// </summary>
    [Range(1, 1024)] public int Reach { get; init; } = 4;
}
