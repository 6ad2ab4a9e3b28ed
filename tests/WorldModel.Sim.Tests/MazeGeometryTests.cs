using System.Diagnostics;
using WorldModel.Worlds.Maze;
using WorldModel.Worlds.PointAgent;
using Xunit.Abstractions;

namespace WorldModel.Sim.Tests;

public sealed class MazeGeometryTests(ITestOutputHelper output)
{
    private static MazeGeometry Geometry(MazeLayout layout) => new(layout, 4, 60, 2);

    /// <summary>A 2×2 maze whose one wall parts the top two cells: x ∈ [31, 33], from the border to y = 33.</summary>
    private static readonly MazeLayout OneWall = new(2, 1u << MazeLayout.VerticalEdge(2, 1, 0));

    private static IEnumerable<(MazeGeometry Geometry, MazeBatch Batch)> RandomMazes(int cells, int count)
    {
        var batch = new MazeBatch(new MazeConfig { Cells = cells, Layouts = 0 }, count);
        batch.Reset(Enumerable.Range(0, count).Select(i => (ulong)i * 31 + 5).ToArray());
        return Enumerable.Range(0, count).Select(i => (batch.Geometry(i), batch));
    }

    [Fact]
    public void Given_a_goal_in_sight_Then_the_geodesic_is_the_straight_line()
    {
        var g = Geometry(OneWall);
        Assert.Equal(MathF.Sqrt(10 * 10 + 30 * 30), g.Geodesic(10, 10, 20, 40), 4);
        Assert.Equal(24f, g.Geodesic(20, 50, 44, 50), 4); // below the wall's end
    }

    [Fact]
    public void Given_a_goal_behind_one_wall_Then_the_path_bends_round_both_corners_of_its_end()
    {
        // From (20, 10) to (44, 10): via the wall end's corners (31, 33) and (33, 33).
        float expected = 2 * MathF.Sqrt(11 * 11 + 23 * 23) + 2;
        var g = Geometry(OneWall);
        Assert.Equal(expected, g.Geodesic(20, 10, 44, 10), 3);
        Assert.Equal(expected, g.Geodesic(44, 10, 20, 10), 3);
    }

    [Fact]
    public void Given_random_mazes_and_free_points_Then_the_geodesic_is_finite_symmetric_and_never_below_the_line()
    {
        ulong rng = 17;
        foreach (var (g, batch) in RandomMazes(4, 300))
        {
            int world = Array.IndexOf(batch.Layouts, g.Layout);
            for (int k = 0; k < 20; k++)
            {
                var (x, y) = batch.SampleFreePoint(world, ref rng, 0.3f);
                var (gx, gy) = batch.SampleFreePoint(world, ref rng, 0.3f);
                float way = g.Geodesic(x, y, gx, gy), back = g.Geodesic(gx, gy, x, y);
                float straight = MathF.Sqrt((gx - x) * (gx - x) + (gy - y) * (gy - y));
                Assert.True(float.IsFinite(way), $"{g.Layout}: no path ({x}, {y}) → ({gx}, {gy})");
                Assert.True(way >= straight - 1e-3f, $"{g.Layout}: {way} below the straight line {straight}");
                Assert.Equal(way, back, 2);
            }
        }
    }

