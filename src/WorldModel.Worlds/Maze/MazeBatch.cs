using WorldModel.Sim;
using WorldModel.Sim.Worlds;
using WorldModel.Worlds.PointAgent;

namespace WorldModel.Worlds.Maze;

/// <summary>Many maze worlds: a grid of cells with some of the walls between them open, per world.</summary>
public sealed class MazeBatch : PointAgentBatch<MazeConfig>
{
    /// <summary>Geometries kept for reuse (with a new layout per episode a cache would grow without end).</summary>
    private const int CacheLimit = 4096;

    private readonly MazeLayout[] _training;
    private readonly Dictionary<uint, MazeGeometry> _cache = [];
    private readonly MazeGeometry[] _geometry;

    public MazeBatch(MazeConfig config, int count) : base(config, count)
    {
        Spec = SpecOf(config.Cells);
        Layouts = new MazeLayout[count];
        _geometry = new MazeGeometry[count];
        _training = MazeLayouts.Training(config);
        // Until Reset or Load: the first training layout, or one drawn from seed 0.
        ulong rng = 0;
        var first = _training.Length > 0 ? _training[0] : MazeLayouts.Draw(config.Cells, config.ExtraOpenings, ref rng);
        for (int i = 0; i < count; i++) SetLayout(i, first);
    }

    /// <summary>The world's vectors; the layout has one entry per interior edge: its size depends on cells.</summary>
    public static WorldSpec SpecOf(int cells) => new("maze", ["x", "y"], ["dx", "dy"], MazeLayout.Names(cells));

    public override WorldSpec Spec { get; }
    public MazeLayout[] Layouts { get; }

    /// <summary>The layouts training episodes draw from (empty: a new layout per episode).</summary>
    public IReadOnlyList<MazeLayout> TrainingLayouts => _training;

    public MazeGeometry Geometry(int world) => _geometry[world];

    public override ReadOnlySpan<float> WallPieces(int world) => _geometry[world].Pieces;

    public void SetLayout(int world, MazeLayout layout)
    {
        if (layout.Cells != Config.Cells)
            throw new ArgumentException($"a {layout.Cells}-cell layout in a {Config.Cells}-cell maze world");
        Layouts[world] = layout;
        if (!_cache.TryGetValue(layout.Closed, out var geometry))
        {
            if (_cache.Count >= CacheLimit) _cache.Clear();
            geometry = new MazeGeometry(layout, Config.BorderLow, Config.BorderHigh, Config.WallThickness);
            _cache[layout.Closed] = geometry;
        }
        _geometry[world] = geometry;
    }

    public override void Reset(ReadOnlySpan<ulong> episodeSeeds)
    {
        if (episodeSeeds.Length != Count)
            throw new ArgumentException($"expected {Count} seeds, got {episodeSeeds.Length}");
        for (int i = 0; i < Count; i++)
        {
            ref ulong rng = ref Rngs[i];
            rng = Rng.Derive(episodeSeeds[i], 0, stream: 1);
            var layout = _training.Length > 0
                ? _training[Math.Min(_training.Length - 1, (int)(Rng.Uniform(ref rng) * _training.Length))]
                : MazeLayouts.Draw(Config.Cells, Config.ExtraOpenings, ref rng);
            SetLayout(i, layout);
            (X[i], Y[i]) = SampleFreePoint(i, ref rng, Config.StartMargin);
            Contact[i] = false;
        }
    }

    /// <summary>The cell (row × cells + column) a point is in; points on a boundary go to the cell after it.</summary>
    public int Cell(float x, float y) => CellOf(Config, x, y);

    /// <summary>The cell (row × cells + column) a point is in, in any world of <paramref name="config"/>.</summary>
    public static int CellOf(MazeConfig config, float x, float y)
    {
        int n = config.Cells;
        int c = Math.Clamp((int)MathF.Floor((x - config.BorderLow) / config.CellSize), 0, n - 1);
        int r = Math.Clamp((int)MathF.Floor((y - config.BorderLow) / config.CellSize), 0, n - 1);
        return r * n + c;
    }

    /// <summary>A uniform point at least <paramref name="margin"/> from every wall and the border.</summary>
    public (float X, float Y) SampleFreePoint(int world, ref ulong rng, float margin) =>
        SampleIn(world, ref rng, margin, Config.BorderLow, Config.BorderHigh, Config.BorderLow, Config.BorderHigh);

    /// <summary>
    /// A uniform point of <paramref name="cell"/> at least <paramref name="margin"/> from the walls and the border.
    /// </summary>
    public (float X, float Y) SampleFreePointInCell(int world, int cell, ref ulong rng, float margin)
    {
        float s = Config.CellSize, x0 = Config.BorderLow + cell % Config.Cells * s;
        float y0 = Config.BorderLow + cell / Config.Cells * s;
        return SampleIn(world, ref rng, margin, x0, x0 + s, y0, y0 + s);
    }

    private (float X, float Y) SampleIn(int world, ref ulong rng, float m, float x0, float x1, float y0, float y1)
    {
        x0 = MathF.Max(x0, Config.BorderLow + m);
        x1 = MathF.Min(x1, Config.BorderHigh - m);
        y0 = MathF.Max(y0, Config.BorderLow + m);
        y1 = MathF.Min(y1, Config.BorderHigh - m);
        for (int tries = 0; ; tries++)
        {
            float x = Rng.Uniform(ref rng, x0, x1), y = Rng.Uniform(ref rng, y0, y1);
            if (IsFree(world, x, y, m)) return (x, y);
            if (tries > 1000)
                throw new InvalidOperationException(
                    $"no point {m} px from the walls in [{x0}, {x1}] × [{y0}, {y1}] of {Layouts[world]}");
        }
    }

    /// <summary>Whether (x, y) is at least <paramref name="margin"/> from every wall and the border.</summary>
    public bool IsFree(int world, float x, float y, float margin)
    {
        if (x < Config.BorderLow + margin || x > Config.BorderHigh - margin
            || y < Config.BorderLow + margin || y > Config.BorderHigh - margin)
            return false;
        var pieces = WallPieces(world);
        for (int p = 0; p < pieces.Length; p += 4)
            if (x > pieces[p] - margin && x < pieces[p + 1] + margin
                && y > pieces[p + 2] - margin && y < pieces[p + 3] + margin)
                return false;
        return true;
    }

    public override void CopyLayout(Span<float> destination)
    {
        int d = Spec.LayoutDim;
        for (int i = 0; i < Count; i++) Layouts[i].WriteTo(destination.Slice(i * d, d));
    }

    public override void Load(ReadOnlySpan<float> states, ReadOnlySpan<float> layouts)
    {
        int d = Spec.LayoutDim;
        for (int i = 0; i < Count; i++)
        {
            X[i] = states[2 * i];
            Y[i] = states[2 * i + 1];
            SetLayout(i, MazeLayout.ReadFrom(Config.Cells, layouts.Slice(i * d, d)));
        }
    }
}
