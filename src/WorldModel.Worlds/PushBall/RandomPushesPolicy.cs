using WorldModel.Sim;
using WorldModel.Sim.Policies;

namespace WorldModel.Worlds.PushBall;

public sealed class RandomPushesPolicy(RandomPushesPolicyConfig config, PushBallBatch world) : IPolicy
{
    private readonly ulong[] _rng = new ulong[world.Count];
    private readonly float[] _push = new float[world.Count * 2];

    public void Reset(ReadOnlySpan<ulong> episodeSeeds)
    {
        for (int i = 0; i < world.Count; i++)
        {
            _rng[i] = Rng.Derive(episodeSeeds[i], 0, stream: 2);
            Draw(i);
        }
    }

    private void Draw(int i)
    {
        float a = Rng.Uniform(ref _rng[i], -MathF.PI, MathF.PI), m = world.Config.MaxAccel * Rng.Uniform(ref _rng[i]);
        _push[2 * i] = m * MathF.Cos(a);
        _push[2 * i + 1] = m * MathF.Sin(a);
    }

    public void Act(Span<float> actions)
    {
        for (int i = 0; i < world.Count; i++)
        {
            if (Rng.Uniform(ref _rng[i]) < config.SwitchProbability) Draw(i);
            actions[2 * i] = _push[2 * i];
            actions[2 * i + 1] = _push[2 * i + 1];
        }
    }
}
