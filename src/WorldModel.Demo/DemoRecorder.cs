using WorldModel.Worlds;
using WorldModel.Render;
using WorldModel.Render.Cpu;
using WorldModel.Report;

namespace WorldModel.Demo;

/// <summary>
/// `wm demo record`: one episode drawn with the page's overlays (planned path, sampled plans, path
/// taken, goal and, in two levels, the subgoals) into an animated GIF and a PNG strip, for slides.
/// </summary>
public static class DemoRecorder
{
    public static readonly (byte R, byte G, byte B) PlanColour = (255, 210, 63),
        CandidateColour = (127, 179, 255),
        TrailColour = (255, 138, 101),
        GoalColour = (24, 165, 88),
        SubgoalColour = (224, 64, 251);

    /// <summary>
    /// Runs the session's episode to its end and writes the GIF (and, when given, the strip). Returns the
    /// frames drawn.
    /// </summary>
    public static int Record(
        DemoSession session,
        string gifPath,
        string? stripPath,
        int stripFrames = 6,
        int maxSteps = DemoSession.Budget,
        CancellationToken cancel = default)
    {
        var scenes = new SceneBuilder(session.World, session.Models.Display);
        using var renderer = new CpuRasterizer(scenes.Format);
        var frames = new List<RgbImage>();
        session.RunBlocking(s => frames.Add(Draw(s, session.Models.Shown, scenes, renderer)), maxSteps, cancel);
        GifWriter.Write(gifPath, frames, delayCentiseconds: 8);
        if (stripPath is not null) PngWriter.Write(stripPath, Strip(frames, stripFrames));
        return frames.Count;
    }

    /// <summary>A snapshot as the page shows it: the rendered world with overlays.</summary>
    public static RgbImage Draw(DemoSnapshot s, IDemoWorld world, SceneBuilder scenes, IRenderer renderer)
    {
        int size = scenes.Format.Size;
        var image = new RgbImage(size, size,
            scenes.Render(renderer, world.StateAt(s.Agent[0], s.Agent[1]), s.Layout, 1));
        float k = size / 64f; // world units → pixels
        if (s.Explore is { } explore) Heatmap(image, explore, s.Arena[0], k);
        foreach (var c in s.Candidates) Polyline(image, c, k, CandidateColour, 1f, 0.35f);
        Polyline(image, s.Trail, k, TrailColour, 1.5f, 0.9f);
        Polyline(image, s.PlannedPath, k, PlanColour, 2.5f, 1f);
        Overlay.Ring(image.Pixels, size, s.Goal[0] * k, s.Goal[1] * k, s.SuccessRadius * k + 2, GoalColour, 2f);
        Subgoals(image, s, k);
        return image;
    }

    /// <summary>
    /// The high level's plan, as the page draws it: a dashed line from the agent through each subgoal, a diamond at
    /// each, the one the low level aims at filled, or a ring around the goal when it aims at the goal itself.
    /// </summary>
    private static void Subgoals(RgbImage image, DemoSnapshot s, float k)
    {
        if (s.Subgoals.Length < 2) return;
        float[] points = [s.Agent[0], s.Agent[1], .. s.Subgoals];
        for (int i = 0; i + 3 < points.Length; i += 2)
        {
            float x0 = points[i] * k, y0 = points[i + 1] * k, dx = points[i + 2] * k - x0, dy = points[i + 3] * k - y0;
            float length = MathF.Sqrt(dx * dx + dy * dy), dash = 4, gap = 3;
            for (float t = 0; t < length; t += dash + gap)
            {
                float a = t / length, b = MathF.Min(t + dash, length) / length;
                Segment(image, x0 + a * dx, y0 + a * dy, x0 + b * dx, y0 + b * dy, SubgoalColour, 1.5f, 0.9f);
            }
        }
        for (int i = 0; i + 1 < s.Subgoals.Length; i += 2)
            Diamond(image, s.Subgoals[i] * k, s.Subgoals[i + 1] * k, 5f, filled: i == 0 && !s.AimAtGoal);
        if (s.AimAtGoal)
            Overlay.Ring(image.Pixels, image.Width, s.Goal[0] * k, s.Goal[1] * k, s.SuccessRadius * k + 5,
                SubgoalColour, 1.5f);
    }

    /// <summary>A diamond of half-diagonal <paramref name="r"/> pixels: an outline, or filled.</summary>
    private static void Diamond(RgbImage image, float cx, float cy, float r, bool filled)
    {
        int i0 = Math.Max(0, (int)(cx - r - 2)), i1 = Math.Min(image.Width - 1, (int)(cx + r + 2));
        int j0 = Math.Max(0, (int)(cy - r - 2)), j1 = Math.Min(image.Height - 1, (int)(cy + r + 2));
        for (int j = j0; j <= j1; j++)
            for (int i = i0; i <= i1; i++)
            {
                float d = MathF.Abs(i + 0.5f - cx) + MathF.Abs(j + 0.5f - cy); // L1: the diamond's edge is d = r
                float a = filled ? Math.Clamp(r + 0.5f - d, 0f, 1f) : Math.Clamp(1.5f - MathF.Abs(d - r), 0f, 1f);
                Blend(image, i, j, SubgoalColour, a);
            }
    }

