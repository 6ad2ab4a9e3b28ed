using WorldModel.Sim;
using WorldModel.Sim.Policies;
using static WorldModel.Worlds.PushBall.PushBallBatch;

namespace WorldModel.Worlds.PushBall;

public sealed class NoisyPusherPolicy(NoisyPusherPolicyConfig config, PushBallBatch world) : IPolicy
{
    private readonly ulong[] _rng = new ulong[world.Count];
    // With retargetWithin: the pusher's own target once it has drawn one (until then the world's).
    private readonly float[] _target = new float[world.Count * 2];
    private readonly bool[] _retargeted = new bool[world.Count];
    private readonly ulong[] _targetRng = new ulong[world.Count];

    public void Reset(ReadOnlySpan<ulong> episodeSeeds)
    {
        for (int i = 0; i < world.Count; i++)
        {
            _rng[i] = Rng.Derive(episodeSeeds[i], 0, stream: 2);
            _targetRng[i] = Rng.Derive(episodeSeeds[i], 0, stream: 3); // its own stream: the noise stays as without
            _retargeted[i] = false;
        }
    }

    private (float X, float Y) Target(int i) => _retargeted[i]
        ? (_target[2 * i], _target[2 * i + 1])
        : (world.Target[2 * i], world.Target[2 * i + 1]);

    /// <summary>A new target, drawn as the world draws its own, once the ball rests near the current one.</summary>
    private void Retarget(int i, ReadOnlySpan<float> s)
    {
        if (config.RetargetWithin <= 0 || !world.Settled(i)) return;
        var (tx, ty) = Target(i);
        float dx = tx - s[BallX], dy = ty - s[BallY];
        if (dx * dx + dy * dy > config.RetargetWithin * config.RetargetWithin) return;
        var c = world.Config;
        float m = c.BallRadius + c.StartMargin;
        _target[2 * i] = Rng.Uniform(ref _targetRng[i], c.BorderLow + m, c.BorderHigh - m);
        _target[2 * i + 1] = Rng.Uniform(ref _targetRng[i], c.BorderLow + m, c.BorderHigh - m);
        _retargeted[i] = true;
    }

    public void Act(Span<float> actions)
    {
        var c = world.Config;
        float speed = config.Speed * c.MaxSpeed;
        for (int i = 0; i < world.Count; i++)
        {
            var s = world.State.AsSpan(i * PushBallBatch.StateDim, PushBallBatch.StateDim);
            Retarget(i, s);
            var (tx, ty) = Target(i);
            // Unit vector from the ball to the target; the pushing spot is just behind the ball on that line.
            float bx = tx - s[BallX], by = ty - s[BallY], bd = MathF.Max(1e-6f, MathF.Sqrt(bx * bx + by * by));
            bx /= bd; by /= bd;
            float behind = c.PushDistance;
            float px = s[BallX] - bx * behind, py = s[BallY] - by * behind;
            float ex = px - s[AgentX], ey = py - s[AgentY];
            float wx, wy, v;
            if (ex * ex + ey * ey > 2.25f)
            {
                // Get into position; when on the target's side of the ball, go round it sideways first.
                float rx = s[AgentX] - s[BallX], ry = s[AgentY] - s[BallY];
                float ahead = rx * bx + ry * by;
                if (ahead > -0.5f * behind)
                {
                    float side = rx * -by + ry * bx >= 0 ? 1 : -1;
                    wx = s[BallX] - by * side * (behind + 1.5f) - bx * 0.5f * behind;
                    wy = s[BallY] + bx * side * (behind + 1.5f) - by * 0.5f * behind;
                }
                else { wx = px; wy = py; }
                v = speed;
            }
            else
            {
                // Push through the ball, slower as the ball nears the target (it coasts after contact).
                wx = tx; wy = ty;
                v = MathF.Min(speed, 0.08f * bd);
            }
            float dx = wx - s[AgentX], dy = wy - s[AgentY], d = MathF.Max(1e-6f, MathF.Sqrt(dx * dx + dy * dy));
            v = MathF.Min(v, d);
            // Accelerate towards the desired velocity (a P controller), plus noise.
            float ax = (dx / d * v - s[AgentVx]) + config.Noise * c.MaxAccel * Rng.Normal(ref _rng[i]);
            float ay = (dy / d * v - s[AgentVy]) + config.Noise * c.MaxAccel * Rng.Normal(ref _rng[i]);
            actions[2 * i] = ax;
            actions[2 * i + 1] = ay;
        }
    }
}
