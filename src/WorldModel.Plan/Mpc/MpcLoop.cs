using System.Diagnostics;
using WorldModel.Plan.Evaluation;
using WorldModel.Plan.Models;
using WorldModel.Plan.Planners;
using WorldModel.Render;
using WorldModel.Sim;
using WorldModel.Sim.Worlds;

namespace WorldModel.Plan.Mpc;

/// <summary>
/// The MPC loop of one batch of episodes on the real simulator, one replan at a time: observe (render
/// what the agents see), plan H steps (capped by the steps left) with the model, execute
/// <see cref="MpcConfig.ReplanEvery"/> actions, shift the plans as the next warm start. Episodes that
/// reach the strict threshold or their budget leave the batch. Evaluation (<see cref="MpcRunner"/>),
/// recordings and the demo all advance this loop; none has its own.
/// </summary>
public sealed class MpcLoop
{
    private readonly IRenderer _renderer;
    private readonly SceneBuilder _scenes;
    private readonly MpcConfig _config;
    private readonly IPlanner _planner;
    private readonly IPlanningModel _model;
    private readonly IHierarchicalPlanningModel? _hier;
    private readonly IPlanner? _highPlanner;
    private readonly float[] _highPlans; // E × macro steps × MacroDim warm starts (hierarchical models)
    private readonly int[] _sinceShift;  // low-level steps executed since each high plan was last shifted
    private readonly PlanEpisode[] _episodes;
    private readonly ulong _stream;
    private readonly IWorldBatch _sim;
    private readonly SuccessTracker _tracker;
    private readonly float[] _layouts, _plans, _minDistance, _states, _step;
    private readonly int[] _replans, _stoppedAt;
    private readonly int[] _warmSteps; // steps of each warm start that hold a shifted plan (the rest are zeros)
    private readonly bool[] _done;
    private readonly int _e, _a, _sd, _ld, _hMax, _budget, _stride, _lowHorizon, _m, _hhMax;
    private readonly IPlanningWorld _world;
    private readonly int _variants; // goal observations per episode (1, or evaluation.plan.goalVariants)
    private int _goalsFor;
    private double _planSeconds;

    /// <param name="stream">
    /// Seeds the planner's noise with (config seed, stream, step): the batch's index in an evaluation.
    /// </param>
    public MpcLoop(
        WorldConfig world,
        IRenderer renderer,
        SceneBuilder scenes,
        MpcConfig config,
        IPlanningModel model,
        IReadOnlyList<PlanEpisode> episodes,
        ulong stream = 0)
    {
        (_renderer, _scenes, _config, _model, _episodes, _stream) =
            (renderer, scenes, config, model, episodes.ToArray(), stream);
        _planner = config.Planner.Create(world.ActionLimit);
        var spec = world.Spec;
        (_e, _a, _hMax, _ld, _sd) =
            (_episodes.Length, spec.ActionDim, config.PlannerHorizon, spec.LayoutDim, spec.StateDim);
        _budget = _episodes.Max(x => x.Budget);
        _sim = world.CreateBatch(_e);
        _layouts = _episodes.SelectMany(x => x.Layout).ToArray();
        _sim.Load(_episodes.SelectMany(x => x.Start).ToArray(), _layouts);
        // Success: the world's success point at its goal (Two-Rooms: the agent; Push-Ball: the ball on its target).
        _tracker = new SuccessTracker(_sim, PlanningWorld.Of(world).SuccessGoals(_episodes));
        _minDistance = (float[])_tracker.Distance.Clone();
        _world = PlanningWorld.Of(world);
        _variants = config.GoalVariants > 0 && model is IGoalVariantModel ? config.GoalVariants : 1;
        if (_variants > 1 && _world.FreeInGoal is null)
            throw new ArgumentException(
                $"evaluation.plan.goalVariants = {config.GoalVariants}: world '{world.Spec.Kind}' leaves nothing of " +
                "its goal free (its goal state is the task); set it to 0");
        if (model is IPessimisticModel pessimistic)
        {
            if (config.Pessimism > 0 && pessimistic.WhyNoUncertainty is { } why)
                throw new ArgumentException(
                    $"evaluation.plan.pessimism = {config.Pessimism}: {model.Name} {why}; set it to 0");
            pessimistic.Pessimism = config.Pessimism;
        }
        if (model is IBlurredCostModel blurred)
        {
            if (config.LatentBlur.Length > 0 && blurred.WhyNoMap is { } why)
                throw new ArgumentException(
                    $"evaluation.plan.latentBlur = [{string.Join(", ", config.LatentBlur)}]: {model.Name} {why}; " +
                    "set it to [] or train a spatial latent (model.latent = spatial)");
            blurred.LatentBlur = config.LatentBlur;
        }
        model.SetGoals(Goals(Enumerable.Range(0, _e).ToArray()));
        _goalsFor = _e;
        // A hierarchical model's low level plans lowHorizon steps toward its subgoal; its high level looks the planner
        // horizon ahead in jumps of k.
        _hier = model as IHierarchicalPlanningModel;
        _lowHorizon = _hier is null ? _hMax
            : config.Hierarchy.LowHorizon > 0 ? config.Hierarchy.LowHorizon
            : _hier.Skip;
        _stride = Math.Max(_hMax, _lowHorizon);
        _plans = new float[_e * _stride * _a]; // warm starts, shifted after each execution
        _m = _hier?.MacroDim ?? 0;
        _hhMax = _hier is null ? 0 : Math.Max(1, (_hMax + _hier.Skip - 1) / _hier.Skip);
        _highPlanner = _hier is null ? null : config.Hierarchy.Planner.Create(_hier.MacroLimit);
        _highPlans = new float[_e * _hhMax * _m];
        _sinceShift = new int[_e];
        _replans = new int[_e];
        _warmSteps = new int[_e];
        _done = new bool[_e];
        _stoppedAt = new int[_e];
        _states = new float[_e * _sd];
        _step = new float[_e * _a];
    }

