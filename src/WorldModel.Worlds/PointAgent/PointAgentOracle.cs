using WorldModel.Plan.Models;
using WorldModel.Sim.Worlds;

namespace WorldModel.Worlds.PointAgent;

/// <summary>
/// The true simulator behind the planning interface, for a point agent among walls (Two-Rooms, Maze): candidates
/// are rolled out in a batch of E × N worlds and scored by the agent's distance to the goal, straight (trapped by
/// the first wall between) or geodesic (the world's shortest path), summed over the horizon, at its end or its
/// least. An upper bound for learned models, and a check of the optimiser. A world supplies its batch and its
/// geodesic.
/// </summary>
public abstract class PointAgentOracle<TBatch>(OracleCost cost, CostShape shape) : IPlanningModel
    where TBatch : class, IWorldBatch
{
    private float[] _states = [];
    private float[] _layouts = [];
    private TBatch? _batch;

    /// <summary>Goals, episode-major (E × 2).</summary>
    protected float[] Goals { get; private set; } = [];
    protected OracleCost Cost => cost;

    public string Name => cost == OracleCost.Geodesic ? "oracle/geodesic" : "oracle/straight";

    public virtual void SetGoals(Observations goals) => Goals = (float[])goals.States.Clone();

    public void Observe(Observations current)
    {
        _states = (float[])current.States.Clone();
        _layouts = (float[])current.Layouts.Clone();
    }

    /// <summary>A batch of <paramref name="worlds"/> worlds to roll candidates out in.</summary>
    protected abstract TBatch CreateBatch(int worlds);

    /// <summary>
    /// Called once per Score, after the batch is loaded with the episodes' starts (e.g. to build fields).
    /// </summary>
    protected virtual void Prepare(TBatch batch, int episodes, int candidates) { }

    /// <summary>
    /// The shortest path's length from the agent of world <paramref name="w"/> (episode <paramref name="e"/>) at
    /// (x, y) to the goal (gx, gy); not finite where the world finds none.
    /// </summary>
    protected abstract float Geodesic(TBatch batch, int w, int e, float x, float y, float gx, float gy);

    /// <summary>Added to the straight distance where the geodesic is not finite: longer than any path.</summary>
    protected abstract float NoPathPenalty { get; }

    public void Score(ReadOnlySpan<float> actions, int candidates, int horizon, Span<float> costs)
    {
        int episodes = _states.Length / 2, worlds = episodes * candidates;
        if (Goals.Length != _states.Length)
            throw new InvalidOperationException("call SetGoals and Observe for the same episodes before Score");
        if (_batch is null || _batch.Count != worlds) _batch = CreateBatch(worlds);
        int d = _batch.Spec.LayoutDim;
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
        Prepare(_batch, episodes, candidates);

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
            if (shape != CostShape.Terminal || h == horizon - 1) AddDistances(_batch, total, candidates);
        }
        total.CopyTo(costs);
    }

    private void AddDistances(TBatch batch, float[] total, int candidates)
    {
        Parallel.For(0, (total.Length + 1023) / 1024, chunk =>
        {
            int end = Math.Min(total.Length, (chunk + 1) * 1024);
            for (int w = chunk * 1024; w < end; w++)
            {
                int e = w / candidates;
                float gx = Goals[2 * e], gy = Goals[2 * e + 1];
                var (x, y) = batch.SuccessPoint(w);
                float straight = MathF.Sqrt((x - gx) * (x - gx) + (y - gy) * (y - gy));
                float d = cost == OracleCost.Geodesic ? Geodesic(batch, w, e, x, y, gx, gy) : straight;
                // A guard: every free point has a path, but a NaN state must not poison the sum.
                if (!float.IsFinite(d)) d = straight + NoPathPenalty;
                total[w] = shape == CostShape.Min ? Math.Min(total[w], d) : total[w] + d;
            }
        });
    }

    public void Dispose() => GC.SuppressFinalize(this); // nothing held but managed arrays
}
