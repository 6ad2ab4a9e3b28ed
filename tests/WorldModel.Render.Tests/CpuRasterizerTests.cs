using WorldModel.Render;
using WorldModel.Render.Cpu;

namespace WorldModel.Render.Tests;

public sealed class CpuRasterizerTests
{
    /// <summary>The definition, pixel by pixel over every slot: what the cached, bounding-box rasteriser
    /// must equal.</summary>
    private static byte[] Naive(SceneBatch scenes, FrameFormat format)
    {
        int n = format.Size, c = format.Channels;
        var frames = new byte[scenes.Count * format.BytesPerFrame];
        for (int w = 0; w < scenes.Count; w++)
        {
            var s = scenes.Shapes.AsSpan(w * SceneBatch.FloatsPerWorld, SceneBatch.FloatsPerWorld);
            for (int j = 0; j < n; j++)
                for (int i = 0; i < n; i++)
                {
                    float walls = 0, ball = 0, agent = 0;
                    for (int r = 0; r < SceneBatch.MaxRects; r++)
                        if (s[4 * r + 1] > s[4 * r] && s[4 * r + 3] > s[4 * r + 2])
                            walls += Shading.RectCoverage(i, j, s[4 * r], s[4 * r + 1], s[4 * r + 2], s[4 * r + 3]);
                    for (int d = SceneBatch.MaxRects; d < SceneBatch.SlotsPerWorld; d++)
                    {
                        if (s[4 * d + 2] <= 0) continue;
                        float cov = Shading.DiskCoverage(i, j, s[4 * d], s[4 * d + 1], s[4 * d + 2]);
                        if ((ShapeKind)(int)s[4 * d + 3] == ShapeKind.Ball) ball += cov; else agent += cov;
                    }
                    Shading.Shade(walls, ball, agent, format,
                        frames.AsSpan(w * format.BytesPerFrame + (j * n + i) * c, c));
                }
        }
        return frames;
    }

    [Theory]
    [InlineData(ObservationLayout.Rgb)]
    [InlineData(ObservationLayout.Channels)]
    public void Given_random_fractional_rectangles_and_overlapping_disks_Then_the_rasteriser_equals_the_per_pixel_definition(ObservationLayout layout)
    {
        var format = new FrameFormat(48, layout, [ShapeKind.Agent, ShapeKind.Ball, ShapeKind.Walls]);
        var scenes = new SceneBatch(300);
        var rng = new Random(1);
        float R(float lo, float hi) => lo + (hi - lo) * (float)rng.NextDouble();
        for (int w = 0; w < scenes.Count; w++)
        {
            // Every third scene repeats the previous walls, exercising the wall cache.
            int rects = w % 3 == 2 ? -1 : rng.Next(0, SceneBatch.MaxRects + 1);
            if (rects < 0) scenes.Shapes.AsSpan((w - 1) * SceneBatch.FloatsPerWorld, SceneBatch.MaxRects * 4)
                .CopyTo(scenes.Shapes.AsSpan(w * SceneBatch.FloatsPerWorld));
            for (int r = 0; r < rects; r++)
            {
                float x = R(-4, 50), y = R(-4, 50);
                scenes.SetRect(w, r, x, x + R(0, 20),
                    y, y + R(0, 20)); // may overlap, leave the frame, or be thinner than a pixel
            }
            scenes.SetDisk(w, 0, R(-2, 50), R(-2, 50), R(0.3f, 6), ShapeKind.Agent);
            if (w % 2 == 0) scenes.SetDisk(w, 1, R(-2, 50), R(-2, 50), R(0.3f, 6), ShapeKind.Ball);
        }
        var fast = new byte[scenes.Count * format.BytesPerFrame];
        using (var cpu = new CpuRasterizer(format)) cpu.Render(scenes, fast);
        Assert.Equal(Naive(scenes, format), fast);
    }
}
