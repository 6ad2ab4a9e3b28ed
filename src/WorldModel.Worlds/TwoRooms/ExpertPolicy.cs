using WorldModel.Sim;
using WorldModel.Sim.Policies;

namespace WorldModel.Worlds.TwoRooms;

public sealed class ExpertPolicy(ExpertPolicyConfig config, TwoRoomsBatch world) : IPolicy
{
    private readonly ulong[] _rng = new ulong[world.Count];
    private readonly float[] _goal = new float[world.Count * 2];

    /// <summary>Each world's current goal (x, y).</summary>
    public ReadOnlySpan<float> Goals => _goal;

    public void Reset(ReadOnlySpan<ulong> episodeSeeds)
    {
        for (int i = 0; i < world.Count; i++)
        {
            _rng[i] = Rng.Derive(episodeSeeds[i], 0, stream: 2);
            NewGoal(i);
        }
    }

    private void NewGoal(int i) =>
        (_goal[2 * i], _goal[2 * i + 1]) = world.SampleFreePoint(i, ref _rng[i], world.Config.StartMargin);

    public void Act(Span<float> actions)
    {
        float speed = config.Speed * world.Config.MaxStep;
        for (int i = 0; i < world.Count; i++)
        {
            float x = world.X[i], y = world.Y[i];
            if (Dist(x, y, _goal[2 * i], _goal[2 * i + 1]) < 0.5f) NewGoal(i);
            var path = TwoRoomsGeometry.ShortestPath(world.Layouts[i], world.WallPieces(i), x, y,
                _goal[2 * i], _goal[2 * i + 1]);
            float dx = path.NextX - x, dy = path.NextY - y, d = MathF.Sqrt(dx * dx + dy * dy);
            float len = MathF.Min(speed, d);
            float ax = d > 1e-6f ? dx / d * len : 0, ay = d > 1e-6f ? dy / d * len : 0;
            actions[2 * i] = ax + config.Noise * Rng.Normal(ref _rng[i]);
            actions[2 * i + 1] = ay + config.Noise * Rng.Normal(ref _rng[i]);
        }
    }

    private static float Dist(float x0, float y0, float x1, float y1) =>
        MathF.Sqrt((x1 - x0) * (x1 - x0) + (y1 - y0) * (y1 - y0));
}
