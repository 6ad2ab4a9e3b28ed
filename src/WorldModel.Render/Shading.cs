namespace WorldModel.Render;

/// <summary>
/// The one definition of how coverage becomes pixel values; the GL fragment shader repeats these
/// exact operations in the same order (marked precise), which is why GL and CPU frames agree.
/// Anti-aliasing: rectangles use exact area coverage; disks use a 1-pixel linear ramp of the
/// signed distance at the pixel centre. Coverages of one kind add up (shapes of a kind never overlap).
/// </summary>
public static class Shading
{
    // Colours (0..255) of the RGB layout, drawn back to front.
    public static readonly float[] Background = [18f, 18f, 26f];
    public static readonly float[] Wall = [150f, 150f, 165f];
    public static readonly float[] Ball = [70f, 160f, 255f];
    public static readonly float[] Agent = [255f, 90f, 60f];

    public static float RectCoverage(float px, float py, float x0, float x1, float y0, float y1)
    {
        float ox = Math.Clamp(MathF.Min(px + 1f, x1) - MathF.Max(px, x0), 0f, 1f);
        float oy = Math.Clamp(MathF.Min(py + 1f, y1) - MathF.Max(py, y0), 0f, 1f);
        return ox * oy;
    }

    public static float DiskCoverage(float px, float py, float cx, float cy, float r)
    {
        float dx = px + 0.5f - cx, dy = py + 0.5f - cy;
        float d = MathF.Sqrt(dx * dx + dy * dy);
        return Math.Clamp(r + 0.5f - d, 0f, 1f);
    }

    public static byte Quantize(float v255) => (byte)(v255 + 0.5f);

    /// <summary>Writes one pixel from per-kind coverages (each already summed, unclamped).</summary>
    public static void Shade(float walls, float ball, float agent, FrameFormat format, Span<byte> pixel)
    {
        walls = MathF.Min(walls, 1f); ball = MathF.Min(ball, 1f); agent = MathF.Min(agent, 1f);
        if (format.Layout == ObservationLayout.Rgb)
        {
            for (int c = 0; c < 3; c++)
            {
                float v = Background[c];
                v = v + (Wall[c] - v) * walls;
                v = v + (Ball[c] - v) * ball;
                v = v + (Agent[c] - v) * agent;
                pixel[c] = Quantize(v);
            }
            return;
        }
        for (int c = 0; c < format.Kinds.Length; c++)
        {
            float cov = format.Kinds[c] switch { ShapeKind.Agent => agent, ShapeKind.Walls => walls, _ => ball };
            pixel[c] = Quantize(cov * 255f);
        }
    }
}
