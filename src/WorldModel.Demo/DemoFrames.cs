using WorldModel.Render;

namespace WorldModel.Demo;

/// <summary>Model output as frames people can read.</summary>
public static class DemoFrames
{
    /// <summary>
    /// A decoded channels frame (C × S × S, values in [0, 1]: agent, walls, …) coloured like the
    /// renderer's RGB frames, so imagined and real frames can be compared by eye.
    /// </summary>
    public static byte[] ChannelsToRgb(ReadOnlySpan<float> chw, FrameFormat format)
    {
        int s = format.Size, plane = s * s;
        int agent = format.ChannelOf(ShapeKind.Agent), walls = format.ChannelOf(ShapeKind.Walls),
            ball = format.ChannelOf(ShapeKind.Ball);
        var rgbFormat = format with { Layout = ObservationLayout.Rgb };
        var rgb = new byte[plane * 3];
        for (int p = 0; p < plane; p++)
            Shading.Shade(Channel(chw, walls, p), Channel(chw, ball, p), Channel(chw, agent, p), rgbFormat,
                rgb.AsSpan(p * 3, 3));
        return rgb;

        float Channel(ReadOnlySpan<float> v, int c, int p) => c < 0 ? 0f : Math.Clamp(v[c * plane + p], 0f, 1f);
    }
}
