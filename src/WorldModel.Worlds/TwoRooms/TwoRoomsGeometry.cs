using WorldModel.Worlds.PointAgent;

namespace WorldModel.Worlds.TwoRooms;

/// <summary>
/// Shortest paths for a point agent around the wall: a visibility graph over the start,
/// the goal and the door's four corners. Used by the expert policy (next waypoint) and for
/// task horizons and geodesic costs later.
/// </summary>
public static class TwoRoomsGeometry
{
    public readonly record struct Path(float Length, float NextX, float NextY);

    public static Path ShortestPath(
        TwoRoomsLayout layout,
        ReadOnlySpan<float> wallPieces,
        float x,
        float y,
        float gx,
        float gy)
    {
        // Nodes: 0 = start, 1..4 = door corners, 5 = goal.
        Span<float> nx = stackalloc float[6];
        Span<float> ny = stackalloc float[6];
        nx[0] = x; ny[0] = y; nx[5] = gx; ny[5] = gy;
        float[] across = [layout.WallLow, layout.WallHigh];
        float[] along = [layout.DoorLow, layout.DoorHigh];
        int k = 1;
        foreach (var a in across)
            foreach (var b in along)
            {
                (nx[k], ny[k]) = layout.Orientation == WallOrientation.Vertical ? (a, b) : (b, a);
                k++;
            }

        // Dijkstra on 6 nodes.
        Span<float> dist = stackalloc float[6];
        Span<int> prev = stackalloc int[6];
        Span<bool> done = stackalloc bool[6];
        dist.Fill(float.PositiveInfinity);
        prev.Fill(-1);
        dist[0] = 0;
        for (int iter = 0; iter < 6; iter++)
        {
            int u = -1;
            for (int i = 0; i < 6; i++) if (!done[i] && (u < 0 || dist[i] < dist[u])) u = i;
            if (u < 0 || float.IsPositiveInfinity(dist[u])) break;
            done[u] = true;
            if (u == 5) break;
            for (int v = 0; v < 6; v++)
            {
                if (done[v] || !PointVisibility.Visible(nx[u], ny[u], nx[v], ny[v], wallPieces)) continue;
                float d = dist[u] + MathF.Sqrt((nx[v] - nx[u]) * (nx[v] - nx[u]) + (ny[v] - ny[u]) * (ny[v] - ny[u]));
                if (d < dist[v]) { dist[v] = d; prev[v] = u; }
            }
        }
        if (float.IsPositiveInfinity(dist[5])) return new Path(float.PositiveInfinity, x, y);
        int next = 5;
        while (prev[next] != 0 && prev[next] >= 0) next = prev[next];
        return new Path(dist[5], nx[next], ny[next]);
    }

    /// <summary>Steps an expert needs at the given step length: ceil(geodesic distance / step).</summary>
    public static int TaskSteps(
        TwoRoomsLayout layout,
        ReadOnlySpan<float> wallPieces,
        float x,
        float y,
        float gx,
        float gy,
        float maxStep) =>
        (int)MathF.Ceiling(ShortestPath(layout, wallPieces, x, y, gx, gy).Length / maxStep);
}