    /// <summary>Steps taken so far.</summary>
    public int T { get; private set; }

    /// <summary>Every episode has succeeded or spent its budget.</summary>
    public bool Finished => T >= _budget || _done.All(d => d);

    /// <summary>The simulator's current state, Count × StateDim.</summary>
    public float[] States()
    {
        var s = new float[_e * _sd];
        _sim.CopyState(s);
        return s;
    }

    /// <summary>Current distance of each episode's success point to its goal.</summary>
    public IReadOnlyList<float> Distance => _tracker.Distance;

    /// <summary>
    /// The share of the batch done: finished episodes count 1, running ones the share of their budget used.
    /// </summary>
    public double Progress => Enumerable.Range(0, _e)
        .Sum(i => _done[i] ? 1.0 : Math.Min(1.0, (double)T / _episodes[i].Budget));

    /// <summary>
    /// One replan: plan for the running episodes from their observation, then execute the first actions.
    /// </summary>
    public MpcStep Step()
    {
        if (Finished) throw new InvalidOperationException("the batch has finished; read its Results()");
        int t = T;
        var active = Enumerable.Range(0, _e).Where(i => !_done[i]).ToArray();
        int h = Math.Min(_hMax, _budget - t), e = _e, a = _a, sd = _sd, ld = _ld, stride = _stride;

        // Plan for the active episodes only, from their current observation.
        _sim.CopyState(_states);
        var activeStates = active.SelectMany(i => _states.AsSpan(i * sd, sd).ToArray()).ToArray();
        var activeLayouts = active.SelectMany(i => _layouts.AsSpan(i * ld, ld).ToArray()).ToArray();
        var sw = Stopwatch.StartNew();
        if (active.Length != _goalsFor)
        {
            // the batch shrank: goals of the episodes still running
            _model.SetGoals(Goals(active));
            _goalsFor = active.Length;
        }
        _model.Observe(Observe(activeStates, activeLayouts, active.Length));
        ulong seed = Rng.Derive((ulong)_config.Seed, _stream, (ulong)t);
        var high = _hier is null ? null : PlanHigh(active, h, Rng.Mix(seed + 1));
        if (_hier is not null) h = Math.Min(_lowHorizon, _budget - t);
        var plan = new float[active.Length * h * a];
        for (int j = 0; j < active.Length; j++)
            _plans.AsSpan(active[j] * stride * a, h * a).CopyTo(plan.AsSpan(j * h * a));
        // A model with a policy starts the search from its proposal (the warm start is then the search's to find), or
        // has it executed as it is.
        var proposing = _hier is null ? _model as IProposingModel : null;
        var warm = _config.ProposalAverage > 0 ? (float[])plan.Clone() : null;
        bool proposed = proposing is not null && proposing.Propose(plan, h);
        bool executed = proposed && proposing!.ExecutesProposal;
        if (executed && warm is not null) AverageWithWarm(plan, warm, active, h);
        var found = executed
            ? Unsearched(plan, active.Length, h)
            : _planner.Plan(_model, plan, active.Length, h, a, seed);
        _planSeconds += sw.Elapsed.TotalSeconds;
        for (int j = 0; j < active.Length; j++)
        {
            plan.AsSpan(j * h * a, h * a).CopyTo(_plans.AsSpan(active[j] * stride * a));
            _replans[active[j]]++;
        }
        var result = new MpcStep(
            Step: t,
            States: (float[])_states.Clone(),
            Active: _done.Select(d => !d).ToArray(),
            Plan: found,
            PlannedActions: plan,
            PlannerHorizon: h,
            High: high);

        // Execute the first actions of each plan on the real simulator.
        int k = Math.Min(_config.ReplanEvery, Math.Min(h, _budget - t));
        for (int s = 0; s < k; s++)
        {
            for (int i = 0; i < e; i++)
            {
                bool move = !_done[i] && t < _episodes[i].Budget;
                for (int j = 0; j < a; j++) _step[a * i + j] = move ? _plans[(i * stride + s) * a + j] : 0;
            }
            _sim.Step(_step);
            t++;
            _tracker.Update(t);
            for (int i = 0; i < e; i++)
            {
                if (_done[i]) continue;
                _minDistance[i] = Math.Min(_minDistance[i], _tracker.Distance[i]);
                if (_tracker.Strict(i) || t >= _episodes[i].Budget) { _done[i] = true; _stoppedAt[i] = t; }
            }
        }
        T = t;
        // Warm start: shift each plan by the executed actions; the tail starts at zero. A high plan shifts by a
        // macro-action once k steps of it have been executed.
        foreach (int i in active) _warmSteps[i] = h;
        for (int i = 0; i < e; i++)
        {
            var p = _plans.AsSpan(i * stride * a, stride * a);
            p[(k * a)..].CopyTo(p);
            p[((stride - k) * a)..].Clear();
            _warmSteps[i] = Math.Max(0, _warmSteps[i] - k);
            if (_hier is null) continue;
            for (_sinceShift[i] += k; _sinceShift[i] >= _hier.Skip; _sinceShift[i] -= _hier.Skip)
            {
                var q = _highPlans.AsSpan(i * _hhMax * _m, _hhMax * _m);
                q[_m..].CopyTo(q);
                q[((_hhMax - 1) * _m)..].Clear();
            }
        }
        return result;
    }

