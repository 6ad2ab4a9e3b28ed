using TorchSharp;
using WorldModel.Models.Planning;

namespace WorldModel.Models.Tests;

/// <summary>
/// The data graph on points whose "latents" are their positions: recorded walks down a U-shaped corridor whose arms'
/// ends are 4 apart in a straight line and 20 apart along it, each walk a separate episode.
/// </summary>
public class DataGraphTests
{
    private const float Spacing = 0.5f; // distance between consecutive recorded states

    /// <summary>The U's centre line from the left arm's top (0, 10) down, across the bottom, up to (4, 10).</summary>
    private static (float X, float Y) Along(float s) =>
        s <= 10 ? (0, 10 - s) : s <= 14 ? (s - 10, 0) : (4, s - 14);

    /// <summary>
    /// Four overlapping walks (episodes) covering the U: 0–7, 6–13, 12–19 and 18–24 along it, so the graph must
    /// join episodes by their nearest latents to go the whole way.
    /// </summary>
    private static DataGraph Corridor(double quantile = 0.5)
    {
        var latents = new List<float>();
        var episodes = new List<int>();
        float[][] walks = [[0, 7], [6, 13], [12, 19], [18, 24]];
        for (int e = 0; e < walks.Length; e++)
            for (float s = walks[e][0]; s <= walks[e][1] + 1e-4f; s += Spacing)
            {
                // Each walk shifted 0.1 in x so walks do not sit exactly on each other.
                var (x, y) = Along(s);
                latents.AddRange([x + 0.1f * e, y]);
                episodes.Add(e);
            }
        using var nodes = torch.tensor(latents.ToArray(), [episodes.Count, 2]);
        var (near, distances) = DataGraph.Nearest(nodes, nodes, 9);
        return new DataGraph([.. latents], 2, [.. episodes], stride: 1, near, distances, 9, quantile);
    }

    private static (int[] Near, float[] Distances) Join(DataGraph graph, float x, float y, int k = 8)
    {
        using var query = torch.tensor(new[] { x, y }, [1, 2]);
        using var nodes = torch.tensor(graph.Latents, [graph.Nodes, graph.Dim]);
        return DataGraph.Nearest(query, nodes, k);
    }

    private static (float X, float Y) At(DataGraph graph, int node) =>
        (graph.Latents[node * 2], graph.Latents[node * 2 + 1]);

    [Fact]
    public void The_shortest_path_goes_around_the_corridor_not_across_its_gap()
    {
        var graph = Corridor();
        // Recorded edges are 0.5 long (mean squared 0.125); the gap between the arms (4) is far above it.
        Assert.Equal(0.125f, graph.Threshold, 3);
        Assert.True(graph.NeighbourEdges > 0, "the walks were not joined");
        var goal = Join(graph, 4, 10);
        var toGoal = graph.ShortestTo(goal.Near, goal.Distances);
        var start = Join(graph, 0, 10);
        // 24 along the corridor in recorded steps of 0.5: about 48 steps; straight across it would be 8.
        float steps = start.Near.Zip(start.Distances, (n, d) => graph.Steps(d) + toGoal.Steps[n]).Min();
        Assert.InRange(steps, 46f, 52f);

        // The subgoal four steps on goes down the left arm, away from the goal in a straight line.
        var (node, total) = graph.Subgoal(start.Near, start.Distances, toGoal, reach: 4);
        Assert.True(node >= 0, "aimed at the goal from the far arm");
        Assert.Equal(steps, total, 3);
        var (x, y) = At(graph, node);
        Assert.InRange(x, -0.01f, 0.35f);
        Assert.InRange(y, 7.4f, 8.6f); // about 4 steps of 0.5 down from y = 10
    }

    [Fact]
    public void Every_node_of_the_corridor_reaches_the_goal_and_the_goal_is_aimed_at_once_within_reach()
    {
        var graph = Corridor();
        var goal = Join(graph, 4, 10);
        var toGoal = graph.ShortestTo(goal.Near, goal.Distances);
        Assert.All(toGoal.Steps, s => Assert.True(float.IsFinite(s)));
        // Following the next nodes from any node ends at the goal, each step closer.
        for (int v = 0; v < graph.Nodes; v++)
            for (int u = v, hops = 0; toGoal.Next[u] != -1; u = toGoal.Next[u], hops++)
            {
                Assert.True(toGoal.Steps[toGoal.Next[u]] < toGoal.Steps[u]);
                Assert.True(hops < graph.Nodes);
            }
        var near = Join(graph, 4, 9);
        Assert.Equal(-1, graph.Subgoal(near.Near, near.Distances, toGoal, reach: 4).Node);
    }
}
