using WorldModel.Plan.Models;
using WorldModel.Sim.Worlds;

namespace WorldModel.Worlds.TwoRooms;

/// <summary>
/// The true simulator behind the planning interface: candidates are rolled out in a Two-Rooms batch
/// of E × N worlds. An upper bound for learned models, and a check of the optimiser. With the
/// straight-line cost the wall is a local minimum of summed distance (docs/prototype-findings.md: ~50%
/// across rooms); the geodesic cost removes it.
/// </summary>
public sealed class TwoRoomsOracle(TwoRoomsConfig world, OracleCost cost, CostShape shape) : IPlanningModel
{
    private float[] _goals = [];
    private float[] _states = [];
    private float[] _layouts = [];
    private TwoRoomsBatch? _batch;

    public string Name => cost == OracleCost.Geodesic ? "oracle/geodesic" : "oracle/straight";

    public void SetGoals(Observations goals) => _goals = (float[])goals.States.Clone();

    public void Observe(Observations current)
    {
        _states = (float[])current.States.Clone();
        _layouts = (float[])current.Layouts.Clone();
    }

    public void Score(ReadOnlySpan<float> actions, int candidates, int horizon, Span<float> costs)
    {
        int episodes = _states.Length / 2, worlds = episodes * candidates, d = TwoRoomsLayout.Dim;
        if (_goals.Length != _states.Length)
            throw new InvalidOperationException("call SetGoals and Observe for the same episodes before Score");
        if (_batch is null || _batch.Count != worlds) _batch = new TwoRoomsBatch(world, worlds);
        var states = new float[worlds * 2];
        var layouts = new float[worlds * d];
        for (int w = 0; w < worlds; w++)
        {
            int e = w / candidates;
            states[2 * w] = _states[2 * e];
            states[2 * w + 1] = _states[2 * e + 1];
            _layouts.AsSpan(e * d, d).CopyTo(layouts.AsSpan(w * d, d));
        }
        _batch.Load(states, layouts);

        var total = new float[worlds];
        if (shape == CostShape.Min) Array.Fill(total, float.PositiveInfinity);
        var step = new float[worlds * 2];
        for (int h = 0; h < horizon; h++)
        {
            for (int w = 0; w < worlds; w++)
            {
                step[2 * w] = actions[(w * horizon + h) * 2];
                step[2 * w + 1] = actions[(w * horizon + h) * 2 + 1];
            }
            _batch.Step(step);
            if (shape != CostShape.Terminal || h == horizon - 1) AddDistances(total, candidates);
        }
        total.CopyTo(costs);
    }

    private void AddDistances(float[] total, int candidates)
    {
        var batch = _batch!;
        Parallel.For(0, (total.Length + 1023) / 1024, chunk =>
        {
            int end = Math.Min(total.Length, (chunk + 1) * 1024);
            for (int w = chunk * 1024; w < end; w++)
            {
                int e = w / candidates;
                float gx = _goals[2 * e], gy = _goals[2 * e + 1], x = batch.X[w], y = batch.Y[w];
                float straight = MathF.Sqrt((x - gx) * (x - gx) + (y - gy) * (y - gy));
                float d = cost == OracleCost.Geodesic
                    ? TwoRoomsGeometry.ShortestPath(batch.Layouts[w], batch.WallPieces(w), x, y, gx, gy).Length
                    : straight;
                // A guard: with grazing counted as visible every free point has a path, but a NaN state must not
                // poison the sum.
                if (!float.IsFinite(d)) d = straight + 2 * WorldConfig.ArenaSize;
                total[w] = shape == CostShape.Min ? Math.Min(total[w], d) : total[w] + d;
            }
        });
    }

    public void Dispose() { }
}
