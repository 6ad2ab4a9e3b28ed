using WorldModel.Worlds.PointAgent;

namespace WorldModel.Worlds.Maze;

/// <summary>
/// One layout's walls, and the visibility graph shortest paths are built from. The agent is a point and the walls
/// are rectangles, so a shortest path is a polyline that bends only at convex corners of the walls' union (Lozano-Pérez
/// &amp; Wesley 1979): the graph's nodes are those corners, its edges the pairs that see each other, and its
/// all-pairs distances (Floyd–Warshall) are computed once per layout, on first use.
/// </summary>
public sealed class MazeGeometry
{
    private readonly Lazy<(float[] X, float[] Y, float[] Between)> _graph;

    public MazeGeometry(MazeLayout layout, float borderLow, float borderHigh, float wallThickness)
    {
        Layout = layout;
        BorderLow = borderLow;
        BorderHigh = borderHigh;
        int count = MazeWalls.Pieces(layout, borderLow, borderHigh, wallThickness, []);
        Pieces = new float[4 * count];
        MazeWalls.Pieces(layout, borderLow, borderHigh, wallThickness, Pieces);
        _graph = new(BuildGraph);
    }

    public MazeLayout Layout { get; }
    public float BorderLow { get; }
    public float BorderHigh { get; }

    /// <summary>The wall pieces physics and visibility use (<see cref="MazeWalls.Pieces"/>).</summary>
    public float[] Pieces { get; }

    /// <summary>Corners a shortest path may bend around (x).</summary>
    public ReadOnlySpan<float> NodeX => _graph.Value.X;

    /// <summary>Corners a shortest path may bend around (y).</summary>
    public ReadOnlySpan<float> NodeY => _graph.Value.Y;

    /// <summary>Shortest-path length between nodes i and j, at [i × nodes + j].</summary>
    public ReadOnlySpan<float> Between => _graph.Value.Between;

    /// <summary>Shortest-path lengths to one goal, for many queries (<see cref="MazeGeodesic.Distance"/>).</summary>
    public MazeGeodesic Towards(float goalX, float goalY) => new(this, goalX, goalY);

    /// <summary>The shortest path's length between two points (one query; for many, <see cref="Towards"/>).</summary>
    public float Geodesic(float x, float y, float goalX, float goalY) => Towards(goalX, goalY).Distance(x, y);

    private (float[] X, float[] Y, float[] Between) BuildGraph()
    {
        // Convex corners: of the four quadrants around a corner, exactly one is wall (outside the arena counts as
        // wall). Corners on another piece's face or inside the wall's union are not places a path bends.
        const float probe = 1e-3f;
        var xs = new List<float>();
        var ys = new List<float>();
        for (int p = 0; p < Pieces.Length; p += 4)
            foreach (float x in (ReadOnlySpan<float>)[Pieces[p], Pieces[p + 1]])
                foreach (float y in (ReadOnlySpan<float>)[Pieces[p + 2], Pieces[p + 3]])
                {
                    if (x < BorderLow || x > BorderHigh || y < BorderLow || y > BorderHigh) continue;
                    int walls = 0;
                    foreach (float sx in (ReadOnlySpan<float>)[-probe, probe])
                        foreach (float sy in (ReadOnlySpan<float>)[-probe, probe])
                            if (Blocked(x + sx, y + sy)) walls++;
                    bool known = false;
                    for (int i = 0; i < xs.Count; i++) known |= xs[i] == x && ys[i] == y;
                    if (walls == 1 && !known) { xs.Add(x); ys.Add(y); }
                }
        int n = xs.Count;
        var between = new float[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                between[i * n + j] = i == j ? 0
                    : PointVisibility.Visible(xs[i], ys[i], xs[j], ys[j], Pieces)
                        ? MathF.Sqrt((xs[i] - xs[j]) * (xs[i] - xs[j]) + (ys[i] - ys[j]) * (ys[i] - ys[j]))
                        : float.PositiveInfinity;
        for (int k = 0; k < n; k++)
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                    between[i * n + j] = MathF.Min(between[i * n + j], between[i * n + k] + between[k * n + j]);
        return (xs.ToArray(), ys.ToArray(), between);
    }

    private bool Blocked(float x, float y) =>
        x < BorderLow || x > BorderHigh || y < BorderLow || y > BorderHigh || PointPhysics.Inside(x, y, Pieces);
}
