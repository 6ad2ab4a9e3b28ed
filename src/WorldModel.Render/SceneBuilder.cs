using WorldModel.Sim.PushBall;
using WorldModel.Sim.TwoRooms;
using WorldModel.Sim.Worlds;

namespace WorldModel.Render;

/// <summary>Turns world states and layouts into shapes (pixel units). Observations show the world only: no goal markers.</summary>
public sealed class SceneBuilder
{
    private readonly WorldConfig _world;
    private readonly RenderConfig _render;
    private readonly float _scale;

    public SceneBuilder(WorldConfig world, RenderConfig render)
    {
        _world = world;
        _render = render;
        _scale = render.Size / WorldConfig.ArenaSize;
        Format = new FrameFormat(render.Size, render.Layout, KindsOf(world));
    }

    public FrameFormat Format { get; }
    public WorldSpec Spec => WorldConfig.SpecOf(_world);

    public static ShapeKind[] KindsOf(WorldConfig world) => world switch
    {
        TwoRoomsConfig => [ShapeKind.Agent, ShapeKind.Walls],
        PushBallConfig => [ShapeKind.Agent, ShapeKind.Ball, ShapeKind.Walls],
        _ => throw new ArgumentOutOfRangeException(nameof(world), world.GetType().Name, "unknown world"),
    };

    /// <summary>Fills scene <paramref name="index"/> from one state vector and one layout vector.</summary>
    public void Build(SceneBatch scenes, int index, ReadOnlySpan<float> state, ReadOnlySpan<float> layout)
    {
        scenes.Clear(index);
        float s = _scale;
        switch (_world)
        {
            case TwoRoomsConfig c:
            {
                int slot = Border(scenes, index, c.BorderLow, c.BorderHigh);
                Span<float> pieces = stackalloc float[8];
                TwoRoomsLayout.ReadFrom(layout).WallPieces(c.BorderLow, c.BorderHigh, pieces);
                for (int p = 0; p < 8; p += 4)
                {
                    // Clip to the inside of the border so that no two wall rectangles overlap.
                    float x0 = Math.Max(pieces[p], c.BorderLow), x1 = Math.Min(pieces[p + 1], c.BorderHigh);
                    float y0 = Math.Max(pieces[p + 2], c.BorderLow), y1 = Math.Min(pieces[p + 3], c.BorderHigh);
                    scenes.SetRect(index, slot++, x0 * s, x1 * s, y0 * s, y1 * s);
                }
                scenes.SetDisk(index, 0, state[0] * s, state[1] * s, _render.PointRadius * s, ShapeKind.Agent);
                break;
            }
            case PushBallConfig c:
                Border(scenes, index, c.BorderLow, c.BorderHigh);
                scenes.SetDisk(index, 0, state[4] * s, state[5] * s, c.BallRadius * s, ShapeKind.Ball);
                scenes.SetDisk(index, 1, state[0] * s, state[1] * s, c.AgentRadius * s, ShapeKind.Agent);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(_world), _world.GetType().Name, "unknown world");
        }
    }

    /// <summary>Everything outside [lo, hi]² is wall: four non-overlapping rectangles.</summary>
    private int Border(SceneBatch scenes, int index, float lo, float hi)
    {
        float s = _scale, full = WorldConfig.ArenaSize * s;
        scenes.SetRect(index, 0, 0, lo * s, 0, full);
        scenes.SetRect(index, 1, hi * s, full, 0, full);
        scenes.SetRect(index, 2, lo * s, hi * s, 0, lo * s);
        scenes.SetRect(index, 3, lo * s, hi * s, hi * s, full);
        return 4;
    }

    /// <summary>Scenes for many (state, layout) pairs: states Count × StateDim, layouts Count × LayoutDim.</summary>
    public void BuildAll(SceneBatch scenes, ReadOnlySpan<float> states, ReadOnlySpan<float> layouts)
    {
        int sd = Spec.StateDim, ld = Spec.LayoutDim;
        for (int i = 0; i < scenes.Count; i++) Build(scenes, i, states.Slice(i * sd, sd), layouts.Slice(i * ld, ld));
    }

    /// <summary>Frames of <paramref name="count"/> (state, layout) pairs drawn by <paramref name="renderer"/> (HWC bytes, frame after frame).</summary>
    public byte[] Render(IRenderer renderer, ReadOnlySpan<float> states, ReadOnlySpan<float> layouts, int count)
    {
        var scenes = new SceneBatch(count);
        BuildAll(scenes, states, layouts);
        var frames = new byte[count * renderer.Format.BytesPerFrame];
        renderer.Render(scenes, frames);
        return frames;
    }
}
