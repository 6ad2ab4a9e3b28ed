using WorldModel.Sim.Worlds;

namespace WorldModel.Render;

/// <summary>
/// How a world's state and layout map to a scene: the world draws itself in world units and the
/// renderers know only shapes. Implemented by each world's config (WorldModel.Worlds).
/// </summary>
public interface ISceneWorld
{
    /// <summary>The shape kinds its frames show, one channel each in a channels layout.</summary>
    ShapeKind[] ShapeKinds { get; }

    /// <summary>Draws one (state, layout) pair; observations show the world only, no goal markers.</summary>
    void Draw(SceneDraw draw, ReadOnlySpan<float> state, ReadOnlySpan<float> layout);

    /// <summary>Rings (world units) drawn over frames for people only, never for models: Push-Ball's target.</summary>
    IReadOnlyList<(float X, float Y, float Radius)> Markers(ReadOnlySpan<float> layout) => [];

    /// <summary>Whether states hold velocities, so frames can show motion (render.motion).</summary>
    bool HasMotion => false;

    /// <summary>
    /// The state one step before, as far as drawing goes: each body moved back by its velocity (render.motion).
    /// </summary>
    void Rewind(ReadOnlySpan<float> state, Span<float> before) =>
        throw new NotSupportedException("this world's states hold no velocities");
}

/// <summary>Draws shapes of one scene in world units, scaled to the frame.</summary>
public readonly ref struct SceneDraw(SceneBatch scenes, int index, float scale, RenderConfig render)
{
    public RenderConfig Render => render;

    public void Rect(int slot, float x0, float x1, float y0, float y1) =>
        scenes.SetRect(index, slot, x0 * scale, x1 * scale, y0 * scale, y1 * scale);

    public void Disk(int slot, float x, float y, float radius, ShapeKind kind) =>
        scenes.SetDisk(index, slot, x * scale, y * scale, radius * scale, kind);

    /// <summary>
    /// Everything outside [lo, hi]² is wall: four non-overlapping rectangles in slots 0–3; returns the next free
    /// slot.
    /// </summary>
    public int Border(float lo, float hi)
    {
        float s = scale, full = WorldConfig.ArenaSize * s;
        scenes.SetRect(index, 0, 0, lo * s, 0, full);
        scenes.SetRect(index, 1, hi * s, full, 0, full);
        scenes.SetRect(index, 2, lo * s, hi * s, 0, lo * s);
        scenes.SetRect(index, 3, lo * s, hi * s, hi * s, full);
        return 4;
    }
}
