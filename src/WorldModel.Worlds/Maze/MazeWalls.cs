namespace WorldModel.Worlds.Maze;

/// <summary>
/// A layout's walls as axis-aligned rectangles (x0, x1, y0, y1) with open interiors: each maximal run of closed
/// edges along an interior grid line, thickened by half the wall thickness on every side (so a run also covers the
/// square where it meets a crossing wall, and a wall's free end sticks out half a thickness into the opening).
/// </summary>
public static class MazeWalls
{
    /// <summary>
    /// The pieces physics and visibility use (<see cref="PointAgent.PointPhysics"/>' format). Where a horizontal run
    /// crosses or meets a vertical one both cover the junction square: pieces that only shared a face would leave a
    /// slit between their open interiors, along which a point could slide through the wall. Runs that reach the border
    /// go 1 px beyond it, as Two-Rooms' pieces do, so that sliding along the border cannot pass a wall's end either.
    /// Writes the pieces while <paramref name="pieces"/> has room and returns how many there are.
    /// </summary>
    public static int Pieces(MazeLayout layout, float borderLow, float borderHigh, float thickness, Span<float> pieces)
        => Runs(layout, borderLow, borderHigh, thickness, forDrawing: false, pieces);

    /// <summary>
    /// The rectangles a scene draws: the same walls without overlaps (vertical runs span junctions, horizontal runs
    /// stop at a vertical wall's faces), clipped to the inside of the border, because the renderers sum coverage and
    /// an overlap would darken the anti-aliased edge pixels twice. Returns how many there are.
    /// </summary>
    public static int Rects(MazeLayout layout, float borderLow, float borderHigh, float thickness, Span<float> rects) =>
        Runs(layout, borderLow, borderHigh, thickness, forDrawing: true, rects);

    /// <summary>How many rectangles drawing the layout takes (it depends on the layout only).</summary>
    public static int RectCount(MazeLayout layout) => Rects(layout, 0, 1, 0.01f, []);

    private static int Runs(
        MazeLayout layout,
        float lo,
        float hi,
        float thickness,
        bool forDrawing,
        Span<float> destination)
    {
        int n = layout.Cells, count = 0;
        float cell = (hi - lo) / n, h = thickness / 2;
        // Beyond the border for physics (see Pieces), on it for drawing.
        float outLow = forDrawing ? lo : lo - 1, outHigh = forDrawing ? hi : hi + 1;
        float At(int k) => lo + k * cell;
        bool Vertical(int line, int row) => layout.IsClosed(MazeLayout.VerticalEdge(n, line, row));

        for (int k = 1; k < n; k++)
            for (int r = 0; r < n;)
            {
                if (!Vertical(k, r)) { r++; continue; }
                int first = r;
                while (r < n && Vertical(k, r)) r++;
                Add(ref count, destination, At(k) - h, At(k) + h,
                    first == 0 ? outLow : At(first) - h, r == n ? outHigh : At(r) + h);
            }

        for (int k = 1; k < n; k++)
        {
            bool inRun = false;
            float start = 0;
            // Vertex c of line k is at x = At(c); edge c runs from vertex c to vertex c + 1.
            for (int c = 0; c <= n; c++)
            {
                bool covered = forDrawing && c > 0 && c < n && (Vertical(c, k - 1) || Vertical(c, k));
                bool closed = c < n && layout.IsClosed(MazeLayout.HorizontalEdge(n, k, c));
                if (inRun && (!closed || covered))
                {
                    float end = c == n ? outHigh : covered ? At(c) - h : At(c) + h;
                    Add(ref count, destination, start, end, At(k) - h, At(k) + h);
                    inRun = false;
                }
                if (closed && !inRun)
                {
                    start = c == 0 ? outLow : covered ? At(c) + h : At(c) - h;
                    inRun = true;
                }
            }
        }
        return count;
    }

    private static void Add(ref int count, Span<float> destination, float x0, float x1, float y0, float y1)
    {
        if (destination.Length >= 4 * (count + 1))
        {
            var r = destination.Slice(4 * count, 4);
            r[0] = x0; r[1] = x1; r[2] = y0; r[3] = y1;
        }
        count++;
    }
}
