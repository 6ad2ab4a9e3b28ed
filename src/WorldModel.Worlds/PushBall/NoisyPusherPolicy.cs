using WorldModel.Sim;
using WorldModel.Sim.Policies;
using static WorldModel.Worlds.PushBall.PushBallBatch;

namespace WorldModel.Worlds.PushBall;

public sealed class NoisyPusherPolicy(NoisyPusherPolicyConfig config, PushBallBatch world) : IPolicy
{
    private readonly ulong[] _rng = new ulong[world.Count];

    public void Reset(ReadOnlySpan<ulong> episodeSeeds)
    {
        for (int i = 0; i < world.Count; i++) _rng[i] = Rng.Derive(episodeSeeds[i], 0, stream: 2);
    }

    public void Act(Span<float> actions)
    {
        var c = world.Config;
        float speed = config.Speed * c.MaxSpeed;
        for (int i = 0; i < world.Count; i++)
        {
            var s = world.State.AsSpan(i * PushBallBatch.StateDim, PushBallBatch.StateDim);
            float tx = world.Target[2 * i], ty = world.Target[2 * i + 1];
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
