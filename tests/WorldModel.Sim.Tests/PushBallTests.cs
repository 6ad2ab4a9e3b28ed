using WorldModel.Sim;
using WorldModel.Worlds.PushBall;

namespace WorldModel.Sim.Tests;

public sealed class PushBallTests
{
    private static float Momentum(float[] s, PushBallConfig c, int axis) =>
        c.AgentMass * s[2 + axis] + c.BallMass * s[6 + axis];
    private static float Energy(float[] s, PushBallConfig c) =>
        0.5f * c.AgentMass * (s[2] * s[2] + s[3] * s[3]) + 0.5f * c.BallMass * (s[6] * s[6] + s[7] * s[7]);

    [Fact]
    public void Given_a_frictionless_head_on_push_Then_momentum_is_conserved_and_energy_does_not_grow()
    {
        var c = new PushBallConfig { Friction = 0, BallRestitution = 0.9f };
        var w = new PushBallBatch(c, 1);
        float[] s0 = [20, 32, 1.5f, 0.2f, 27, 32.5f, 0, 0];
        w.Load(s0, [50, 50]);
        float p0x = Momentum(s0, c, 0), p0y = Momentum(s0, c, 1), e0 = Energy(s0, c);
        for (int t = 0; t < 6; t++) w.Step(new float[2]);
        var s = w.State;
        Assert.True(s[6] > 1f, "the ball must have been pushed");
        Assert.Equal(p0x, Momentum(s, c, 0), 3);
        Assert.Equal(p0y, Momentum(s, c, 1), 3);
        Assert.True(Energy(s, c) <= e0 + 1e-4f);
        Assert.True(Energy(s, c) < e0, "restitution < 1 must lose some energy");
    }

    [Fact]
    public void Given_elastic_contact_Then_kinetic_energy_is_kept()
    {
        var c = new PushBallConfig { Friction = 0, BallRestitution = 1f };
        var w = new PushBallBatch(c, 1);
        float[] s0 = [20, 32, 1.5f, 0, 27, 32, 0, 0];
        w.Load(s0, [50, 50]);
        float e0 = Energy(s0, c);
        for (int t = 0; t < 5; t++) w.Step(new float[2]);
        Assert.Equal(e0, Energy(w.State, c), 3);
    }

    [Fact]
    public void Given_friction_and_no_actions_Then_the_ball_slows_down_monotonically()
    {
        var c = new PushBallConfig { Friction = 0.1f };
        var w = new PushBallBatch(c, 1);
        w.Load([10, 10, 0, 0, 32, 32, 1.5f, 0.3f], [50, 50]);
        float prev = float.MaxValue;
        for (int t = 0; t < 30; t++)
        {
            w.Step(new float[2]);
            float speed = MathF.Sqrt(w.State[6] * w.State[6] + w.State[7] * w.State[7]);
            Assert.True(speed <= prev + 1e-6f);
            prev = speed;
        }
        Assert.True(prev < 0.1f);
    }

    [Fact]
    public void Given_maximum_speed_pushes_towards_a_wall_Then_neither_disk_ever_leaves_the_arena()
    {
        var c = new PushBallConfig { Friction = 0, WallRestitution = 1 };
        const int n = 500;
        var w = new PushBallBatch(c, n);
        w.Reset(Enumerable.Range(0, n).Select(i => (ulong)i).ToArray());
        ulong rng = 3;
        var a = new float[2 * n];
        for (int t = 0; t < 300; t++)
        {
            for (int i = 0; i < 2 * n; i++) a[i] = Rng.Uniform(ref rng, -1, 1) * 2;
            w.Step(a);
            for (int i = 0; i < n; i++)
            {
                var s = w.State.AsSpan(i * 8, 8);
                Assert.InRange(s[0], c.BorderLow + c.AgentRadius - 1e-3f, c.BorderHigh - c.AgentRadius + 1e-3f);
                Assert.InRange(s[4], c.BorderLow + c.BallRadius - 1e-3f, c.BorderHigh - c.BallRadius + 1e-3f);
                Assert.InRange(s[5], c.BorderLow + c.BallRadius - 1e-3f, c.BorderHigh - c.BallRadius + 1e-3f);
                Assert.True(MathF.Sqrt(s[2] * s[2] + s[3] * s[3]) <= c.MaxSpeed + 1e-4f);
            }
        }
    }

    [Fact]
    public void Given_a_fast_agent_Then_it_cannot_pass_through_the_ball()
    {
        var c = new PushBallConfig { Friction = 0, MaxSpeed = 8, MaxAccel = 8 };
        var w = new PushBallBatch(c, 1);
        w.Load([10, 32, 8, 0, 20, 32, 0, 0], [50, 50]);
        for (int t = 0; t < 3; t++) w.Step(new float[2]);
        Assert.True(w.State[0] < w.State[4], "the agent ended on the far side of the ball");
    }

    [Fact]
    public void Given_the_same_seeds_Then_push_ball_is_deterministic()
    {
        float[] Run()
        {
            var w = new PushBallBatch(new PushBallConfig(), 3000);
            w.Reset(Enumerable.Range(0, 3000).Select(i => (ulong)i * 17).ToArray());
            var a = new float[6000];
            for (int t = 0; t < 20; t++)
            {
                for (int i = 0; i < 6000; i++)
                {
                    ulong r = Rng.Derive(5, (ulong)i, (ulong)t);
                    a[i] = Rng.Uniform(ref r, -1, 1);
                }
                w.Step(a);
            }
            return w.State.ToArray();
        }
        Assert.Equal(Run(), Run());
    }
}
