using WorldModel.Sim;
using WorldModel.Sim.Worlds;

namespace WorldModel.Worlds.PushBall;

/// <summary>
/// Many Push-Ball worlds. Per step: the action accelerates the agent, then <see cref="PushBallConfig.Substeps"/>
/// substeps integrate both disks, resolve the agent–ball contact (impulse with restitution, momentum
/// conserved), then the walls (reflection with restitution). Walls are resolved last, so nothing ever
/// leaves the arena.
/// </summary>
public sealed class PushBallBatch : IWorldBatch
{
    public static readonly WorldSpec WorldSpec = new("push-ball",
        ["agent_x", "agent_y", "agent_vx", "agent_vy", "ball_x", "ball_y", "ball_vx", "ball_vy"],
        ["ax", "ay"], ["target_x", "target_y"]);
    public const int StateDim = 8;
    /// <summary>
    /// Where each quantity sits in a state vector (see <see cref="WorldSpec"/>): read states by these names, not
    /// by number.
    /// </summary>
    public const int AgentX = 0, AgentY = 1, AgentVx = 2, AgentVy = 3, BallX = 4, BallY = 5, BallVx = 6, BallVy = 7;
    /// <summary>
    /// Ball speed (px per step) at or below which the ball counts as stopped, for success: with the
    /// default friction (0.15) it then coasts at most ~1.1 px further.
    /// </summary>
    public const float SettledSpeed = 0.2f;
    private const int ParallelThreshold = 2048;

    private readonly ulong[] _rng;

    public PushBallBatch(PushBallConfig config, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        Config = config;
        Count = count;
        State = new float[count * StateDim];
        Target = new float[count * 2];
        _rng = new ulong[count];
    }

    public PushBallConfig Config { get; }
    public int Count { get; }
    public WorldSpec Spec => WorldSpec;
    public float ActionLimit => Config.MaxAccel;

    public (float X, float Y) SuccessPoint(int world) =>
        (State[world * StateDim + BallX], State[world * StateDim + BallY]);

    public bool Settled(int world)
    {
        float vx = State[world * StateDim + BallVx], vy = State[world * StateDim + BallVy];
        return vx * vx + vy * vy <= SettledSpeed * SettledSpeed;
    }
    /// <summary>Count × 8: agent x, y, vx, vy, then ball x, y, vx, vy.</summary>
    public float[] State { get; }
    /// <summary>Count × 2: the ball's target.</summary>
    public float[] Target { get; }

    public void Reset(ReadOnlySpan<ulong> episodeSeeds)
    {
        if (episodeSeeds.Length != Count)
            throw new ArgumentException($"expected {Count} seeds, got {episodeSeeds.Length}");
        var c = Config;
        for (int i = 0; i < Count; i++)
        {
            ref ulong rng = ref _rng[i];
            rng = Rng.Derive(episodeSeeds[i], 0, stream: 1);
            var s = State.AsSpan(i * StateDim, StateDim);
            s.Clear();
            float m = c.BallRadius + c.StartMargin;
            s[BallX] = Rng.Uniform(ref rng, c.BorderLow + m, c.BorderHigh - m);
            s[BallY] = Rng.Uniform(ref rng, c.BorderLow + m, c.BorderHigh - m);
            Target[2 * i] = Rng.Uniform(ref rng, c.BorderLow + m, c.BorderHigh - m);
            Target[2 * i + 1] = Rng.Uniform(ref rng, c.BorderLow + m, c.BorderHigh - m);
            float a = c.AgentRadius, gap = c.AgentRadius + c.BallRadius + 1;
            for (int tries = 0; tries < 1000; tries++)
            {
                s[AgentX] = Rng.Uniform(ref rng, c.BorderLow + a, c.BorderHigh - a);
                s[AgentY] = Rng.Uniform(ref rng, c.BorderLow + a, c.BorderHigh - a);
                if ((s[AgentX] - s[BallX]) * (s[AgentX] - s[BallX])
                    + (s[AgentY] - s[BallY]) * (s[AgentY] - s[BallY]) > gap * gap)
                    break;
            }
        }
    }

    public void Step(Span<float> actions)
    {
        if (actions.Length != Count * 2)
            throw new ArgumentException($"expected {Count * 2} action values (Count × 2), got {actions.Length}");
        ParallelStep.Run(actions, Count, ParallelThreshold, StepRange);
    }

