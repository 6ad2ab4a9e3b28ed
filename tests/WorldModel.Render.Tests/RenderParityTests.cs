using WorldModel.Render;
using WorldModel.Render.Cpu;
using WorldModel.Render.Gl;
using WorldModel.Sim;
using WorldModel.Sim.Policies;
using WorldModel.Worlds.Maze;
using WorldModel.Worlds.PushBall;
using WorldModel.Worlds.TwoRooms;
using WorldModel.Sim.Worlds;

namespace WorldModel.Render.Tests;

/// <summary>GL tests run on Mesa llvmpipe in CI; they are not skipped when GL is missing: they fail.</summary>
[Collection("gl")]
public sealed class RenderParityTests
{
    /// <summary>Random scenes of a world: a random-layout, random-policy rollout, sampled at many steps.</summary>
    private static (SceneBatch Scenes, SceneBuilder Builder) RandomScenes(WorldConfig world, RenderConfig render,
        int count)
    {
        var w = world.CreateBatch(count);
        var seeds = Enumerable.Range(0, count).Select(i => (ulong)i * 7919).ToArray();
        w.Reset(seeds);
        var policy = new UniformPolicyConfig().Create(w);
        policy.Reset(seeds);
        var a = new float[count * w.Spec.ActionDim];
        for (int t = 0; t < 5; t++) { policy.Act(a); w.Step(a); }
        var states = new float[count * w.Spec.StateDim];
        var layouts = new float[count * w.Spec.LayoutDim];
        w.CopyState(states);
        w.CopyLayout(layouts);
        var builder = new SceneBuilder(world, render);
        var scenes = new SceneBatch(count);
        builder.BuildAll(scenes, states, layouts);
        return (scenes, builder);
    }

    public static TheoryData<string, ObservationLayout, int> Cases() => new()
    {
        { "two-rooms-random", ObservationLayout.Rgb, 64 },
        { "two-rooms-random", ObservationLayout.Channels, 64 },
        { "two-rooms-fixed", ObservationLayout.Rgb, 96 },
        { "push-ball", ObservationLayout.Rgb, 64 },
        { "push-ball", ObservationLayout.Channels, 64 },
        { "maze", ObservationLayout.Rgb, 64 },
        { "maze", ObservationLayout.Channels, 64 },
        { "maze-4", ObservationLayout.Rgb, 96 }, // up to 8 wall rectangles: every scene slot in use
    };

