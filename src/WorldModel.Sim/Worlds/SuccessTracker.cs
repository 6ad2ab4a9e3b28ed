namespace WorldModel.Sim.Worlds;

/// <summary>
/// Success of a batch of episodes, checked after every step at both thresholds: PLDM's strict one
/// (mean squared error over (x, y) below 1, i.e. distance below √2) and the 4.5 px one of DINO-WM
/// and eb_jepa, on the world's success point (<see cref="IWorldBatch.SuccessPoint"/>: Two-Rooms'
/// agent, Push-Ball's ball against its target), counted only when the world says it has settled (a
/// ball rolling through the target has not been put on it). Once reached, success stays reached (PLDM
/// counts an episode as solved at its first success).
/// </summary>
public sealed class SuccessTracker
{
    private readonly IWorldBatch _world;
    private readonly float[] _goals;

    /// <param name="goals">Count × 2 goal positions of the success point.</param>
    public SuccessTracker(IWorldBatch world, ReadOnlySpan<float> goals)
    {
        _world = world;
        if (goals.Length == world.Count * 2) _goals = goals.ToArray();
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
            var (x, y) = _world.SuccessPoint(i);
            float dx = x - _goals[2 * i], dy = y - _goals[2 * i + 1];
            float d = MathF.Sqrt(dx * dx + dy * dy);
            Distance[i] = d;
            if (!_world.Settled(i)) continue;
            if (StrictStep[i] < 0 && d < WorldConfig.StrictSuccessDistance) StrictStep[i] = step;
            if (LooseStep[i] < 0 && d < WorldConfig.LooseSuccessDistance) LooseStep[i] = step;
        }
    }
}
