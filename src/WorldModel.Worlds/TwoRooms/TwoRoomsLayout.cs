using WorldModel.Sim;
namespace WorldModel.Worlds.TwoRooms;

/// <summary>
/// One episode's wall: orientation, the wall's extent across its thickness [WallLow, WallHigh],
/// and the door's extent along it [DoorLow, DoorHigh]. Stored in datasets as 5 floats.
/// </summary>
public readonly record struct TwoRoomsLayout(
    WallOrientation Orientation,
    float WallLow,
    float WallHigh,
    float DoorLow,
    float DoorHigh)
{
    public const int Dim = 5;
    public static readonly string[] Names = ["horizontal", "wall_low", "wall_high", "door_low", "door_high"];

    public void WriteTo(Span<float> dst)
    {
        dst[0] = (float)Orientation;
        dst[1] = WallLow;
        dst[2] = WallHigh;
        dst[3] = DoorLow;
        dst[4] = DoorHigh;
    }

    public static TwoRoomsLayout ReadFrom(ReadOnlySpan<float> src) =>
        new(src[0] >= 0.5f ? WallOrientation.Horizontal : WallOrientation.Vertical, src[1], src[2], src[3], src[4]);

    public static TwoRoomsLayout Create(TwoRoomsLayoutConfig config, ref ulong rng, float borderLow, float borderHigh)
    {
        switch (config)
        {
            case FixedLayoutConfig f:
                return new(f.Orientation, f.WallPosition - f.WallThickness / 2, f.WallPosition + f.WallThickness / 2,
                    f.DoorStart, f.DoorEnd);
            case RandomLayoutConfig r:
                var orientation = Rng.Uniform(ref rng) < r.HorizontalProbability
                    ? WallOrientation.Horizontal
                    : WallOrientation.Vertical;
                float pos = Rng.Uniform(ref rng, r.WallPositionMin, r.WallPositionMax);
                float width = Rng.Uniform(ref rng, r.DoorWidthMin, r.DoorWidthMax);
                float start = Rng.Uniform(ref rng, borderLow, borderHigh - width);
                return new(orientation, pos - r.WallThickness / 2, pos + r.WallThickness / 2, start, start + width);
            default:
                throw new ArgumentOutOfRangeException(nameof(config), config.GetType().Name, "unknown layout");
        }
    }

    /// <summary>
    /// The two solid pieces of the wall in world (x, y) coordinates, each as (x0, x1, y0, y1); interiors are open.
    /// </summary>
    public void WallPieces(float borderLow, float borderHigh, Span<float> pieces)
    {
        // Along the wall: from beyond the border to the door, and from the door to beyond the border.
        float a0 = borderLow - 1, a1 = DoorLow, b0 = DoorHigh, b1 = borderHigh + 1;
        if (Orientation == WallOrientation.Vertical)
        {
            Set(pieces[..4], WallLow, WallHigh, a0, a1);
            Set(pieces[4..], WallLow, WallHigh, b0, b1);
        }
        else
        {
            Set(pieces[..4], a0, a1, WallLow, WallHigh);
            Set(pieces[4..], b0, b1, WallLow, WallHigh);
        }
        static void Set(Span<float> p, float x0, float x1, float y0, float y1)
        {
            p[0] = x0; p[1] = x1; p[2] = y0; p[3] = y1;
        }
    }

    /// <summary>Which room a point is in: 0 before the wall (left or top), 1 after it.</summary>
    public int Room(float x, float y)
    {
        float across = Orientation == WallOrientation.Vertical ? x : y;
        return across < (WallLow + WallHigh) / 2 ? 0 : 1;
    }
}
