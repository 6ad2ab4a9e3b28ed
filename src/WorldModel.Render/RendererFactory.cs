using System.Diagnostics;
using WorldModel.Render.Cpu;
using WorldModel.Render.Gl;

namespace WorldModel.Render;

/// <summary>Creates the configured renderer; "auto" times both on a small batch and keeps the faster.</summary>
public static class RendererFactory
{
    public sealed record Choice(IRenderer Renderer, string Reason);

    public static Choice Create(RendererKind kind, FrameFormat format)
    {
        if (!format.Motion) return CreateStill(kind, format);
        var still = CreateStill(kind, format.Still);
        return still with { Renderer = new MotionRenderer(still.Renderer) };
    }

    private static Choice CreateStill(RendererKind kind, FrameFormat format) => kind switch
    {
        RendererKind.Cpu => new(new CpuRasterizer(format), "render.renderer = cpu"),
        RendererKind.Gl => new(new GlRenderer(format), "render.renderer = gl"),
        RendererKind.Auto => Auto(format),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown renderer"),
    };

    private static Choice Auto(FrameFormat format)
    {
        var cpu = new CpuRasterizer(format);
        GlRenderer gl;
        try { gl = new GlRenderer(format); }
        catch (GlUnavailableException e)
        {
            return new(cpu, $"auto: cpu, because OpenGL is unavailable ({FirstSentence(e.Message)})");
        }
        double cpuRate = FramesPerSecond(cpu, format), glRate = FramesPerSecond(gl, format);
        string rates = $"cpu {cpuRate / 1000:F0}k frames/s, {gl.Name} {glRate / 1000:F0}k frames/s " +
            "on a 256-frame batch";
        if (glRate > cpuRate) return new(gl, $"auto: gl is faster here ({rates})");
        gl.Dispose();
        return new(cpu, $"auto: cpu is faster here ({rates})");
    }

    private static string FirstSentence(string s)
    {
        int i = s.IndexOf(". ", StringComparison.Ordinal);
        return i < 0 ? s : s[..i];
    }

    /// <summary>Best of three timed renders of random-looking scenes (after one warm-up).</summary>
    public static double FramesPerSecond(IRenderer renderer, FrameFormat format, int batch = 256)
    {
        var scenes = new SceneBatch(batch);
        float s = format.Size / 64f;
        for (int i = 0; i < batch; i++)
        {
            scenes.SetRect(i, 0, 0, 4 * s, 0, 64 * s);
            scenes.SetRect(i, 1, 60 * s, 64 * s, 0, 64 * s);
            scenes.SetRect(i, 2, (31 + i % 3) * s, (33 + i % 3) * s, 4 * s, 40 * s);
            scenes.SetDisk(i, 0, (10 + i % 40) * s, (12 + i % 37) * s, 1.5f * s, ShapeKind.Agent);
        }
        var frames = new byte[batch * format.BytesPerFrame];
        renderer.Render(scenes, frames);
        double best = 0;
        for (int k = 0; k < 3; k++)
        {
            var sw = Stopwatch.StartNew();
            renderer.Render(scenes, frames);
            best = Math.Max(best, batch / sw.Elapsed.TotalSeconds);
        }
        return best;
    }
}
