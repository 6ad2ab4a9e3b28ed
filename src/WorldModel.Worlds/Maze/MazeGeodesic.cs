using WorldModel.Worlds.PointAgent;

namespace WorldModel.Worlds.Maze;

/// <summary>
/// Exact shortest-path lengths for a point to one goal among one layout's walls (a path may touch faces). The goal's
/// distance to every corner of the visibility graph is computed once; a query is then the straight line when the
/// goal is visible (nothing is shorter), else the least |p − corner| + D(corner) over the corners p sees: the first
/// bend of a shortest path is a corner visible from p. Candidates are tested in increasing order of that sum, so a
/// query usually tests the goal and one or two corners. Thread-safe: queries only read.
/// </summary>
public sealed class MazeGeodesic
{
    private readonly float[] _pieces, _nodeX, _nodeY, _toGoal;

    public MazeGeodesic(MazeGeometry geometry, float goalX, float goalY)
    {
        Layout = geometry.Layout;
        GoalX = goalX;
        GoalY = goalY;
        _pieces = geometry.Pieces;
        _nodeX = geometry.NodeX.ToArray();
        _nodeY = geometry.NodeY.ToArray();
        int n = _nodeX.Length;
        var between = geometry.Between;
        _toGoal = new float[n];
        Array.Fill(_toGoal, float.PositiveInfinity);
        for (int u = 0; u < n; u++)
        {
            if (!PointVisibility.Visible(goalX, goalY, _nodeX[u], _nodeY[u], _pieces)) continue;
            float first = Length(goalX - _nodeX[u], goalY - _nodeY[u]);
            for (int v = 0; v < n; v++) _toGoal[v] = MathF.Min(_toGoal[v], first + between[u * n + v]);
        }
    }

    public MazeLayout Layout { get; }
    public float GoalX { get; }
    public float GoalY { get; }

    /// <summary>Shortest-path length from (x, y) to the goal; +∞ only from inside a wall.</summary>
    public float Distance(float x, float y)
    {
        float straight = Length(GoalX - x, GoalY - y);
        if (PointVisibility.Visible(x, y, GoalX, GoalY, _pieces)) return straight;
        int n = _nodeX.Length;
        Span<float> via = stackalloc float[n];
        for (int v = 0; v < n; v++) via[v] = Length(_nodeX[v] - x, _nodeY[v] - y) + _toGoal[v];
        while (true)
        {
            int best = -1;
            for (int v = 0; v < n; v++)
                if (via[v] < float.PositiveInfinity && (best < 0 || via[v] < via[best])) best = v;
            if (best < 0) return float.PositiveInfinity;
            if (PointVisibility.Visible(x, y, _nodeX[best], _nodeY[best], _pieces)) return via[best];
            via[best] = float.PositiveInfinity;
        }
    }

    private static float Length(float dx, float dy) => MathF.Sqrt(dx * dx + dy * dy);
}
