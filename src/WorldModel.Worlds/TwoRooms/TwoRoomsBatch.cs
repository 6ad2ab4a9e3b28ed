using WorldModel.Sim;
using WorldModel.Sim.Worlds;
using WorldModel.Worlds.PointAgent;

namespace WorldModel.Worlds.TwoRooms;

/// <summary>Many Two-Rooms worlds on struct-of-arrays state, stepped in parallel for large batches.</summary>
public sealed class TwoRoomsBatch : IWorldBatch
{
    public static readonly WorldSpec WorldSpec = new("two-rooms", ["x", "y"], ["dx", "dy"], TwoRoomsLayout.Names);
    private const int ParallelThreshold = 4096;

    private readonly float[] _pieces; // 8 floats per world: two wall pieces
    private readonly ulong[] _rng;

    public TwoRoomsBatch(TwoRoomsConfig config, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        Config = config;
        Count = count;
        X = new float[count];
        Y = new float[count];
        Layouts = new TwoRoomsLayout[count];
        Contact = new bool[count];
        _pieces = new float[count * 8];
        _rng = new ulong[count];
        var defaultLayout =
            TwoRoomsLayout.Create(new FixedLayoutConfig(), ref _rng[0], config.BorderLow, config.BorderHigh);
        for (int i = 0; i < count; i++) SetLayout(i, defaultLayout);
    }

    public TwoRoomsConfig Config { get; }
    public int Count { get; }
    public WorldSpec Spec => WorldSpec;
    public float ActionLimit => Config.MaxStep;
    public (float X, float Y) SuccessPoint(int world) => (X[world], Y[world]);
    public float[] X { get; }
    public float[] Y { get; }
    public TwoRoomsLayout[] Layouts { get; }
    /// <summary>Whether each world's last step ended in a contact.</summary>
    public bool[] Contact { get; }

    public ReadOnlySpan<float> WallPieces(int i) => _pieces.AsSpan(i * 8, 8);

    public void SetLayout(int i, TwoRoomsLayout layout)
    {
        Layouts[i] = layout;
        layout.WallPieces(Config.BorderLow, Config.BorderHigh, _pieces.AsSpan(i * 8, 8));
    }

    public void Reset(ReadOnlySpan<ulong> episodeSeeds)
    {
        if (episodeSeeds.Length != Count)
            throw new ArgumentException($"expected {Count} seeds, got {episodeSeeds.Length}");
        for (int i = 0; i < Count; i++)
        {
            _rng[i] = Rng.Derive(episodeSeeds[i], 0, stream: 1);
            SetLayout(i, TwoRoomsLayout.Create(Config.Layout, ref _rng[i], Config.BorderLow, Config.BorderHigh));
            (X[i], Y[i]) = SampleFreePoint(i, ref _rng[i], Config.StartMargin);
            Contact[i] = false;
        }
    }

    /// <summary>A uniform point at least <paramref name="margin"/> from every wall and border.</summary>
    public (float X, float Y) SampleFreePoint(int world, ref ulong rng, float margin)
    {
        var pieces = WallPieces(world);
        float lo = Config.BorderLow + margin, hi = Config.BorderHigh - margin;
        for (int tries = 0; ; tries++)
        {
            float x = Rng.Uniform(ref rng, lo, hi), y = Rng.Uniform(ref rng, lo, hi);
            if (!NearWall(x, y, pieces, margin) || tries > 1000) return (x, y);
        }
    }

    /// <summary>A uniform free point in the given room (0 before the wall, 1 after).</summary>
    public (float X, float Y) SampleFreePointInRoom(int world, int room, ref ulong rng, float margin)
    {
        for (int tries = 0; ; tries++)
        {
            var p = SampleFreePoint(world, ref rng, margin);
            if (Layouts[world].Room(p.X, p.Y) == room || tries > 1000) return p;
        }
    }

    /// <summary>Whether (x, y) is at least <paramref name="margin"/> from every wall and border.</summary>
    public bool IsFree(int world, float x, float y, float margin) =>
        x >= Config.BorderLow + margin && x <= Config.BorderHigh - margin
        && y >= Config.BorderLow + margin && y <= Config.BorderHigh - margin
        && !NearWall(x, y, WallPieces(world), margin);

    private static bool NearWall(float x, float y, ReadOnlySpan<float> pieces, float m)
    {
        for (int p = 0; p < pieces.Length; p += 4)
            if (x > pieces[p] - m && x < pieces[p + 1] + m && y > pieces[p + 2] - m && y < pieces[p + 3] + m)
                return true;
        return false;
    }

    public void Step(Span<float> actions)
    {
        if (actions.Length != Count * 2)
            throw new ArgumentException($"expected {Count * 2} action values (Count × 2), got {actions.Length}");
        ParallelStep.Run(actions, Count, ParallelThreshold, StepRange);
    }

    private void StepRange(Span<float> actions, int from, int to)
    {
        float max = Config.MaxStep, noise = Config.ContactNoise, lo = Config.BorderLow, hi = Config.BorderHigh;
        var rule = Config.ContactRule;
        for (int i = from; i < to; i++)
        {
            var (dx, dy) = PointPhysics.ClipAction(actions, i, max);
            Contact[i] = PointPhysics.Step(
                ref X[i], ref Y[i], dx, dy, _pieces.AsSpan(i * 8, 8), lo, hi, rule, noise, ref _rng[i]);
        }
    }

    public void CopyState(Span<float> destination)
    {
        for (int i = 0; i < Count; i++) { destination[2 * i] = X[i]; destination[2 * i + 1] = Y[i]; }
    }

    public void CopyLayout(Span<float> destination)
    {
        for (int i = 0; i < Count; i++)
            Layouts[i].WriteTo(destination.Slice(i * TwoRoomsLayout.Dim, TwoRoomsLayout.Dim));
    }

    public void Load(ReadOnlySpan<float> states, ReadOnlySpan<float> layouts)
    {
        for (int i = 0; i < Count; i++)
        {
            X[i] = states[2 * i];
            Y[i] = states[2 * i + 1];
            SetLayout(i, TwoRoomsLayout.ReadFrom(layouts.Slice(i * TwoRoomsLayout.Dim, TwoRoomsLayout.Dim)));
        }
    }
}
