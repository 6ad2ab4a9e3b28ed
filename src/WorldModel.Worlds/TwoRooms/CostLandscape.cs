using MathNet.Numerics.Statistics;
using WorldModel.Plan.Models;
using WorldModel.Render;
using WorldModel.Worlds.PointAgent;

namespace WorldModel.Worlds.TwoRooms;

/// <summary>
/// What a planner's cost looks like over the arena for one goal: the model's cost of standing at
/// each free grid point (observed there, one zero action imagined), next to the true geodesic and
/// straight-line distances. Before any planning it shows whether the cost leads through the door or
/// has a basin against the wall (docs/prototype-findings.md: latent distance tracked true distance only
/// near the goal).
/// </summary>
public sealed record CostLandscape(
    string Model, float GoalX, float GoalY, float Low, float Cell, int Size,
    double[,] Cost, double[,] Geodesic, double[,] Straight,
    double SpearmanGeodesic, double SpearmanStraight, double DescentReach, double DescentReachAcross)
{
    /// <summary>Points closer than this to a wall or border are left out (the agent's own start margin).</summary>
    public const float Margin = 1f;

    /// <summary>
    /// Scores every free cell centre of a grid over the arena with <paramref name="model"/>, in batches
    /// of <paramref name="batch"/> observations (one candidate each, horizon 1, zero action).
    /// </summary>
    public static CostLandscape Measure(
        IPlanningModel model,
        TwoRoomsConfig world,
        TwoRoomsLayout layout,
        IRenderer renderer,
        SceneBuilder scenes,
        float goalX,
        float goalY,
        float cell = 1f,
        int batch = 512)
    {
        var sim = new TwoRoomsBatch(world, 1);
        sim.SetLayout(0, layout);
        if (!sim.IsFree(0, goalX, goalY, Margin))
            throw new ArgumentException(
                $"goal ({goalX}, {goalY}) is inside a wall or within {Margin} px of one; " +
                $"allowed: a free point in [{world.BorderLow + Margin}, {world.BorderHigh - Margin}]");
        float low = world.BorderLow;
        int size = (int)Math.Floor((world.BorderHigh - world.BorderLow) / cell);
        var points = new List<(int I, int J, float X, float Y)>();
        for (int j = 0; j < size; j++)
            for (int i = 0; i < size; i++)
            {
                float x = low + (i + 0.5f) * cell, y = low + (j + 0.5f) * cell;
                if (sim.IsFree(0, x, y, Margin)) points.Add((i, j, x, y));
            }

        var cost = Filled(size);
        var geodesic = Filled(size);
        var straight = Filled(size);
        var layoutRow = new float[TwoRoomsLayout.Dim];
        layout.WriteTo(layoutRow);
        for (int from = 0; from < points.Count; from += batch)
        {
            int n = Math.Min(batch, points.Count - from);
            var states = new float[n * 2];
            var goals = new float[n * 2];
            var layouts = new float[n * TwoRoomsLayout.Dim];
            for (int k = 0; k < n; k++)
            {
                (states[2 * k], states[2 * k + 1]) = (points[from + k].X, points[from + k].Y);
                (goals[2 * k], goals[2 * k + 1]) = (goalX, goalY);
                layoutRow.CopyTo(layouts.AsSpan(k * TwoRoomsLayout.Dim));
            }
            model.SetGoals(
                new Observations(n, renderer.Format, scenes.Render(renderer, goals, layouts, n), goals, layouts));
            model.Observe(
                new Observations(n, renderer.Format, scenes.Render(renderer, states, layouts, n), states, layouts));
            var costs = new float[n];
            model.Score(new float[n * 2], candidates: 1, horizon: 1, costs);
            for (int k = 0; k < n; k++)
            {
                var (i, j, x, y) = points[from + k];
                cost[j, i] = costs[k];
                geodesic[j, i] = TwoRoomsGeometry.ShortestPath(layout, sim.WallPieces(0), x, y, goalX, goalY).Length;
                straight[j, i] = Math.Sqrt((x - goalX) * (x - goalX) + (y - goalY) * (y - goalY));
            }
        }

        var (c, g, s) = (Values(cost, points), Values(geodesic, points), Values(straight, points));
        var finite = Enumerable.Range(0, c.Length).Where(k => double.IsFinite(g[k])).ToArray();
        var (reach, reachAcross) = Descent(cost, points, sim, layout, goalX, goalY, low, cell);
        return new CostLandscape(
            Model: model.Name,
            GoalX: goalX,
            GoalY: goalY,
            Low: low,
            Cell: cell,
            Size: size,
            Cost: cost,
            Geodesic: geodesic,
            Straight: straight,
            SpearmanGeodesic: Correlation.Spearman(finite.Select(k => c[k]), finite.Select(k => g[k])),
            SpearmanStraight: Correlation.Spearman(c, s),
            DescentReach: reach,
            DescentReachAcross: reachAcross);
    }

    /// <summary>
    /// Greedy descent from every free cell: step to the lowest-cost free cell within 2 cells (about one
    /// maximum action) that the wall does not hide, until none is lower. Returns the share of cells
    /// whose descent ends within 2 cells of the goal, over all cells and over the other room's cells.
    /// A cost with no false basin scores 1; straight-line distance loses the cells behind the wall.
    /// </summary>
    private static (double All, double Across) Descent(
        double[,] cost,
        List<(int I, int J, float X, float Y)> points,
        TwoRoomsBatch sim,
        TwoRoomsLayout layout,
        float goalX,
        float goalY,
        float low,
        float cell)
    {
        int size = cost.GetLength(0), goalRoom = layout.Room(goalX, goalY);
        var pieces = sim.WallPieces(0).ToArray();
        // Where each cell's descent ends, memoised: every path through a cell ends where that cell's does.
        var end = new int[size * size];
        Array.Fill(end, -1);
        int Next(int i, int j)
        {
            int best = j * size + i;
            double bestCost = cost[j, i];
            float x = low + (i + 0.5f) * cell, y = low + (j + 0.5f) * cell;
            for (int dj = -2; dj <= 2; dj++)
                for (int di = -2; di <= 2; di++)
                {
                    int ni = i + di, nj = j + dj;
                    if ((di == 0 && dj == 0) || ni < 0 || nj < 0 || ni >= size || nj >= size
                        || double.IsNaN(cost[nj, ni]) || cost[nj, ni] >= bestCost)
                        continue;
                    if (!PointVisibility.Visible(x, y, low + (ni + 0.5f) * cell, low + (nj + 0.5f) * cell, pieces))
                        continue;
                    best = nj * size + ni;
                    bestCost = cost[nj, ni];
                }
            return best;
        }
        int Follow(int start)
        {
            var path = new List<int>();
            int at = start;
            while (end[at] < 0)
            {
                path.Add(at);
                int next = Next(at % size, at / size);
                if (next == at) { end[at] = at; break; }
                at = next;
            }
            foreach (int p in path) end[p] = end[at];
            return end[at];
        }
        int reached = 0, across = 0, reachedAcross = 0;
        foreach (var (i, j, x, y) in points)
        {
            int e = Follow(j * size + i);
            float ex = low + (e % size + 0.5f) * cell, ey = low + (e / size + 0.5f) * cell;
            bool ok = Math.Sqrt((ex - goalX) * (ex - goalX) + (ey - goalY) * (ey - goalY)) <= 2 * cell + 1e-3;
            if (ok) reached++;
            if (layout.Room(x, y) != goalRoom) { across++; if (ok) reachedAcross++; }
        }
        return (reached / (double)points.Count, across == 0 ? double.NaN : reachedAcross / (double)across);
    }

    private static double[,] Filled(int size)
    {
        var a = new double[size, size];
        for (int j = 0; j < size; j++) for (int i = 0; i < size; i++) a[j, i] = double.NaN;
        return a;
    }

    private static double[] Values(double[,] grid, List<(int I, int J, float X, float Y)> points) =>
        points.Select(p => grid[p.J, p.I]).ToArray();
}
