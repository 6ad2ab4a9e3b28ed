using WorldModel.Sim.Worlds;

namespace WorldModel.Plan.Models;

/// <summary>
/// The true simulator with a high level: a macro-action is one action held for <see cref="Skip"/> steps (a
/// straight stretch), scored by the world's flat oracle over the whole stretch; the subgoal is the true state
/// where the first stretch ends. It separates what the hierarchy buys from what a learned model gets wrong:
/// with the straight-line cost the flat oracle is trapped at the wall, the hierarchical one looks past it.
/// </summary>
public sealed class HierarchicalOracle : IHierarchicalPlanningModel, IJumpImaginingModel
{
    private readonly WorldConfig _world;
    private readonly IPlanningModel _toGoal, _toSubgoal;
    private Observations? _goals, _current;

    /// <param name="makeOracle">Makes the world's flat oracle (one for the goal, one for the subgoals).</param>
    public HierarchicalOracle(WorldConfig world, Func<IPlanningModel> makeOracle, int skip)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(skip, 1);
        _world = world;
        _toGoal = makeOracle();
        _toSubgoal = makeOracle();
        Skip = skip;
        Name = _toGoal.Name + "-hier";
        High = new Stretches(this);
    }

    public string Name { get; }
    public int Skip { get; }
    public int MacroDim => _world.Spec.ActionDim;
    public float MacroLimit => _world.ActionLimit;
    public IPlanningModel High { get; }

    public void SetGoals(Observations goals)
    {
        _goals = goals;
        _toGoal.SetGoals(goals);
        _toSubgoal.SetGoals(goals);
    }

    public void Observe(Observations current)
    {
        _current = current;
        _toGoal.Observe(current);
        _toSubgoal.Observe(current);
    }

    public void Score(ReadOnlySpan<float> actions, int candidates, int horizon, Span<float> costs) =>
        _toSubgoal.Score(actions, candidates, horizon, costs);

    public bool[] AimAt(ReadOnlySpan<float> macroPlans, int macroSteps)
    {
        if (_goals is null || _current is null) throw new InvalidOperationException("call SetGoals and Observe first");
        int e = _current.Count, a = MacroDim, sd = _world.Spec.StateDim;
        // Each stretch's end along the chosen plan, and the distance-to-goal the oracle's cost gives there.
        var sim = _world.CreateBatch(e);
        sim.Load(_current.States, _current.Layouts);
        var step = new float[e * a];
        var subgoals = new float[e * sd];
        var closest = new int[e];
        var best = new float[e];
        Array.Fill(best, float.PositiveInfinity);
        var cost = new float[e];
        var hold = new float[e * a];
        // The goal oracle's cost of standing somewhere: a zero action scored from there. Index 0 is where the agent
        // stands, j after the j-th stretch; the low level aims at the goal once the plan comes closest to it no
        // later than the first stretch's end (as the learned model does).
        void CostHere(float[] states, int index)
        {
            _toGoal.Observe(_current with { States = states });
            _toGoal.Score(hold, 1, 1, cost);
            for (int i = 0; i < e; i++)
                if (cost[i] < best[i]) { best[i] = cost[i]; closest[i] = index; }
        }
        CostHere(_current.States, 0);
        for (int j = 0; j < macroSteps; j++)
        {
            for (int i = 0; i < e; i++)
                macroPlans.Slice((i * macroSteps + j) * a, a).CopyTo(step.AsSpan(i * a, a));
            for (int s = 0; s < Skip; s++) sim.Step((float[])step.Clone());
            var states = new float[e * sd];
            sim.CopyState(states);
            if (j == 0) states.CopyTo(subgoals, 0);
            CostHere(states, j + 1);
        }
        _toGoal.Observe(_current);
        var aimAtGoal = closest.Select(c => c <= 1).ToArray();
        var targets = (float[])_goals.States.Clone();
        for (int i = 0; i < e; i++)
            if (!aimAtGoal[i]) subgoals.AsSpan(i * sd, sd).CopyTo(targets.AsSpan(i * sd, sd));
        _toSubgoal.SetGoals(_goals with { States = targets });
        return aimAtGoal;
    }

    /// <summary>The true state where each stretch of the first episode's plan ends.</summary>
    public float[][] ImagineJumps(ReadOnlySpan<float> macroPlan, int macroSteps)
    {
        if (_current is null) throw new InvalidOperationException("call Observe first");
        int a = MacroDim, sd = _world.Spec.StateDim, ld = _current.Layouts.Length / _current.Count;
        if (macroPlan.Length < macroSteps * a)
            throw new ArgumentException(
                $"a plan of {macroSteps} macro-actions needs {macroSteps * a} values; got {macroPlan.Length}");
        var sim = _world.CreateBatch(1);
        sim.Load(_current.States.AsSpan(0, sd), _current.Layouts.AsSpan(0, ld));
        var ends = new float[macroSteps][];
        for (int j = 0; j < macroSteps; j++)
        {
            for (int s = 0; s < Skip; s++) sim.Step(macroPlan.Slice(j * a, a).ToArray());
            sim.CopyState(ends[j] = new float[sd]);
        }
        return ends;
    }

    public void Dispose()
    {
        _toGoal.Dispose();
        _toSubgoal.Dispose();
    }

    /// <summary>The high level: each macro-action held for Skip steps, scored by the goal oracle.</summary>
    private sealed class Stretches(HierarchicalOracle owner) : IPlanningModel
    {
        public string Name => owner.Name + "/high";
        public void SetGoals(Observations goals) => owner.SetGoals(goals);
        public void Observe(Observations current) => owner.Observe(current);

        public void Score(ReadOnlySpan<float> macros, int candidates, int macroSteps, Span<float> costs)
        {
            int a = owner.MacroDim, k = owner.Skip, plans = macros.Length / (macroSteps * a);
            var actions = new float[plans * macroSteps * k * a];
            for (int p = 0; p < plans; p++)
                for (int j = 0; j < macroSteps; j++)
                    for (int s = 0; s < k; s++)
                        macros.Slice((p * macroSteps + j) * a, a)
                            .CopyTo(actions.AsSpan(((p * macroSteps + j) * k + s) * a, a));
            owner._toGoal.Score(actions, candidates, macroSteps * k, costs);
        }

        public void Dispose() { }
    }
}
