using WorldModel.Render;
using WorldModel.Worlds.TwoRooms;

namespace WorldModel.Demo;

/// <summary>Model output as frames people can read, and where the agent may stand.</summary>
public static class DemoFrames
{
    /// <summary>
    /// A decoded channels frame (C × S × S, values in [0, 1]: agent, walls, …) coloured like the
    /// renderer's RGB frames, so imagined and real frames can be compared by eye.
    /// </summary>
    public static byte[] ChannelsToRgb(ReadOnlySpan<float> chw, FrameFormat format)
    {
        int s = format.Size, plane = s * s;
        int agent = format.ChannelOf(ShapeKind.Agent), walls = format.ChannelOf(ShapeKind.Walls), ball = format.ChannelOf(ShapeKind.Ball);
        var rgbFormat = format with { Layout = ObservationLayout.Rgb };
        var rgb = new byte[plane * 3];
        for (int p = 0; p < plane; p++)
            Shading.Shade(Channel(chw, walls, p), Channel(chw, ball, p), Channel(chw, agent, p), rgbFormat, rgb.AsSpan(p * 3, 3));
        return rgb;

        float Channel(ReadOnlySpan<float> v, int c, int p) => c < 0 ? 0f : Math.Clamp(v[c * plane + p], 0f, 1f);
    }

    /// <summary>Whether the agent may stand at (x, y): inside the arena and clear of the wall by <paramref name="margin"/>.</summary>
    public static bool IsFree(TwoRoomsConfig world, TwoRoomsLayout layout, float x, float y, float margin = 1f)
    {
        if (!float.IsFinite(x) || !float.IsFinite(y)) return false;
        if (x < world.BorderLow + margin || x > world.BorderHigh - margin || y < world.BorderLow + margin || y > world.BorderHigh - margin) return false;
        Span<float> pieces = stackalloc float[8];
        layout.WallPieces(world.BorderLow, world.BorderHigh, pieces);
        for (int k = 0; k < 2; k++)
        {
            var r = pieces.Slice(k * 4, 4);
            if (x > r[0] - margin && x < r[1] + margin && y > r[2] - margin && y < r[3] + margin) return false;
        }
        return true;
    }
}
