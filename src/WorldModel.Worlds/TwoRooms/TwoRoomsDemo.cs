namespace WorldModel.Worlds.TwoRooms;

/// <summary>
/// What the browser demo needs of Two-Rooms: layouts to show, where the agent may stand, a first task.
/// </summary>
public sealed partial record TwoRoomsConfig : IDemoWorld
{
    public (float Low, float High) Arena => (BorderLow, BorderHigh);

    public bool TrainedOnOneLayout => Layout is FixedLayoutConfig;

    public float[] FirstLayout(ulong seed) => Values(TwoRoomsLayout.Create(Layout, ref seed, BorderLow, BorderHigh));

    public float[] OtherLayout(ref ulong rng) =>
        Values(TwoRoomsLayout.Create(
            Layout is FixedLayoutConfig ? new RandomLayoutConfig() : Layout, ref rng, BorderLow, BorderHigh));

    public bool IsFree(ReadOnlySpan<float> layout, float x, float y, float margin = 1f)
    {
        if (!float.IsFinite(x) || !float.IsFinite(y)) return false;
        if (x < BorderLow + margin || x > BorderHigh - margin || y < BorderLow + margin || y > BorderHigh - margin)
            return false;
        Span<float> pieces = stackalloc float[8];
        TwoRoomsLayout.ReadFrom(layout).WallPieces(BorderLow, BorderHigh, pieces);
        for (int k = 0; k < 2; k++)
        {
            var r = pieces.Slice(k * 4, 4);
            if (x > r[0] - margin && x < r[1] + margin && y > r[2] - margin && y < r[3] + margin) return false;
        }
        return true;
    }

    public (float X, float Y) SampleFreePoint(ReadOnlySpan<float> layout, ref ulong rng, float margin)
    {
        var batch = new TwoRoomsBatch(this, 1);
        batch.SetLayout(0, TwoRoomsLayout.ReadFrom(layout));
        return batch.SampleFreePoint(0, ref rng, margin);
    }

    public float[] Obstacles(ReadOnlySpan<float> layout)
    {
        var pieces = new float[8];
        TwoRoomsLayout.ReadFrom(layout).WallPieces(BorderLow, BorderHigh, pieces);
        return pieces;
    }

    /// <summary>Agent and goal about 8 px apart in the first room.</summary>
    public (float AgentX, float AgentY, float GoalX, float GoalY) FirstTask(ReadOnlySpan<float> layout)
    {
        var wall = TwoRoomsLayout.ReadFrom(layout);
        float lo = BorderLow, hi = BorderHigh, mid = (wall.WallLow + wall.WallHigh) / 2;
        float roomCentre = (lo + mid) / 2;
        // Within the reach of the small shipped models (the quickstart's JEPA solves most same-room
        // tasks of up to ~12 expert steps and fails across the wall).
        return wall.Orientation == WallOrientation.Vertical
            ? (roomCentre - 6, (lo + hi) / 2 + 10, roomCentre, (lo + hi) / 2 + 4)
            : ((lo + hi) / 2 + 10, roomCentre - 6, (lo + hi) / 2 + 4, roomCentre);
    }

    public float[] StateAt(float x, float y) => [x, y];

    public (float X, float Y) AgentAt(ReadOnlySpan<float> state) => (state[0], state[1]);

    private static float[] Values(TwoRoomsLayout layout)
    {
        var v = new float[TwoRoomsLayout.Dim];
        layout.WriteTo(v);
        return v;
    }
}
