using WorldModel.Plan.Mpc;
using static TorchSharp.torch;

namespace WorldModel.Models.Planning;

/// <summary>
/// Breadth-first search over imagined jumps (<see cref="LatentSearchConfig"/>), for a batch of episodes at once:
/// every episode keeps the same number of node slots, and a mask marks the slots whose node was dropped as a
/// duplicate, so the whole search is a few tensor operations per depth.
/// </summary>
public static class LatentSearch
{
    /// <summary>
    /// Searches from <paramref name="start"/> (E, …) toward <paramref name="goal"/> (E, …), expanding every node by
    /// each of <paramref name="macros"/> (B, m) through <paramref name="jump"/> ((N, …) latents, (N, m) macro-actions
    /// → (N, …) latents; the N rows come episode by episode, N / E of each, so a jump can tell each row's episode).
    /// Returns, per episode, the first jump on the path to the found state closest to the goal
    /// (E, …), and whether that state is the start or one jump from it (then the goal itself is near enough to aim
    /// at).
    /// </summary>
    public static (Tensor Subgoal, Tensor AimAtGoal) Run(
        Func<Tensor, Tensor, Tensor> jump, Tensor start, Tensor goal, Tensor macros, LatentSearchConfig config)
    {
        long e = start.shape[0], b = macros.shape[0];
        long[] latentShape = start.shape[1..];
        var root = start.flatten(1).unsqueeze(1);                                   // (E, 1, D)
        long d = root.shape[2];
        var frontier = root;                                                        // (E, F, D)
        var frontierFirst = root;                                                   // the first jump on each path
        var frontierAlive = ones([e, 1], ScalarType.Bool, start.device);
        var found = root;                                                           // every node kept, (E, V, D)
        var foundFirst = root;
        var foundAlive = frontierAlive;
        var foundDepth = zeros([e, 1], ScalarType.Int64, start.device);
        Tensor? radius = null;                                                      // (E, 1), in latent units
        for (int depth = 1; depth <= config.Depth; depth++)
        {
            // Each depth's distance matrices (E × new nodes × found, the bulk of the memory) die with the depth;
            // what the next depth reads is moved out at its end.
            using var depthScope = NewDisposeScope();
            long f = frontier.shape[1], c = f * b;
            var parents = frontier.reshape([e * f, .. latentShape]).repeat_interleave(b, 0);
            var children = jump(parents, macros.repeat(e * f, 1)).reshape(e, c, d);
            var childFirst = depth == 1 ? children : frontierFirst.repeat_interleave(b, 1);
            var childAlive = frontierAlive.repeat_interleave(b, 1);
            // The scale of "the same state": a fraction of how far one jump moves the latent from here.
            radius ??= (children - root).pow(2).sum(2).sqrt().sort(1).Values.narrow(1, (c - 1) / 2, 1)
                * config.Merge;
            var toFound = cdist(children, found)
                .masked_fill(foundAlive.logical_not().unsqueeze(1), double.PositiveInfinity);
            var novelty = toFound.amin(2).masked_fill(childAlive.logical_not(), double.NegativeInfinity);
            int keep = (int)Math.Min(config.Beam, c);
            var (top, picked) = novelty.topk(keep, 1);                              // most novel first
            var index = picked.unsqueeze(2).expand(e, keep, d);
            var kept = children.gather(1, index);
            var alive = top > radius;
            // Two kept nodes may be the same new state: the less novel of a close pair goes.
            var among = cdist(kept, kept) < radius.unsqueeze(2);                    // (E, K, K)
            var earlier = ones([keep, keep], ScalarType.Bool, start.device).tril(-1); // [i, j]: j ranks before i
            var shadowed = (among & earlier & alive.unsqueeze(1)).any(2);
            alive = alive & shadowed.logical_not();

            frontier = kept;
            frontierFirst = childFirst.gather(1, index);
            frontierAlive = alive;
            found = cat([found, kept], 1);
            foundFirst = cat([foundFirst, frontierFirst], 1);
            foundAlive = cat([foundAlive, alive], 1);
            foundDepth = cat([foundDepth, full([e, keep], depth, ScalarType.Int64, start.device)], 1);
            foreach (var carried in new[] { frontier, frontierFirst, frontierAlive, found, foundFirst, foundAlive,
                         foundDepth })
                carried.MoveToOuterDisposeScope();
            if (depth == 1) radius.MoveToOuterDisposeScope(); // made once, at the first depth
        }
        var toGoal = (found - goal.flatten(1).unsqueeze(1)).pow(2).mean([2])
            .masked_fill(foundAlive.logical_not(), double.PositiveInfinity);
        var best = toGoal.argmin(1, keepdim: true);                                 // (E, 1)
        var subgoal = foundFirst.gather(1, best.unsqueeze(2).expand(e, 1, d)).reshape([e, .. latentShape]);
        var aimAtGoal = foundDepth.gather(1, best).squeeze(1) <= 1;
        return (subgoal, aimAtGoal);
    }

    /// <summary>
    /// The macro-actions tried from every node, in planner coordinates [−1, 1]^m (B, m): for m = 2, directions spread
    /// evenly round the edge of the box (corners included for 8); otherwise the ends of its axes.
    /// </summary>
    public static float[,] Directions(int macroDim, int directions)
    {
        if (macroDim != 2)
        {
            var axes = new float[2 * macroDim, macroDim];
            for (int i = 0; i < macroDim; i++) (axes[2 * i, i], axes[2 * i + 1, i]) = (1f, -1f);
            return axes;
        }
        var ring = new float[directions, 2];
        for (int i = 0; i < directions; i++)
        {
            double angle = 2 * Math.PI * i / directions;
            double x = Math.Cos(angle), y = Math.Sin(angle), edge = Math.Max(Math.Abs(x), Math.Abs(y));
            (ring[i, 0], ring[i, 1]) = ((float)Math.Round(x / edge, 6), (float)Math.Round(y / edge, 6));
        }
        return ring;
    }
}
