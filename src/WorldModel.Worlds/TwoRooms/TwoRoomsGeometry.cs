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
                if (done[v] || !Visible(nx[u], ny[u], nx[v], ny[v], wallPieces)) continue;
                float d = dist[u] + MathF.Sqrt((nx[v] - nx[u]) * (nx[v] - nx[u]) + (ny[v] - ny[u]) * (ny[v] - ny[u]));
                if (d < dist[v]) { dist[v] = d; prev[v] = u; }
            }
        }
        if (float.IsPositiveInfinity(dist[5])) return new Path(float.PositiveInfinity, x, y);
        int next = 5;
        while (prev[next] != 0 && prev[next] >= 0) next = prev[next];
        return new Path(dist[5], nx[next], ny[next]);
    }

    /// <summary>
    /// Whether the segment between two points avoids every wall interior. Touching is allowed, and so is
    /// an overlap shorter than <see cref="GrazeTolerance"/>: a path to a door corner ends exactly on two
    /// faces, and float rounding of the segment would otherwise make the corner look blocked.
    /// </summary>
    public static bool Visible(float x0, float y0, float x1, float y1, ReadOnlySpan<float> wallPieces)
    {
        double dx = (double)x1 - x0, dy = (double)y1 - y0;
        for (int p = 0; p + 3 < wallPieces.Length; p += 4)
        {
            double enter = double.NegativeInfinity, exit = double.PositiveInfinity;
            if (!Slab(x0, dx, wallPieces[p], wallPieces[p + 1], ref enter, ref exit)) continue;
            if (!Slab(y0, dy, wallPieces[p + 2], wallPieces[p + 3], ref enter, ref exit)) continue;
            double inside = Math.Min(exit, 1) - Math.Max(enter, 0);
            // The length only where the segment enters a piece: the geodesic oracle calls this per candidate and step.
            if (inside > 0 && inside * Math.Sqrt(dx * dx + dy * dy) > GrazeTolerance) return false;
        }
        return true;
    }

    /// <summary>Pixels of a segment that may lie inside a wall before it counts as blocked.</summary>
    public const double GrazeTolerance = 1e-4;

    private static bool Slab(float p, double d, float lo, float hi, ref double enter, ref double exit)
    {
        if (d == 0) return p > lo && p < hi;
        double t0 = (lo - (double)p) / d, t1 = (hi - (double)p) / d;
        if (t0 > t1) (t0, t1) = (t1, t0);
        enter = Math.Max(enter, t0);
        exit = Math.Min(exit, t1);
        return true;
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
