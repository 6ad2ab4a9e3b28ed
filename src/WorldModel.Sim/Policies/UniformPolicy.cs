using WorldModel.Sim.Worlds;

namespace WorldModel.Sim.Policies;

/// <summary>Uniform random actions in the disk of allowed actions (any world).</summary>
public sealed class UniformPolicy(UniformPolicyConfig config, IWorldBatch world) : IPolicy
{
    private readonly ulong[] _rng = new ulong[world.Count];
    private readonly float _max = world.ActionLimit;

    public UniformPolicyConfig Config { get; } = config;

    public void Reset(ReadOnlySpan<ulong> episodeSeeds)
    {
        for (int i = 0; i < _rng.Length; i++) _rng[i] = Rng.Derive(episodeSeeds[i], 0, stream: 2);
    }

    public void Act(Span<float> actions)
    {
        for (int i = 0; i < _rng.Length; i++)
        {
            // Uniform over the disk: radius ∝ sqrt(u).
            float r = _max * MathF.Sqrt(Rng.Uniform(ref _rng[i]));
            float a = Rng.Uniform(ref _rng[i], -MathF.PI, MathF.PI);
            actions[2 * i] = r * MathF.Cos(a);
            actions[2 * i + 1] = r * MathF.Sin(a);
        }
    }
}
