namespace WorldModel.Render;

/// <summary>
/// The shapes of many worlds, in pixel units, as a flat array the CPU rasteriser reads and the
/// GL renderer uploads unchanged. Each world has <see cref="SlotsPerWorld"/> slots of 4 floats:
/// <see cref="MaxRects"/> wall rectangles (x0, x1, y0, y1), then <see cref="MaxDisks"/> disks
/// (cx, cy, radius, kind). Empty rectangles have zero area; empty disks have a negative radius.
/// Twelve rectangles: the border's four and a maze's eight wall pieces. The GL renderer passes every slot as
/// one vertex attribute and one flat varying vec4, so <see cref="SlotsPerWorld"/> must stay within GL's
/// guaranteed limits (16 attributes, 64 varying floats): 14 slots are 14 attributes and 56 floats.
/// </summary>
public sealed class SceneBatch
{
    public const int MaxRects = 12, MaxDisks = 2, SlotsPerWorld = MaxRects + MaxDisks,
        FloatsPerWorld = SlotsPerWorld * 4;

    public SceneBatch(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        Count = count;
        Shapes = new float[count * FloatsPerWorld];
        for (int i = 0; i < count; i++) Clear(i);
    }

    public int Count { get; }
    public float[] Shapes { get; }

    /// <summary>
    /// The same worlds one step before, for frames with motion (<see cref="MotionRenderer"/>); null otherwise.
    /// <see cref="SceneBuilder"/> fills it when its render config asks for motion.
    /// </summary>
    public SceneBatch? Before { get; set; }

    public void Clear(int world)
    {
        var s = Shapes.AsSpan(world * FloatsPerWorld, FloatsPerWorld);
        s.Clear();
        for (int d = 0; d < MaxDisks; d++) s[(MaxRects + d) * 4 + 2] = -1f;
    }

    public void SetRect(int world, int slot, float x0, float x1, float y0, float y1)
    {
        if ((uint)slot >= MaxRects)
            throw new ArgumentOutOfRangeException(nameof(slot), slot, $"at most {MaxRects} rectangles per world");
        var s = Shapes.AsSpan(world * FloatsPerWorld + slot * 4, 4);
        s[0] = x0; s[1] = MathF.Max(x0, x1); s[2] = y0; s[3] = MathF.Max(y0, y1);
    }

    public void SetDisk(int world, int slot, float cx, float cy, float radius, ShapeKind kind)
    {
        if ((uint)slot >= MaxDisks)
            throw new ArgumentOutOfRangeException(nameof(slot), slot, $"at most {MaxDisks} disks per world");
        var s = Shapes.AsSpan(world * FloatsPerWorld + (MaxRects + slot) * 4, 4);
        s[0] = cx; s[1] = cy; s[2] = radius; s[3] = (float)kind;
    }
}
