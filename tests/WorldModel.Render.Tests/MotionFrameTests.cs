using WorldModel.Core.Config;
using WorldModel.Render;
using WorldModel.Render.Cpu;
using WorldModel.Worlds.PushBall;
using WorldModel.Worlds.TwoRooms;
using static WorldModel.Worlds.PushBall.PushBallBatch;

namespace WorldModel.Render.Tests;

/// <summary>render.motion: a frame and the frame a step before in one observation.</summary>
[Collection("gl")]
public sealed class MotionFrameTests
{
    private static readonly PushBallConfig World = new();
    private static readonly RenderConfig Motion = new() { Size = 32, Motion = true, Renderer = RendererKind.Cpu };

    // Agent at (20, 30) moving +2 px/step in x; ball at (40, 30) rolling −1.5 px/step in y.
    private static readonly float[] Moving = [20, 30, 2, 0, 40, 30, 0, -1.5f];

    private static byte[] Render(RenderConfig render, float[] state, RendererKind kind = RendererKind.Cpu)
    {
        var builder = new SceneBuilder(World, render);
        using var renderer = RendererFactory.Create(kind, builder.Format).Renderer;
        return builder.Render(renderer, state, [32, 32], 1);
    }

    /// <summary>Channel <paramref name="c"/> of an HWC frame of <paramref name="channels"/> channels.</summary>
    private static byte[] Channel(byte[] frame, int channels, int c) =>
        Enumerable.Range(0, frame.Length / channels).Select(p => frame[p * channels + c]).ToArray();

    [Fact]
    public void Given_a_moving_state_Then_the_frame_holds_it_now_and_a_step_before_where_its_velocity_says()
    {
        var still = Render(Motion with { Motion = false }, Moving);
        float[] rewound = [18, 30, 2, 0, 40, 31.5f, 0, -1.5f];
        var before = Render(Motion with { Motion = false }, rewound);
        var motion = Render(Motion, Moving);

        Assert.Equal(2 * still.Length, motion.Length);
        for (int c = 0; c < 3; c++)
        {
            Assert.Equal(Channel(still, 3, c), Channel(motion, 6, c));
            Assert.Equal(Channel(before, 3, c), Channel(motion, 6, 3 + c));
        }
        // The agent and ball channels differ between now and before: the frame shows motion.
        Assert.NotEqual(Channel(motion, 6, 0), Channel(motion, 6, 3));
        Assert.NotEqual(Channel(motion, 6, 1), Channel(motion, 6, 4));
        Assert.Equal(["agent", "ball", "walls", "agent before", "ball before", "walls before"],
            new SceneBuilder(World, Motion).Format.ChannelNames);
    }

    [Fact]
    public void Given_a_state_at_rest_Then_both_halves_of_the_motion_frame_are_the_same()
    {
        float[] rest = [20, 30, 0, 0, 40, 30, 0, 0];
        var motion = Render(Motion, rest);
        for (int c = 0; c < 3; c++) Assert.Equal(Channel(motion, 6, c), Channel(motion, 6, 3 + c));
    }

    [Fact]
    public void Given_motion_frames_Then_gl_and_cpu_agree_pixel_by_pixel()
    {
        var cpu = Render(Motion, Moving, RendererKind.Cpu);
        var gl = Render(Motion, Moving, RendererKind.Gl);
        Assert.Equal(cpu, gl);
    }

    [Fact]
    public void Given_a_world_without_velocities_When_motion_is_asked_Then_the_error_names_the_key_and_the_world()
    {
        var e = Assert.Throws<ArgumentException>(() => new SceneBuilder(new TwoRoomsConfig(), Motion));
        Assert.Contains("render.motion", e.Message);
        Assert.Contains("two-rooms", e.Message);
    }

    [Fact]
    public void Given_a_motion_format_Then_a_single_frame_renderer_refuses_it()
    {
        var format = new SceneBuilder(World, Motion).Format;
        Assert.Throws<ArgumentException>(() => new CpuRasterizer(format));
    }

    [Fact]
    public void Given_motion_left_at_its_default_Then_the_canonical_config_does_not_name_it()
    {
        // Configs and hashes written before the key existed stay valid.
        Assert.DoesNotContain("motion", ConfigLoader.ToJson(new RenderConfig()));
        Assert.Contains("\"motion\": true", ConfigLoader.ToJson(new RenderConfig { Motion = true }));
    }
}
