using System.Collections.Concurrent;
using System.Numerics;
using WorldModel.Render;
using WorldModel.Sim;

namespace WorldModel.Worlds.Maze;

/// <summary>
/// How layouts are drawn: a perfect maze (a spanning tree of the cell grid, by randomized Kruskal: edges in random
/// order, each opened when it joins two parts not yet connected), then <see cref="MazeConfig.ExtraOpenings"/> more
/// walls opened at random, making loops. The training layouts come from the layout seed; evaluation layouts from the
/// episodes' seed, skipping every training layout.
/// </summary>
public static class MazeLayouts
{
    /// <summary>Most wall rectangles a layout may need: a scene's rectangles less the border's four.</summary>
    public const int MaxWallRects = SceneBatch.MaxRects - 4;

    private static readonly ConcurrentDictionary<(int, int), int> Counts = new();

    /// <summary>
    /// One layout from <paramref name="rng"/>. A layout whose walls need more than <see cref="MaxWallRects"/>
    /// rectangles (only possible with 4 cells: a perfect 4×4 maze has 9 walls) is drawn again from the same stream,
    /// so the result stays a function of the stream.
    /// </summary>
    public static MazeLayout Draw(int cells, int extraOpenings, ref ulong rng)
    {
        while (true)
        {
            var layout = Carve(cells, extraOpenings, ref rng);
            if (MazeWalls.RectCount(layout) <= MaxWallRects) return layout;
        }
    }

    private static MazeLayout Carve(int cells, int extraOpenings, ref ulong rng)
    {
        var layout = MazeLayout.AllClosed(cells);
        int edges = layout.Edges;
        Span<int> order = stackalloc int[edges];
        for (int i = 0; i < edges; i++) order[i] = i;
        for (int i = edges - 1; i > 0; i--)
        {
            int j = (int)(Rng.Uniform(ref rng) * (i + 1));
            (order[i], order[j]) = (order[j], order[i]);
        }
        Span<int> parent = stackalloc int[cells * cells];
        for (int i = 0; i < parent.Length; i++) parent[i] = i;
        foreach (int e in order)
        {
            var (a, b) = layout.CellsOf(e);
            int ra = Root(parent, a), rb = Root(parent, b);
            if (ra == rb) continue;
            parent[ra] = rb;
            layout = layout.Open(e);
        }
        for (int extra = 0; extra < extraOpenings; extra++)
        {
            // The k-th of the walls still closed, k uniform.
            int walls = BitOperations.PopCount(layout.Closed), k = (int)(Rng.Uniform(ref rng) * walls);
            for (int e = 0; e < edges; e++)
                if (layout.IsClosed(e) && k-- == 0) { layout = layout.Open(e); break; }
        }
        return layout;
    }

    private static int Root(Span<int> parent, int i)
    {
        while (parent[i] != i) i = parent[i] = parent[parent[i]];
        return i;
    }

    /// <summary>
    /// The <see cref="MazeConfig.Layouts"/> distinct training layouts (none when it is 0: then every episode draws its
    /// own), in the order drawn from the layout seed.
    /// </summary>
    public static MazeLayout[] Training(MazeConfig world)
    {
        if (world.Layouts == 0) return [];
        ulong rng = Rng.Derive((ulong)world.LayoutSeed, 0, stream: 21);
        var seen = new HashSet<MazeLayout>();
        var layouts = new List<MazeLayout>();
        // Config validation leaves at least one layout over; drawing all but a few of 192 takes ~1,000 draws.
        for (int tries = 0; layouts.Count < world.Layouts; tries++)
        {
            if (tries > 1000 * world.Layouts + 10_000)
                throw new InvalidOperationException(
                    $"found only {layouts.Count} distinct layouts of the {world.Layouts} asked; a {world.Cells}×" +
                    $"{world.Cells} maze has {Count(world.Cells, world.ExtraOpenings)}: lower layouts");
            var layout = Draw(world.Cells, world.ExtraOpenings, ref rng);
            if (seen.Add(layout)) layouts.Add(layout);
        }
        return [.. layouts];
    }

    /// <summary>A layout from <paramref name="rng"/> that is none of <paramref name="training"/>.</summary>
    public static MazeLayout DrawUnseen(MazeConfig world, IReadOnlySet<MazeLayout> training, ref ulong rng)
    {
        for (int tries = 0; tries < 1_000_000; tries++)
        {
            var layout = Draw(world.Cells, world.ExtraOpenings, ref rng);
            if (!training.Contains(layout)) return layout;
        }
        throw new InvalidOperationException("every layout drawn was a training layout; lower layouts");
    }

    /// <summary>
    /// How many distinct layouts <see cref="Draw"/> can give: the connected maps with cells² − 1 + extra openings
    /// (for 3 cells and no extra openings, the 192 spanning trees of the 3×3 grid), counted by enumerating every map
    /// of up to 3 cells. A 4×4 grid has 100,352 perfect mazes alone, more than any allowed layouts: int.MaxValue.
    /// </summary>
    public static int Count(int cells, int extraOpenings)
    {
        if (cells > 3) return int.MaxValue;
        return Counts.GetOrAdd((cells, extraOpenings), static key =>
        {
            var (n, extra) = key;
            int edges = MazeLayout.EdgeCount(n), open = n * n - 1 + extra, count = 0;
            for (uint closed = 0; closed < 1u << edges; closed++)
                if (edges - BitOperations.PopCount(closed) == open && new MazeLayout(n, closed).Connected) count++;
            return count;
        });
    }
}