    private static WorldConfig World(string name) => name switch
    {
        "two-rooms-random" => new TwoRoomsConfig { Layout = new RandomLayoutConfig() },
        "two-rooms-fixed" => new TwoRoomsConfig(),
        "maze" => new MazeConfig { Layouts = 0 },
        "maze-4" => new MazeConfig { Cells = 4, Layouts = 0 },
        _ => new PushBallConfig(),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Given_random_scenes_Then_gl_and_cpu_frames_agree_pixel_by_pixel(
        string world, ObservationLayout layout, int size)
    {
        // Tolerance: 0 differing values expected on IEEE float hardware (llvmpipe); allow none here.
        var (scenes, builder) = RandomScenes(World(world), new RenderConfig { Layout = layout, Size = size },
            2100); // GlRenderer.ChunkLayers at a time: both read-back slots reused, the last chunk short
        var cpuFrames = new byte[scenes.Count * builder.Format.BytesPerFrame];
        var glFrames = new byte[cpuFrames.Length];
        new CpuRasterizer(builder.Format).Render(scenes, cpuFrames);
        using (var gl = new GlRenderer(builder.Format)) gl.Render(scenes, glFrames);

        int differing = 0, maxDiff = 0, first = -1;
        for (int i = 0; i < cpuFrames.Length; i++)
        {
            int d = Math.Abs(cpuFrames[i] - glFrames[i]);
            if (d == 0) continue;
            differing++;
            maxDiff = Math.Max(maxDiff, d);
            if (first < 0) first = i;
        }
        Assert.True(differing == 0,
            $"{differing} of {cpuFrames.Length} values differ (max {maxDiff}); "
                + $"first at frame {first / Math.Max(1, builder.Format.BytesPerFrame)}");
        // Frames are not trivially equal: they show walls and an agent.
        Assert.Contains(cpuFrames, b => b > 200);
    }

    [Fact]
    public void Given_batches_of_changing_sizes_on_one_renderer_Then_every_frame_equals_the_cpu_rasteriser_s()
    {
        // Sizes around the chunk size, in an order that leaves the slots in different states between calls: a
        // read-back left over from one call must never reach the next call's frames.
        var world = World("two-rooms-random");
        var builder = new SceneBuilder(world, new RenderConfig());
        using var gl = new GlRenderer(builder.Format);
        var cpu = new CpuRasterizer(builder.Format);
        int bpf = builder.Format.BytesPerFrame;
        foreach (int count in new[] { GlRenderer.ChunkLayers + 1, 1, 2 * GlRenderer.ChunkLayers + 1,
            GlRenderer.ChunkLayers, 3 })
        {
            var (scenes, _) = RandomScenes(world, new RenderConfig(), count);
            var expected = new byte[count * bpf];
            var actual = new byte[count * bpf + 1]; // a longer buffer: its last byte stays untouched
            actual[^1] = 77;
            cpu.Render(scenes, expected);
            gl.Render(scenes, actual);
            Assert.True(expected.AsSpan().SequenceEqual(actual.AsSpan(0, expected.Length)),
                $"a batch of {count} differs from the CPU rasteriser's frames");
            Assert.Equal(77, actual[^1]);
        }
    }

    [Fact]
    public void Given_the_scene_slots_Then_they_fit_the_vertex_attributes_and_varyings_GL_guarantees()
    {
        // One vec4 attribute and one flat vec4 varying per slot: GL guarantees 16 attributes (NVIDIA's
        // GL_MAX_VERTEX_ATTRIBS) and 64 vertex output components, gl_Position's 4 among them.
        Assert.InRange(SceneBatch.SlotsPerWorld, 1, 16);
        Assert.InRange(4 * SceneBatch.SlotsPerWorld + 4, 1, 64);
    }

    [Fact]
    public void Given_a_maze_scene_Then_its_walls_fill_the_slots_after_the_border_and_show_where_edges_are_closed()
    {
        // Every wall of a 2×2 maze closed: a vertical wall x ∈ [31, 33] across the arena and a horizontal one
        // y ∈ [31, 33] either side of it.
        var world = new MazeConfig { Cells = 2, Layouts = 0 };
        var builder = new SceneBuilder(world, new RenderConfig { Layout = ObservationLayout.Channels });
        var scenes = new SceneBatch(1);
        builder.Build(scenes, 0, [14f, 14f], [1, 1, 1, 1]);
        Assert.Equal([31f, 33f, 4f, 60f, 4f, 31f, 31f, 33f, 33f, 60f, 31f, 33f],
            scenes.Shapes.AsSpan(4 * 4, 12).ToArray());
        var frame = new byte[builder.Format.BytesPerFrame];
        new CpuRasterizer(builder.Format).Render(scenes, frame);
        int Walls(int x, int y) => frame[(y * 64 + x) * 2 + 1];
        Assert.Equal(255, Walls(31, 10));
        Assert.Equal(255, Walls(10, 31));
        Assert.Equal(255, Walls(32, 32));
        Assert.Equal(0, Walls(20, 20));
    }

    [Fact]
    public void Given_a_sub_pixel_move_Then_the_frame_changes()
    {
        var format = new SceneBuilder(new TwoRoomsConfig(), new RenderConfig()).Format;
        var scenes = new SceneBatch(2);
        scenes.SetDisk(0, 0, 20.0f, 20.0f, 1.5f, ShapeKind.Agent);
        scenes.SetDisk(1, 0, 20.2f, 20.0f, 1.5f, ShapeKind.Agent);
        var frames = new byte[2 * format.BytesPerFrame];
        new CpuRasterizer(format).Render(scenes, frames);
        var a = frames.AsSpan(0, format.BytesPerFrame);
        var b = frames.AsSpan(format.BytesPerFrame, format.BytesPerFrame);
        Assert.False(a.SequenceEqual(b));
        // Anti-aliased: the agent has partially covered pixels, not only 0 and 255.
        Assert.Contains(a.ToArray(), v => v is > 10 and < 245);
    }

    [Fact]
    public void Given_the_channels_layout_Then_each_kind_is_in_its_own_channel()
    {
        var builder = new SceneBuilder(new TwoRoomsConfig(), new RenderConfig { Layout = ObservationLayout.Channels });
        Assert.Equal(["agent", "walls"], builder.Format.ChannelNames);
        var scenes = new SceneBatch(1);
        builder.Build(scenes, 0, [20f, 20f], [0, 31, 33, 6, 14]);
        var frame = new byte[builder.Format.BytesPerFrame];
        new CpuRasterizer(builder.Format).Render(scenes, frame);
        int Pixel(int x, int y, int c) => frame[(y * 64 + x) * 2 + c];
        Assert.Equal(255, Pixel(20, 20, 0)); // agent centre
        Assert.Equal(0, Pixel(20, 20, 1));
        Assert.Equal(255, Pixel(31, 30, 1)); // wall
        Assert.Equal(0, Pixel(32, 10, 1));   // door
        Assert.Equal(255, Pixel(1, 1, 1));   // border
        Assert.Equal(0, Pixel(10, 10, 0));
    }

    [Fact]
    public void Given_auto_Then_a_renderer_is_chosen_and_the_reason_names_both_rates()
    {
        var format = new SceneBuilder(new TwoRoomsConfig(), new RenderConfig()).Format;
        var choice = RendererFactory.Create(RendererKind.Auto, format);
        using var renderer = choice.Renderer;
        Assert.Contains("frames/s", choice.Reason);
        Assert.Contains(renderer.Name.Split(' ')[0], choice.Reason);
    }
}
