using WorldModel.Sim;
using WorldModel.Sim.Worlds;
using WorldModel.Worlds.PointAgent;

namespace WorldModel.Worlds.TwoRooms;

/// <summary>Many Two-Rooms worlds: a wall with one door per world.</summary>
public sealed class TwoRoomsBatch : PointAgentBatch<TwoRoomsConfig>
{
    public static readonly WorldSpec WorldSpec = new("two-rooms", ["x", "y"], ["dx", "dy"], TwoRoomsLayout.Names);

    private readonly float[] _pieces; // 8 floats per world: two wall pieces

    public TwoRoomsBatch(TwoRoomsConfig config, int count) : base(config, count)
    {
        Layouts = new TwoRoomsLayout[count];
        _pieces = new float[count * 8];
        var defaultLayout =
            TwoRoomsLayout.Create(new FixedLayoutConfig(), ref Rngs[0], config.BorderLow, config.BorderHigh);
        for (int i = 0; i < count; i++) SetLayout(i, defaultLayout);
    }

    public override WorldSpec Spec => WorldSpec;
    public TwoRoomsLayout[] Layouts { get; }

    public override ReadOnlySpan<float> WallPieces(int world) => _pieces.AsSpan(world * 8, 8);

    public void SetLayout(int i, TwoRoomsLayout layout)
    {
        Layouts[i] = layout;
        layout.WallPieces(Config.BorderLow, Config.BorderHigh, _pieces.AsSpan(i * 8, 8));
    }

    public override void Reset(ReadOnlySpan<ulong> episodeSeeds)
    {
        if (episodeSeeds.Length != Count)
            throw new ArgumentException($"expected {Count} seeds, got {episodeSeeds.Length}");
        for (int i = 0; i < Count; i++)
        {
            Rngs[i] = Rng.Derive(episodeSeeds[i], 0, stream: 1);
            SetLayout(i, TwoRoomsLayout.Create(Config.Layout, ref Rngs[i], Config.BorderLow, Config.BorderHigh));
            (X[i], Y[i]) = SampleFreePoint(i, ref Rngs[i], Config.StartMargin);
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

    public override void CopyLayout(Span<float> destination)
    {
        for (int i = 0; i < Count; i++)
            Layouts[i].WriteTo(destination.Slice(i * TwoRoomsLayout.Dim, TwoRoomsLayout.Dim));
    }

    public override void Load(ReadOnlySpan<float> states, ReadOnlySpan<float> layouts)
    {
        for (int i = 0; i < Count; i++)
        {
            X[i] = states[2 * i];
            Y[i] = states[2 * i + 1];
            SetLayout(i, TwoRoomsLayout.ReadFrom(layouts.Slice(i * TwoRoomsLayout.Dim, TwoRoomsLayout.Dim)));
        }
    }
}