    private static void Polyline(
        RgbImage image,
        float[] points,
        float k,
        (byte R, byte G, byte B) colour,
        float width,
        float alpha)
    {
        for (int i = 0; i + 3 < points.Length; i += 2)
            Segment(image, points[i] * k, points[i + 1] * k, points[i + 2] * k, points[i + 3] * k,
                colour, width, alpha);
    }

    /// <summary>
    /// An anti-aliased thick segment: coverage from the distance of each pixel centre to the segment.
    /// </summary>
    private static void Segment(
        RgbImage image,
        float x0,
        float y0,
        float x1,
        float y1,
        (byte R, byte G, byte B) colour,
        float width,
        float alpha)
    {
        int w = image.Width, h = image.Height;
        float pad = width + 1;
        int i0 = Math.Max(0, (int)(MathF.Min(x0, x1) - pad)), i1 = Math.Min(w - 1, (int)(MathF.Max(x0, x1) + pad));
        int j0 = Math.Max(0, (int)(MathF.Min(y0, y1) - pad)), j1 = Math.Min(h - 1, (int)(MathF.Max(y0, y1) + pad));
        float dx = x1 - x0, dy = y1 - y0, len2 = dx * dx + dy * dy;
        for (int j = j0; j <= j1; j++)
            for (int i = i0; i <= i1; i++)
            {
                float px = i + 0.5f - x0, py = j + 0.5f - y0;
                float t = len2 > 0 ? Math.Clamp((px * dx + py * dy) / len2, 0f, 1f) : 0f;
                float ex = px - t * dx, ey = py - t * dy, off = MathF.Sqrt(ex * ex + ey * ey);
                Blend(image, i, j, colour, alpha * Math.Clamp(width / 2 + 0.5f - off, 0f, 1f));
            }
    }

    /// <summary>Explore mode's novelty as the page tints it: blue (familiar), green, yellow, red (new).</summary>
    private static void Heatmap(RgbImage image, ExploreView h, float low, float k)
    {
        for (int r = 0; r < h.Cells; r++)
            for (int c = 0; c < h.Cells; c++)
            {
                float v = h.Novelty[r * h.Cells + c];
                if (v < 0) continue;
                var colour = Hue((1 - v) * 240);
                int x0 = (int)((low + c * h.CellSize) * k), y0 = (int)((low + r * h.CellSize) * k);
                int x1 = (int)((low + (c + 1) * h.CellSize) * k), y1 = (int)((low + (r + 1) * h.CellSize) * k);
                for (int j = y0; j < Math.Min(y1, image.Height); j++)
                    for (int i = x0; i < Math.Min(x1, image.Width); i++) Blend(image, i, j, colour, 0.4f);
            }
    }

    /// <summary>The page's hsl(hue, 90%, 50%) in RGB, hue in degrees.</summary>
    private static (byte R, byte G, byte B) Hue(float hue)
    {
        byte Channel(float n)
        {
            float kk = (n + hue / 30) % 12;
            return (byte)(255 * (0.5f - 0.45f * Math.Max(-1, Math.Min(Math.Min(kk - 3, 9 - kk), 1))));
        }
        return (Channel(0), Channel(8), Channel(4));
    }

    /// <summary>Mixes <paramref name="colour"/> into pixel (i, j) with coverage <paramref name="a"/>, 0 to 1.</summary>
    private static void Blend(RgbImage image, int i, int j, (byte R, byte G, byte B) colour, float a)
    {
        if (a <= 0) return;
        int o = (j * image.Width + i) * 3;
        image.Pixels[o] = (byte)(image.Pixels[o] + (colour.R - image.Pixels[o]) * a + 0.5f);
        image.Pixels[o + 1] = (byte)(image.Pixels[o + 1] + (colour.G - image.Pixels[o + 1]) * a + 0.5f);
        image.Pixels[o + 2] = (byte)(image.Pixels[o + 2] + (colour.B - image.Pixels[o + 2]) * a + 0.5f);
    }

    /// <summary>Evenly spaced frames side by side (first and last included), 4 px apart.</summary>
    public static RgbImage Strip(IReadOnlyList<RgbImage> frames, int count)
    {
        count = Math.Clamp(count, 1, frames.Count);
        int size = frames[0].Width, gap = 4;
        var strip = new RgbImage(count * size + (count - 1) * gap, size);
        strip.Fill(255, 255, 255);
        for (int c = 0; c < count; c++)
        {
            var f = frames[count == 1 ? 0 : (int)Math.Round(c * (frames.Count - 1) / (double)(count - 1))];
            strip.Blit(f.Pixels, size, c * (size + gap), 0, 1);
        }
        return strip;
    }
}
