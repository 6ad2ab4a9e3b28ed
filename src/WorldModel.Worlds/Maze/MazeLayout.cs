using System.Numerics;

namespace WorldModel.Worlds.Maze;

/// <summary>
/// One maze: which edges between adjacent cells are closed (a wall) or open (the whole side open). Cells are numbered
/// row by row, cell (column c, row r) = r × Cells + c, rows growing with y. Edges are numbered first along the
/// interior vertical grid lines (line k = 1 … Cells − 1 at x = borderLow + k × cell, then row by row: the edge between
/// cells (k − 1, r) and (k, r) is (k − 1) × Cells + r), then along the interior horizontal lines (line k at
/// y = borderLow + k × cell, column by column: the edge between cells (c, k − 1) and (c, k) is
/// Cells × (Cells − 1) + (k − 1) × Cells + c). Stored in datasets as one float per edge in that order, 1 = closed,
/// 0 = open, named wall_x{k}_row{r} and wall_y{k}_col{c}.
/// </summary>
public readonly record struct MazeLayout(int Cells, uint Closed)
{
    /// <summary>Interior edges of a maze of <paramref name="cells"/> per side: 2 × cells × (cells − 1).</summary>
    public static int EdgeCount(int cells) => 2 * cells * (cells - 1);

    public int Edges => EdgeCount(Cells);

    /// <summary>Names of the layout entries, in edge order.</summary>
    public static string[] Names(int cells)
    {
        var names = new string[EdgeCount(cells)];
        for (int k = 1; k < cells; k++)
            for (int i = 0; i < cells; i++)
            {
                names[VerticalEdge(cells, k, i)] = $"wall_x{k}_row{i}";
                names[HorizontalEdge(cells, k, i)] = $"wall_y{k}_col{i}";
            }
        return names;
    }

    /// <summary>The edge on vertical line <paramref name="line"/> (1 … cells − 1) in <paramref name="row"/>.</summary>
    public static int VerticalEdge(int cells, int line, int row) => (line - 1) * cells + row;

    /// <summary>The edge on horizontal line <paramref name="line"/> (1 … cells − 1) at a column.</summary>
    public static int HorizontalEdge(int cells, int line, int column) =>
        cells * (cells - 1) + (line - 1) * cells + column;

    /// <summary>Every edge closed: the grid before a maze is carved.</summary>
    public static MazeLayout AllClosed(int cells) => new(cells, (uint)((1UL << EdgeCount(cells)) - 1));

    public bool IsClosed(int edge) => (Closed >> edge & 1) != 0;

    public MazeLayout Open(int edge) => this with { Closed = Closed & ~(1u << edge) };

    /// <summary>Open edges; a perfect maze (a spanning tree of the cells) has Cells² − 1.</summary>
    public int Openings => Edges - BitOperations.PopCount(Closed);

    /// <summary>The two cells an edge separates.</summary>
    public (int A, int B) CellsOf(int edge)
    {
        int n = Cells, half = n * (n - 1);
        if (edge < half)
        {
            int line = edge / n + 1, row = edge % n;
            return (row * n + line - 1, row * n + line);
        }
        int hline = (edge - half) / n + 1, column = (edge - half) % n;
        return ((hline - 1) * n + column, hline * n + column);
    }

    public void WriteTo(Span<float> destination)
    {
        for (int e = 0; e < Edges; e++) destination[e] = IsClosed(e) ? 1f : 0f;
    }

    /// <summary>Reads a stored layout (values ≥ 0.5 are closed).</summary>
    public static MazeLayout ReadFrom(int cells, ReadOnlySpan<float> source)
    {
        uint closed = 0;
        for (int e = 0; e < EdgeCount(cells); e++)
            if (source[e] >= 0.5f) closed |= 1u << e;
        return new(cells, closed);
    }

    /// <summary>Breadth-first cell distances from <paramref name="from"/> through open edges (-1: none).</summary>
    public int[] CellDistances(int from)
    {
        int n = Cells, count = n * n;
        var distance = new int[count];
        Array.Fill(distance, -1);
        var queue = new int[count];
        int head = 0, tail = 0;
        distance[from] = 0;
        queue[tail++] = from;
        while (head < tail)
        {
            int cell = queue[head++], c = cell % n, r = cell / n;
            // Right, left, down, up: the neighbour, and the edge between them.
            for (int side = 0; side < 4; side++)
            {
                var (exists, next, edge) = side switch
                {
                    0 => (c + 1 < n, cell + 1, c + 1 < n ? VerticalEdge(n, c + 1, r) : 0),
                    1 => (c > 0, cell - 1, VerticalEdge(n, c, r)),
                    2 => (r + 1 < n, cell + n, r + 1 < n ? HorizontalEdge(n, r + 1, c) : 0),
                    _ => (r > 0, cell - n, HorizontalEdge(n, r, c)),
                };
                if (!exists || IsClosed(edge) || distance[next] >= 0) continue;
                distance[next] = distance[cell] + 1;
                queue[tail++] = next;
            }
        }
        return distance;
    }

    /// <summary>Whether every cell can be reached from every other.</summary>
    public bool Connected => Array.TrueForAll(CellDistances(0), d => d >= 0);

    public override string ToString()
    {
        var self = this;
        var edges = string.Concat(Enumerable.Range(0, Edges).Select(e => self.IsClosed(e) ? '1' : '0'));
        return $"{Cells}×{Cells} maze, edges [{edges}]";
    }
}