    private void StepRange(Span<float> actions, int from, int to)
    {
        var c = Config;
        int n = c.Substeps;
        float h = 1f / n;
        float damping = MathF.Pow(1 - c.Friction, h); // per-substep velocity retention
        float maxBall = 2 * c.MaxSpeed;
        for (int i = from; i < to; i++)
        {
            float ax = actions[2 * i], ay = actions[2 * i + 1];
            if (!float.IsFinite(ax) || !float.IsFinite(ay))
                throw new ArgumentException($"action of world {i} is not finite: ({ax}, {ay})");
            float norm2 = ax * ax + ay * ay;
            if (norm2 > c.MaxAccel * c.MaxAccel)
            {
                float k = c.MaxAccel / MathF.Sqrt(norm2);
                ax *= k; ay *= k;
                actions[2 * i] = ax; actions[2 * i + 1] = ay;
            }
            var s = State.AsSpan(i * StateDim, StateDim);
            for (int sub = 0; sub < n; sub++)
            {
                // Integrate: accelerate the agent, damp both, move both.
                s[AgentVx] += ax * h; s[AgentVy] += ay * h;
                Cap(ref s[AgentVx], ref s[AgentVy], c.MaxSpeed);
                s[AgentVx] *= damping; s[AgentVy] *= damping; s[BallVx] *= damping; s[BallVy] *= damping;
                s[AgentX] += s[AgentVx] * h; s[AgentY] += s[AgentVy] * h;
                s[BallX] += s[BallVx] * h; s[BallY] += s[BallVy] * h;
                Collide(s, c);
                Cap(ref s[AgentVx], ref s[AgentVy], c.MaxSpeed);
                Cap(ref s[BallVx], ref s[BallVy], maxBall);
                Wall(ref s[AgentX], ref s[AgentVx], c.BorderLow + c.AgentRadius, c.BorderHigh - c.AgentRadius,
                    c.WallRestitution);
                Wall(ref s[AgentY], ref s[AgentVy], c.BorderLow + c.AgentRadius, c.BorderHigh - c.AgentRadius,
                    c.WallRestitution);
                Wall(ref s[BallX], ref s[BallVx], c.BorderLow + c.BallRadius, c.BorderHigh - c.BallRadius,
                    c.WallRestitution);
                Wall(ref s[BallY], ref s[BallVy], c.BorderLow + c.BallRadius, c.BorderHigh - c.BallRadius,
                    c.WallRestitution);
            }
        }
    }

    /// <summary>Agent–ball contact: separate the disks by inverse mass, then exchange a normal impulse.</summary>
    internal static void Collide(Span<float> s, PushBallConfig c)
    {
        float dx = s[BallX] - s[AgentX], dy = s[BallY] - s[AgentY];
        float r = c.AgentRadius + c.BallRadius;
        float d2 = dx * dx + dy * dy;
        if (d2 >= r * r) return;
        float d = MathF.Sqrt(d2);
        float nx, ny;
        if (d > 1e-6f) { nx = dx / d; ny = dy / d; }
        else { nx = 1; ny = 0; d = 0; }
        float wa = 1 / c.AgentMass, wb = 1 / c.BallMass, w = wa + wb;
        float overlap = r - d;
        s[AgentX] -= nx * overlap * wa / w; s[AgentY] -= ny * overlap * wa / w;
        s[BallX] += nx * overlap * wb / w; s[BallY] += ny * overlap * wb / w;
        float vrel = (s[BallVx] - s[AgentVx]) * nx + (s[BallVy] - s[AgentVy]) * ny;
        if (vrel >= 0) return; // already separating
        float j = -(1 + c.BallRestitution) * vrel / w;
        s[AgentVx] -= j * wa * nx; s[AgentVy] -= j * wa * ny;
        s[BallVx] += j * wb * nx; s[BallVy] += j * wb * ny;
    }

    private static void Wall(ref float p, ref float v, float lo, float hi, float restitution)
    {
        if (p < lo) { p = lo; if (v < 0) v = -v * restitution; }
        else if (p > hi) { p = hi; if (v > 0) v = -v * restitution; }
    }

    private static void Cap(ref float vx, ref float vy, float max)
    {
        float s2 = vx * vx + vy * vy;
        if (s2 <= max * max) return;
        float k = max / MathF.Sqrt(s2);
        vx *= k; vy *= k;
    }

    public void CopyState(Span<float> destination) => State.CopyTo(destination);

    public void CopyLayout(Span<float> destination) => Target.CopyTo(destination);

    public void Load(ReadOnlySpan<float> states, ReadOnlySpan<float> layouts)
    {
        states[..State.Length].CopyTo(State);
        layouts[..Target.Length].CopyTo(Target);
    }
}
