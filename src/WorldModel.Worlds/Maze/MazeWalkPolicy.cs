using WorldModel.Sim;
using WorldModel.Sim.Policies;

namespace WorldModel.Worlds.Maze;

/// <summary>The maze's random walk (<see cref="MazeWalkPolicyConfig"/>); each world's noise is its own.</summary>
public sealed class MazeWalkPolicy(MazeWalkPolicyConfig config, MazeBatch world) : IPolicy
{
    private readonly ulong[] _rng = new ulong[world.Count];
    private readonly float[] _heading = new float[world.Count];

    public void Reset(ReadOnlySpan<ulong> episodeSeeds)
    {
        for (int i = 0; i < world.Count; i++)
        {
            _rng[i] = Rng.Derive(episodeSeeds[i], 0, stream: 2);
            _heading[i] = Rng.Uniform(ref _rng[i], -MathF.PI, MathF.PI);
        }
    }

    public void Act(Span<float> actions)
    {
        for (int i = 0; i < world.Count; i++)
        {
            ref ulong rng = ref _rng[i];
            // Pressed against a wall: turn away rather than keep pushing into it.
            float mean = world.Contact[i] ? Rng.Uniform(ref rng, -MathF.PI, MathF.PI) : _heading[i];
            float heading = Rng.VonMises(ref rng, mean, config.Kappa);
            float step = Rng.TruncatedNormal(ref rng, config.StepMean, config.StepStd, config.StepMin, config.StepMax);
            _heading[i] = heading;
            actions[2 * i] = step * MathF.Cos(heading);
            actions[2 * i + 1] = step * MathF.Sin(heading);
        }
    }
}