    /// <summary>
    /// The high level's replan for the active episodes: macro-actions looking <paramref name="h"/> steps ahead in
    /// jumps of k, warm-started from the shifted last plan; then the low level aims at the subgoals.
    /// </summary>
    private HighLevelStep PlanHigh(int[] active, int h, ulong seed)
    {
        var hier = _hier!;
        int macroSteps = Math.Min(_hhMax, Math.Max(1, (h + hier.Skip - 1) / hier.Skip)), m = _m;
        var plan = new float[active.Length * macroSteps * m];
        for (int j = 0; j < active.Length; j++)
            _highPlans.AsSpan(active[j] * _hhMax * m, macroSteps * m).CopyTo(plan.AsSpan(j * macroSteps * m));
        var found = _highPlanner!.Plan(hier.High, plan, active.Length, macroSteps, m, seed);
        for (int j = 0; j < active.Length; j++)
            plan.AsSpan(j * macroSteps * m, macroSteps * m).CopyTo(_highPlans.AsSpan(active[j] * _hhMax * m));
        var aimAtGoal = hier.AimAt(plan, macroSteps);
        return new HighLevelStep(found, plan, macroSteps, aimAtGoal);
    }

    /// <summary>
    /// Temporal ensembling: each step of a proposal that the last plan also covers becomes
    /// (1 − w) × proposal + w × last plan, w = <see cref="MpcConfig.ProposalAverage"/>.
    /// </summary>
    private void AverageWithWarm(float[] plan, float[] warm, int[] active, int h)
    {
        float w = _config.ProposalAverage;
        for (int j = 0; j < active.Length; j++)
        {
            int covered = Math.Min(h, _warmSteps[active[j]]) * _a, at = j * h * _a;
            for (int x = at; x < at + covered; x++) plan[x] = (1 - w) * plan[x] + w * warm[x];
        }
    }

    /// <summary>What a plan executed without search costs, as a search's one iteration would report it.</summary>
    private PlanResult Unsearched(float[] plan, int episodes, int h)
    {
        var costs = new float[episodes];
        _model.Score(plan, 1, h, costs);
        return new PlanResult(costs, [.. costs.Select(c => new[] { c })]);
    }

    /// <summary>Each episode's outcome (planning time: the batch's divided by its episodes).</summary>
    public EpisodeResult[] Results()
    {
        var stoppedAt = _stoppedAt.Select((s, i) => _done[i] ? s : _budget).ToArray();
        return _episodes.Select((x, i) => new EpisodeResult(
            Episode: x.Id,
            Kind: x.Kind,
            TaskSteps: x.TaskSteps,
            Budget: x.Budget,
            Strict: _tracker.Strict(i),
            Loose: _tracker.Loose(i),
            StrictStep: _tracker.StrictStep[i],
            LooseStep: _tracker.LooseStep[i],
            Steps: stoppedAt[i],
            FinalDistance: _tracker.Distance[i],
            MinDistance: _minDistance[i],
            Replans: _replans[i],
            PlanSeconds: _planSeconds / _e)).ToArray();
    }

    /// <summary>Renders what the agents see (frames) and keeps the true states for the oracle.</summary>
    private Observations Observe(float[] states, float[] layouts, int count) =>
        new(count, _renderer.Format, _scenes.Render(_renderer, states, layouts, count), states, layouts);

    /// <summary>The goal observations of some episodes: one each, or their goal variants one after another.</summary>
    private Observations Goals(int[] episodes)
    {
        int k = _variants, sd = _sd, ld = _ld;
        var states = new float[episodes.Length * k * sd];
        var layouts = new float[episodes.Length * k * ld];
        for (int j = 0; j < episodes.Length; j++)
        {
            var episode = _episodes[episodes[j]];
            for (int v = 0; v < k; v++)
            {
                (k == 1 ? episode.Goal : _world.GoalVariant(episode, v, k)).CopyTo(states.AsSpan((j * k + v) * sd, sd));
                episode.Layout.CopyTo(layouts.AsSpan((j * k + v) * ld, ld));
            }
        }
        return Observe(states, layouts, episodes.Length * k) with { Variants = k };
    }
}
