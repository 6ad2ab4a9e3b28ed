using WorldModel.Sim.PushBall;
using WorldModel.Sim.TwoRooms;

namespace WorldModel.Sim.Worlds;

/// <summary>
/// Success of a batch of episodes, checked after every step at both thresholds: PLDM's strict one
/// (mean squared error over (x, y) below 1, i.e. distance below √2) and the 4.5 px one of DINO-WM
/// and eb_jepa. Two-Rooms measures the agent; Push-Ball measures the ball against its target, and
/// counts it only once the ball has (nearly) stopped there: a ball rolling through the target has
/// not been put on it. Once reached, success stays reached (PLDM counts an episode as solved at its first success).
/// </summary>
public sealed class SuccessTracker
{
    private readonly IWorldBatch _world;
    private readonly float[] _goals;

    /// <param name="goals">Count × 2 goal positions; for Push-Ball, null means each world's own target.</param>
    public SuccessTracker(IWorldBatch world, ReadOnlySpan<float> goals = default)
    {
        _world = world;
        if (goals.IsEmpty && world is PushBallBatch pb) _goals = pb.Target.ToArray();
        else if (goals.Length == world.Count * 2) _goals = goals.ToArray();
        else throw new ArgumentException($"expected {world.Count * 2} goal values (Count × 2), got {goals.Length}");
        Distance = new float[world.Count];
        StrictStep = Enumerable.Repeat(-1, world.Count).ToArray();
        LooseStep = Enumerable.Repeat(-1, world.Count).ToArray();
        Update(0);
    }

    /// <summary>Current distance to the goal per world.</summary>
    public float[] Distance { get; }
    /// <summary>First step at which each world was within the strict threshold, or -1.</summary>
    public int[] StrictStep { get; }
    /// <summary>First step at which each world was within 4.5 px, or -1.</summary>
    public int[] LooseStep { get; }

    public bool Strict(int world) => StrictStep[world] >= 0;
    public bool Loose(int world) => LooseStep[world] >= 0;

    /// <summary>Call after each step with the number of steps taken so far.</summary>
    public void Update(int step)
    {
        for (int i = 0; i < _world.Count; i++)
        {
            var (x, y) = Position(i);
            float dx = x - _goals[2 * i], dy = y - _goals[2 * i + 1];
            float d = MathF.Sqrt(dx * dx + dy * dy);
            Distance[i] = d;
            if (!Settled(i)) continue;
            if (StrictStep[i] < 0 && d < WorldConfig.StrictSuccessDistance) StrictStep[i] = step;
            if (LooseStep[i] < 0 && d < WorldConfig.LooseSuccessDistance) LooseStep[i] = step;
        }
    }

    private bool Settled(int i)
    {
        if (_world is not PushBallBatch w) return true;
        float vx = w.State[i * PushBallBatch.StateDim + 6], vy = w.State[i * PushBallBatch.StateDim + 7];
        return vx * vx + vy * vy <= PushBallBatch.SettledSpeed * PushBallBatch.SettledSpeed;
    }

    private (float X, float Y) Position(int i) => _world switch
    {
        TwoRoomsBatch w => (w.X[i], w.Y[i]),
        PushBallBatch w => (w.State[i * PushBallBatch.StateDim + 4], w.State[i * PushBallBatch.StateDim + 5]),
        _ => throw new ArgumentOutOfRangeException(nameof(_world), _world.Spec.Kind, "unknown world"),
    };
}
