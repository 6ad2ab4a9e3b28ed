using WorldModel.Sim.Worlds;

namespace WorldModel.Worlds.PointAgent;

/// <summary>The settings every point-agent world has (Two-Rooms, Maze): its step, contacts and arena.</summary>
public interface IPointAgentWorld
{
    float MaxStep { get; }
    ContactRule ContactRule { get; }
    float ContactNoise { get; }
    float BorderLow { get; }
    float BorderHigh { get; }
    float StartMargin { get; }
}

/// <summary>
/// Many point-agent worlds on struct-of-arrays state, stepped with <see cref="PointPhysics"/> in parallel for large
/// batches. A world adds its layouts: how they are drawn, stored and turned into wall pieces.
/// </summary>
public abstract class PointAgentBatch<TConfig> : IWorldBatch where TConfig : WorldConfig, IPointAgentWorld
{
    private const int ParallelThreshold = 4096;

    protected PointAgentBatch(TConfig config, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        Config = config;
        Count = count;
        X = new float[count];
        Y = new float[count];
        Contact = new bool[count];
        Rngs = new ulong[count];
    }

    public TConfig Config { get; }
    public int Count { get; }
    public abstract WorldSpec Spec { get; }
    public float ActionLimit => Config.MaxStep;
    public (float X, float Y) SuccessPoint(int world) => (X[world], Y[world]);
    public float[] X { get; }
    public float[] Y { get; }
    /// <summary>Whether each world's last step ended in a contact.</summary>
    public bool[] Contact { get; }
    /// <summary>Each world's random stream (contact noise, and what its Reset draws).</summary>
    protected ulong[] Rngs { get; }

    /// <summary>World <paramref name="world"/>'s walls as (x0, x1, y0, y1) rectangles.</summary>
    public abstract ReadOnlySpan<float> WallPieces(int world);

    public abstract void Reset(ReadOnlySpan<ulong> episodeSeeds);
    public abstract void CopyLayout(Span<float> destination);
    public abstract void Load(ReadOnlySpan<float> states, ReadOnlySpan<float> layouts);

    public void Step(Span<float> actions)
    {
        if (actions.Length != Count * 2)
            throw new ArgumentException($"expected {Count * 2} action values (Count × 2), got {actions.Length}");
        ParallelStep.Run(actions, Count, ParallelThreshold, StepRange);
    }

    private void StepRange(Span<float> actions, int from, int to)
    {
        float max = Config.MaxStep, noise = Config.ContactNoise, lo = Config.BorderLow, hi = Config.BorderHigh;
        var rule = Config.ContactRule;
        for (int i = from; i < to; i++)
        {
            var (dx, dy) = PointPhysics.ClipAction(actions, i, max);
            Contact[i] = PointPhysics.Step(ref X[i], ref Y[i], dx, dy, WallPieces(i), lo, hi, rule, noise, ref Rngs[i]);
        }
    }

    public void CopyState(Span<float> destination)
    {
        for (int i = 0; i < Count; i++) { destination[2 * i] = X[i]; destination[2 * i + 1] = Y[i]; }
    }
}
