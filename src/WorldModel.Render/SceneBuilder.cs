using WorldModel.Core.Config;
using WorldModel.Sim.Worlds;

namespace WorldModel.Render;

/// <summary>
/// Turns world states and layouts into shapes (pixel units), as each world draws itself
/// (<see cref="ISceneWorld"/>).
/// </summary>
public sealed class SceneBuilder
{
    private readonly WorldConfig _world;
    private readonly ISceneWorld _scene;
    private readonly RenderConfig _render;
    private readonly float _scale;

    public SceneBuilder(WorldConfig world, RenderConfig render)
    {
        _world = world;
        _scene = Of(world);
        _render = render;
        _scale = render.Size / WorldConfig.ArenaSize;
        if (render.Motion && !_scene.HasMotion)
            throw new ArgumentException(
                $"render.motion: world '{ConfigNames.Kind(world.GetType())}' has no velocities to show; " +
                "leave render.motion out (it is for worlds with momentum, such as push-ball)");
        Format = new FrameFormat(render.Size, render.Layout, _scene.ShapeKinds, render.Motion);
    }

    public FrameFormat Format { get; }
    public WorldSpec Spec => _world.Spec;

    public static ShapeKind[] KindsOf(WorldConfig world) => Of(world).ShapeKinds;

    private static ISceneWorld Of(WorldConfig world) => world as ISceneWorld
        ?? throw new ArgumentException(
            $"world '{ConfigNames.Kind(world.GetType())}' does not say how to draw itself; " +
            "its config must implement ISceneWorld");

    /// <summary>Fills scene <paramref name="index"/> from one state vector and one layout vector.</summary>
    public void Build(SceneBatch scenes, int index, ReadOnlySpan<float> state, ReadOnlySpan<float> layout)
    {
        scenes.Clear(index);
        _scene.Draw(new SceneDraw(scenes, index, _scale, _render), state, layout);
        if (!_render.Motion) return;
        var before = scenes.Before ??= new SceneBatch(scenes.Count);
        before.Clear(index);
        Span<float> rewound = stackalloc float[state.Length];
        _scene.Rewind(state, rewound);
        _scene.Draw(new SceneDraw(before, index, _scale, _render), rewound, layout);
    }

    /// <summary>Scenes for many (state, layout) pairs: states Count × StateDim, layouts Count × LayoutDim.</summary>
    public void BuildAll(SceneBatch scenes, ReadOnlySpan<float> states, ReadOnlySpan<float> layouts)
    {
        int sd = Spec.StateDim, ld = Spec.LayoutDim;
        for (int i = 0; i < scenes.Count; i++) Build(scenes, i, states.Slice(i * sd, sd), layouts.Slice(i * ld, ld));
    }

    /// <summary>
    /// Frames of <paramref name="count"/> (state, layout) pairs drawn by <paramref name="renderer"/> (HWC bytes,
    /// frame after frame).
    /// </summary>
    public byte[] Render(IRenderer renderer, ReadOnlySpan<float> states, ReadOnlySpan<float> layouts, int count)
    {
        var scenes = new SceneBatch(count);
        BuildAll(scenes, states, layouts);
        var frames = new byte[count * renderer.Format.BytesPerFrame];
        renderer.Render(scenes, frames);
        return frames;
    }
}
