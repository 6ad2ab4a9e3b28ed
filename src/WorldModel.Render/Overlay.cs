namespace WorldModel.Render;

/// <summary>
/// Markers drawn on RGB frames for people (previews, the demo): goals and targets. Never part of
/// model observations; the goal reaches planners as the observation of the goal state.
/// </summary>
public static class Overlay
{
    /// <summary>
    /// Draws an anti-aliased ring of the given radius (pixels) centred at (cx, cy) on one HWC RGB frame.
    /// </summary>
    public static void Ring(
        Span<byte> rgbFrame,
        int size,
        float cx,
        float cy,
        float radius,
        (byte R, byte G, byte B) colour,
        float width = 1f)
    {
        int i0 = Math.Max(0, (int)(cx - radius - width - 1)), i1 = Math.Min(size - 1, (int)(cx + radius + width + 1));
        int j0 = Math.Max(0, (int)(cy - radius - width - 1)), j1 = Math.Min(size - 1, (int)(cy + radius + width + 1));
        for (int j = j0; j <= j1; j++)
            for (int i = i0; i <= i1; i++)
            {
                float dx = i + 0.5f - cx, dy = j + 0.5f - cy;
                float d = MathF.Abs(MathF.Sqrt(dx * dx + dy * dy) - radius);
                float a = Math.Clamp(width / 2 + 0.5f - d, 0f, 1f);
                if (a <= 0) continue;
                var p = rgbFrame.Slice((j * size + i) * 3, 3);
                p[0] = (byte)(p[0] + (colour.R - p[0]) * a + 0.5f);
                p[1] = (byte)(p[1] + (colour.G - p[1]) * a + 0.5f);
                p[2] = (byte)(p[2] + (colour.B - p[2]) * a + 0.5f);
            }
    }
}
