using WorldModel.Core.Config;

namespace WorldModel.Render;

public enum RendererKind
{
    /// <summary>Whichever of gl and cpu is faster on this machine (measured once at start-up).</summary>
    Auto,
    /// <summary>Silk.NET OpenGL on an offscreen EGL context.</summary>
    Gl,
    /// <summary>The CPU rasteriser: the reference, and the fallback where no EGL exists.</summary>
    Cpu,
}

public enum ObservationLayout
{
    /// <summary>Three colour channels, for viewing.</summary>
    Rgb,
    /// <summary>One channel per kind of object (agent, walls, ball), for models.</summary>
    Channels,
}

/// <summary>How worlds become frames.</summary>
public sealed record RenderConfig
{
    public RendererKind Renderer { get; init; } = RendererKind.Auto;
    /// <summary>Frame side in pixels; the 64-unit arena is scaled to it.</summary>
    [Range(8, 512)] public int Size { get; init; } = 64;
    public ObservationLayout Layout { get; init; } = ObservationLayout.Channels;
    /// <summary>Drawn radius of Two-Rooms' point agent, in world units.</summary>
    [Range(0.5, 8)] public float PointRadius { get; init; } = 1.5f;
    /// <summary>
    /// Adds the frame one step before as more channels (each body where its velocity says it was a step ago):
    /// a single observation then shows which way and how fast things move, which one frame cannot (a ball
    /// rolling and a ball at rest look alike). Only for worlds whose states hold velocities (push-ball).
    /// </summary>
    [AddedKey] public bool Motion { get; init; }
}