    [Fact]
    public void Given_random_mazes_Then_the_geodesic_agrees_with_shortest_paths_on_a_fine_grid()
    {
        // Dijkstra on a 0.5 px grid of free points, 16 neighbours (steps (1, 0), (1, 1), (2, 1) and their turns), an
        // edge where its segment is free. A grid path is a real path, so the exact geodesic is never longer; the grid
        // is a little longer (directions between its 16, and the half pixel it keeps from faces).
        const float step = 0.5f;
        int side = (int)(56 / step) + 1;
        (int, int)[] moves = [(1, 0), (0, 1), (-1, 0), (0, -1), (1, 1), (1, -1), (-1, 1), (-1, -1),
            (2, 1), (1, 2), (-2, 1), (-1, 2), (2, -1), (1, -2), (-2, -1), (-1, -2)];
        ulong rng = 3;
        double worst = 0;
        foreach (var (g, batch) in RandomMazes(3, 4).Concat(RandomMazes(4, 2)))
        {
            int world = Array.IndexOf(batch.Layouts, g.Layout);
            var (gx, gy) = batch.SampleFreePoint(world, ref rng, 1f);
            // The goal snapped to the grid, so the grid's distances start exactly there.
            gx = 4 + MathF.Round((gx - 4) / step) * step;
            gy = 4 + MathF.Round((gy - 4) / step) * step;
            var grid = new float[side * side];
            Array.Fill(grid, float.PositiveInfinity);
            var queue = new PriorityQueue<int, float>();
            int goal = (int)MathF.Round((gy - 4) / step) * side + (int)MathF.Round((gx - 4) / step);
            grid[goal] = 0;
            queue.Enqueue(goal, 0);
            while (queue.TryDequeue(out int node, out float d))
            {
                if (d > grid[node]) continue;
                int i = node % side, j = node / side;
                foreach (var (di, dj) in moves)
                {
                    int ni = i + di, nj = j + dj;
                    if (ni < 0 || nj < 0 || ni >= side || nj >= side) continue;
                    float x0 = 4 + i * step, y0 = 4 + j * step, x1 = 4 + ni * step, y1 = 4 + nj * step;
                    if (PointPhysics.Inside(x1, y1, g.Pieces) || !PointVisibility.Visible(x0, y0, x1, y1, g.Pieces))
                        continue;
                    float nd = d + step * MathF.Sqrt(di * di + dj * dj);
                    if (nd < grid[nj * side + ni]) { grid[nj * side + ni] = nd; queue.Enqueue(nj * side + ni, nd); }
                }
            }
            var field = g.Towards(gx, gy);
            for (int k = 0; k < 300; k++)
            {
                int i = (int)Rng.Uniform(ref rng, 0, side), j = (int)Rng.Uniform(ref rng, 0, side);
                float x = 4 + i * step, y = 4 + j * step, onGrid = grid[j * side + i];
                if (!batch.IsFree(world, x, y, 0.01f)) continue;
                float exact = field.Distance(x, y);
                Assert.True(exact <= onGrid + 1e-3f, $"{g.Layout}: ({x}, {y}) exact {exact} > grid {onGrid}");
                Assert.True(onGrid <= 1.02f * exact + 1f, $"{g.Layout}: ({x}, {y}) exact {exact}, grid {onGrid}");
                worst = Math.Max(worst, (onGrid - exact) / Math.Max(1, exact));
            }
        }
        output.WriteLine($"grid longer than exact by at most {worst:P2}");
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    public void Given_a_goal_field_When_100k_points_are_queried_Then_the_time_is_reported(int cells)
    {
        // The oracle scores E × N × H states per replan (48 × 128 × 64 ≈ 400k): one field per episode goal.
        const int mazes = 20, queries = 5000;
        double sum = 0, corners = 0;
        var work = RandomMazes(cells, mazes).Select(m =>
        {
            int world = Array.IndexOf(m.Batch.Layouts, m.Geometry.Layout);
            ulong rng = (ulong)world + 9;
            var (gx, gy) = m.Batch.SampleFreePoint(world, ref rng, 2.6f);
            corners += m.Geometry.NodeX.Length;
            return (Field: m.Geometry.Towards(gx, gy),
                Points: Enumerable.Range(0, queries)
                    .Select(_ => m.Batch.SampleFreePoint(world, ref rng, 0.1f)).ToArray());
        }).ToArray();
        // Warm-up long enough for the JIT's optimised code, then the measured pass.
        for (int pass = 0; pass < 4; pass++)
            foreach (var (field, points) in work)
                foreach (var (x, y) in points) sum += field.Distance(x, y);
        var watch = Stopwatch.StartNew();
        foreach (var (field, points) in work)
            foreach (var (x, y) in points) sum += field.Distance(x, y);
        double seconds = watch.Elapsed.TotalSeconds;
        output.WriteLine($"{cells}×{cells} mazes: 100k geodesic queries in {seconds / (mazes * queries) * 1e8:F0} ms" +
            $" on one thread of {Environment.ProcessorCount} ({corners / mazes:F1} corners a maze on average)");
        Assert.True(sum > 0);
    }
}
