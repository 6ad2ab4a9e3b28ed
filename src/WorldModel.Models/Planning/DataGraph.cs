using static TorchSharp.torch;

namespace WorldModel.Models.Planning;

/// <summary>
/// The graph itself: node latents (N × D, flattened), their episodes, and weighted undirected edges in recorded
/// steps. Built from latents alone so tests can make one from any points; <see cref="ShortestTo"/> answers one goal,
/// <see cref="Subgoal"/> walks its path.
/// </summary>
public sealed class DataGraph
{
    private readonly List<(int To, float Steps)>[] _edges;

    /// <param name="latents">N × D node latents, row-major.</param>
    /// <param name="episodeOf">Each node's recorded episode; consecutive nodes of one episode are joined.</param>
    /// <param name="stride">Recorded steps between consecutive nodes of an episode.</param>
    /// <param name="neighbours">For each node, its nearest other nodes (N × K, nearest first).</param>
    /// <param name="neighbourDistances">Their mean squared latent distances (N × K).</param>
    public DataGraph(
        float[] latents,
        int dim,
        int[] episodeOf,
        int stride,
        int[] neighbours,
        float[] neighbourDistances,
        int k,
        double quantile)
    {
        int n = episodeOf.Length;
        if (latents.Length != n * dim)
            throw new ArgumentException(
                $"{n} nodes of {dim} numbers need {n * dim} latent values; got {latents.Length}");
        (Latents, Dim, EpisodeOf, Stride) = (latents, dim, episodeOf, stride);
        _edges = new List<(int, float)>[n];
        for (int i = 0; i < n; i++) _edges[i] = [];
        var recorded = new List<float>();
        for (int i = 0; i + 1 < n; i++)
            if (episodeOf[i] == episodeOf[i + 1])
            {
                Join(i, i + 1, stride);
                recorded.Add(Distance(i, i + 1));
            }
        if (recorded.Count == 0)
            throw new ArgumentException("no two consecutive nodes share an episode: the graph has no recorded edges");
        recorded.Sort();
        Threshold = recorded[Math.Min(recorded.Count - 1, (int)(quantile * recorded.Count))];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < k; j++)
            {
                int other = neighbours[i * k + j];
                float d = neighbourDistances[i * k + j];
                if (other == i || other < 0 || d > Threshold || episodeOf[other] == episodeOf[i]) continue;
                Join(i, other, Steps(d));
                NeighbourEdges++;
            }
    }

    public float[] Latents { get; }
    public int Dim { get; }
    public int[] EpisodeOf { get; }
    public int Stride { get; }
    public int Nodes => EpisodeOf.Length;
    /// <summary>The mean squared latent distance below which two nodes of different episodes are joined.</summary>
    public float Threshold { get; }
    /// <summary>Edges joining different episodes (each counted from both ends).</summary>
    public int NeighbourEdges { get; private set; }
    public IReadOnlyList<(int To, float Steps)> EdgesOf(int node) => _edges[node];

    /// <summary>
    /// The steps an edge of this mean squared latent distance stands for: a recorded edge's <see cref="Stride"/>
    /// at the threshold, scaled by the Euclidean length below and above it.
    /// </summary>
    public float Steps(float meanSquared) =>
        Stride * MathF.Sqrt(Math.Max(meanSquared, 0) / Math.Max(Threshold, 1e-12f));

    /// <summary>
    /// Steps from every node to a goal joined to <paramref name="goalNodes"/> at the given mean squared distances
    /// (Dijkstra from the goal), and each node's next node toward it (−1: the goal itself; −2: unreachable).
    /// </summary>
    public (float[] Steps, int[] Next) ShortestTo(IReadOnlyList<int> goalNodes, IReadOnlyList<float> goalDistances)
    {
        int n = Nodes;
        var steps = new float[n];
        var next = new int[n];
        Array.Fill(steps, float.PositiveInfinity);
        Array.Fill(next, -2);
        var queue = new PriorityQueue<int, float>();
        for (int j = 0; j < goalNodes.Count; j++)
        {
            int v = goalNodes[j];
            float s = Steps(goalDistances[j]);
            if (s >= steps[v]) continue;
            steps[v] = s;
            next[v] = -1;
            queue.Enqueue(v, s);
        }
        while (queue.TryDequeue(out int u, out float su))
        {
            if (su > steps[u]) continue; // a stale entry
            foreach (var (v, w) in _edges[u])
            {
                float sv = su + w;
                if (sv >= steps[v]) continue;
                steps[v] = sv;
                next[v] = u;
                queue.Enqueue(v, sv);
            }
        }
        return (steps, next);
    }

    /// <summary>
    /// Where to aim from a state joined to <paramref name="near"/> at the given mean squared distances: the node
    /// <paramref name="reach"/> steps along the shortest path to the goal, or −1 when the goal is within reach (or
    /// no node leads to it: then the goal itself is the best aim there is). Also returns the steps to the goal.
    /// </summary>
    public (int Node, float StepsToGoal) Subgoal(
        IReadOnlyList<int> near,
        IReadOnlyList<float> nearDistances,
        (float[] Steps, int[] Next) toGoal,
        float reach)
    {
        int entry = -1;
        float best = float.PositiveInfinity, first = 0;
        for (int j = 0; j < near.Count; j++)
        {
            float s = Steps(nearDistances[j]);
            float total = s + toGoal.Steps[near[j]];
            if (total < best) (best, entry, first) = (total, near[j], s);
        }
        if (entry < 0 || best <= reach) return (-1, best);
        // Walk the path until it is reach steps from here; the goal itself once the path ends.
        float walked = first;
        int node = entry;
        while (walked < reach)
        {
            int after = toGoal.Next[node];
            if (after < 0) return (-1, best);
            walked += toGoal.Steps[node] - toGoal.Steps[after];
            node = after;
        }
        return (node, best);
    }

    private void Join(int a, int b, float steps)
    {
        _edges[a].Add((b, steps));
        _edges[b].Add((a, steps));
    }

    /// <summary>Mean squared distance between two nodes' latents.</summary>
    public float Distance(int i, int j)
    {
        var a = Latents.AsSpan(i * Dim, Dim);
        var b = Latents.AsSpan(j * Dim, Dim);
        float sum = 0;
        for (int d = 0; d < Dim; d++) sum += (a[d] - b[d]) * (a[d] - b[d]);
        return sum / Dim;
    }

    /// <summary>
    /// The <paramref name="k"/> nearest of <paramref name="nodes"/> (N × D) to each of <paramref name="queries"/>
    /// (Q × …, flattened) by mean squared distance, on the tensors' device in blocks: (Q × K indices, Q × K distances).
    /// </summary>
    public static (int[] Indices, float[] Distances) Nearest(Tensor queries, Tensor nodes, int k)
    {
        using var _ = no_grad();
        using var outer = NewDisposeScope();
        queries = queries.flatten(1);
        long q = queries.shape[0], d = nodes.shape[1];
        k = (int)Math.Min(k, nodes.shape[0]);
        var indices = new int[q * k];
        var distances = new float[q * k];
        var nodeNorms = nodes.pow(2).sum(1);
        const long block = 1024;
        for (long from = 0; from < q; from += block)
        {
            using var scope = NewDisposeScope();
            long rows = Math.Min(block, q - from);
            var x = queries.narrow(0, from, rows);
            var squared = (x.pow(2).sum(1, keepdim: true) + nodeNorms.unsqueeze(0) - 2 * x.matmul(nodes.t()))
                .clamp_min(0) / d;
            var (values, picked) = squared.topk(k, dim: 1, largest: false);
            // One read-back for both (node indices are exact as floats below 2^24).
            var both = Readback.Floats(cat([values, picked.to(ScalarType.Float32)]));
            int count = (int)(rows * k);
            both.AsSpan(0, count).CopyTo(distances.AsSpan((int)(from * k)));
            for (int i = 0; i < count; i++) indices[from * k + i] = (int)both[count + i];
        }
        return (indices, distances);
    }
}
