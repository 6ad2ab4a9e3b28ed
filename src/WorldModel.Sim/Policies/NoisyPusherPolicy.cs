using WorldModel.Sim.PushBall;

namespace WorldModel.Sim.Policies;

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
            float bx = tx - s[4], by = ty - s[5], bd = MathF.Max(1e-6f, MathF.Sqrt(bx * bx + by * by));
            bx /= bd; by /= bd;
            float behind = c.PushDistance;
            float px = s[4] - bx * behind, py = s[5] - by * behind;
            float ex = px - s[0], ey = py - s[1];
            float wx, wy, v;
            if (ex * ex + ey * ey > 2.25f)
            {
                // Get into position; when on the target's side of the ball, go round it sideways first.
                float rx = s[0] - s[4], ry = s[1] - s[5];
                float ahead = rx * bx + ry * by;
                if (ahead > -0.5f * behind)
                {
                    float side = rx * -by + ry * bx >= 0 ? 1 : -1;
                    wx = s[4] - by * side * (behind + 1.5f) - bx * 0.5f * behind;
                    wy = s[5] + bx * side * (behind + 1.5f) - by * 0.5f * behind;
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
            float dx = wx - s[0], dy = wy - s[1], d = MathF.Max(1e-6f, MathF.Sqrt(dx * dx + dy * dy));
            v = MathF.Min(v, d);
            // Accelerate towards the desired velocity (a P controller), plus noise.
            float ax = (dx / d * v - s[2]) + config.Noise * c.MaxAccel * Rng.Normal(ref _rng[i]);
            float ay = (dy / d * v - s[3]) + config.Noise * c.MaxAccel * Rng.Normal(ref _rng[i]);
            actions[2 * i] = ax;
            actions[2 * i + 1] = ay;
        }
    }
}
