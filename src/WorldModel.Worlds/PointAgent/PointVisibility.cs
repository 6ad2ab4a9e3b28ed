namespace WorldModel.Worlds.PointAgent;

/// <summary>
/// Straight-line visibility for a point agent among axis-aligned wall pieces (x0, x1, y0, y1; open interiors, the
/// format <see cref="PointPhysics"/> takes): the test shortest paths are built from (Two-Rooms, Maze).
/// </summary>
public static class PointVisibility
{
    /// <summary>Pixels of a segment that may lie inside a wall before it counts as blocked.</summary>
    public const double GrazeTolerance = 1e-4;

    /// <summary>
    /// Whether the segment between two points avoids every wall interior. Touching is allowed, and so is
    /// an overlap shorter than <see cref="GrazeTolerance"/>: a path to a wall's corner ends exactly on two
    /// faces, and float rounding of the segment would otherwise make the corner look blocked.
    /// </summary>
    public static bool Visible(float x0, float y0, float x1, float y1, ReadOnlySpan<float> wallPieces)
    {
        double dx = (double)x1 - x0, dy = (double)y1 - y0;
        float left = MathF.Min(x0, x1), right = MathF.Max(x0, x1), bottom = MathF.Min(y0, y1), top = MathF.Max(y0, y1);
        for (int p = 0; p + 3 < wallPieces.Length; p += 4)
        {
            // A segment whose bounding box stays out of a piece's open interior cannot enter it: most pieces, cheaply.
            if (right <= wallPieces[p] || left >= wallPieces[p + 1] || top <= wallPieces[p + 2]
                || bottom >= wallPieces[p + 3])
                continue;
            double enter = double.NegativeInfinity, exit = double.PositiveInfinity;
            if (!Slab(x0, dx, wallPieces[p], wallPieces[p + 1], ref enter, ref exit)) continue;
            if (!Slab(y0, dy, wallPieces[p + 2], wallPieces[p + 3], ref enter, ref exit)) continue;
            double inside = Math.Min(exit, 1) - Math.Max(enter, 0);
            // The length only where the segment enters a piece: the geodesic oracles call this per candidate and step.
            if (inside > 0 && inside * Math.Sqrt(dx * dx + dy * dy) > GrazeTolerance) return false;
        }
        return true;
    }

    private static bool Slab(float p, double d, float lo, float hi, ref double enter, ref double exit)
    {
        if (d == 0) return p > lo && p < hi;
        double t0 = (lo - (double)p) / d, t1 = (hi - (double)p) / d;
        if (t0 > t1) (t0, t1) = (t1, t0);
        enter = Math.Max(enter, t0);
        exit = Math.Min(exit, t1);
        return true;
    }
}
