using WorldModel.Plan.Models;
using WorldModel.Sim.Worlds;

namespace WorldModel.Worlds.Maze;

/// <summary>
/// The true simulator behind the planning interface: candidates are rolled out in a maze batch of E × N worlds and
/// scored by the straight-line distance to the goal (trapped by the first wall between) or the exact geodesic (the
/// shortest path through the maze, <see cref="MazeGeodesic"/>), summed over the horizon, at its end or its least.
/// Each episode's geodesic field is built once per goal and layout, not per candidate or step.
/// </summary>
public sealed class MazeOracle(MazeConfig world, OracleCost cost, CostShape shape) : IPlanningModel
{
    private float[] _goals = [];
    private float[] _states = [];
    private float[] _layouts = [];
    private MazeGeodesic?[] _fields = [];
    private MazeBatch? _batch;

    public string Name => cost == OracleCost.Geodesic ? "oracle/geodesic" : "oracle/straight";

    public void SetGoals(Observations goals)
    {
        _goals = (float[])goals.States.Clone();
        _fields = new MazeGeodesic?[_goals.Length / 2];
    }

    public void Observe(Observations current)
    {
        _states = (float[])current.States.Clone();
        _layouts = (float[])current.Layouts.Clone();
    }

    public void Score(ReadOnlySpan<float> actions, int candidates, int horizon, Span<float> costs)
    {
        int episodes = _states.Length / 2, worlds = episodes * candidates, d = world.Spec.LayoutDim;
        if (_goals.Length != _states.Length)
            throw new InvalidOperationException("call SetGoals and Observe for the same episodes before Score");
        if (_batch is null || _batch.Count != worlds) _batch = new MazeBatch(world, worlds);
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
        if (cost == OracleCost.Geodesic)
            for (int e = 0; e < episodes; e++)
            {
                // A field stays valid while the episode's layout is the same (goals change only with SetGoals).
                var geometry = _batch.Geometry(e * candidates);
                if (_fields[e] is { } f && f.Layout == geometry.Layout) continue;
                _fields[e] = new MazeGeodesic(geometry, _goals[2 * e], _goals[2 * e + 1]);
            }

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
                float d = cost == OracleCost.Geodesic ? _fields[e]!.Distance(x, y) : straight;
                // A guard: every free point has a path, but a NaN state must not poison the sum. 4 arena sides are
                // longer than any path through a maze of at most 4 × 4 cells (16 cells of 14 px).
                if (!float.IsFinite(d)) d = straight + 4 * WorldConfig.ArenaSize;
                total[w] = shape == CostShape.Min ? Math.Min(total[w], d) : total[w] + d;
            }
        });
    }

    public void Dispose() { }
}
