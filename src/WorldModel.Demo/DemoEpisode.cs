using System.Diagnostics;
using WorldModel.Plan.Evaluation;
using WorldModel.Plan.Mpc;
using WorldModel.Render;
using WorldModel.Sim;
using WorldModel.Sim.Worlds;
using WorldModel.Worlds;

namespace WorldModel.Demo;

/// <summary>
/// The world the demo shows and the agent's episode in it: layout, agent, goal, the shared MPC loop
/// (<see cref="MpcLoop"/>), the trail and the last plan's explanation. A goal, agent, layout or
/// settings change starts a new loop from where the agent stands. Used on the session thread only.
/// </summary>
internal sealed class DemoEpisode(DemoModels models, SceneBuilder scenes, IRenderer renderer, ulong seed) : IDisposable
{
    private readonly Dictionary<(string Name, bool TwoLevel), CandidateRecorder> _planning = new();
    private readonly PlanExplainer _explainer = new(models, scenes, renderer);
    private readonly List<float> _trail = new();
    public DemoExplorer Explorer { get; } = new(models, scenes, renderer);
    private MpcLoop? _loop; // null until the next step
    private int _layoutDraws, _loops;

    /// <summary>The layout's values (the world's LayoutDim floats); replaced, never changed in place.</summary>
    public float[] Layout { get; private set; } = models.Shown.FirstLayout(seed);
    public float AgentX { get; private set; }
    public float AgentY { get; private set; }
    public float GoalX { get; private set; }
    public float GoalY { get; private set; }
    public int Step { get; private set; }
    public bool Reached { get; private set; }
    public bool Finished => Reached || Step >= DemoSession.Budget;
    public float[] Trail => _trail.ToArray();
    public PlanView View { get; private set; } = PlanView.Empty;
    public float Distance => MathF.Sqrt((AgentX - GoalX) * (AgentX - GoalX) + (AgentY - GoalY) * (AgentY - GoalY));

    private WorldConfig World => models.World;
    private IDemoWorld Shown => models.Shown;

    public void SetGoal(float x, float y) { (GoalX, GoalY) = (x, y); Restart(); }
    public void MoveAgent(float x, float y) { (AgentX, AgentY) = (x, y); Restart(); }

    /// <summary>A new goal while exploring: a new loop from here, keeping the trail and the steps taken.</summary>
    public void Retarget(float x, float y) => (GoalX, GoalY, Reached, _loop) = (x, y, false, null);

    /// <summary>
    /// Another wall and door (random even when the models were trained on a fixed one), agent and goal reset.
    /// </summary>
    public void NewLayout()
    {
        ulong rng = Rng.Derive(seed, (ulong)++_layoutDraws, 11);
        Layout = Shown.OtherLayout(ref rng);
        ResetPositions();
    }

    /// <summary>Back to the layout the demo opened on (the training layout when the models had one).</summary>
    public void FirstLayout()
    {
        Layout = Shown.FirstLayout(seed);
        ResetPositions();
    }

    /// <summary>
    /// The world's first task (Two-Rooms: agent and goal in the first room), one the shipped models can do.
    /// </summary>
    public void ResetPositions()
    {
        (AgentX, AgentY, GoalX, GoalY) = Shown.FirstTask(Layout);
        Explorer.Reset();
        Restart();
    }

    /// <summary>Step 0 from where the agent stands.</summary>
    public void Restart()
    {
        Step = 0;
        Reached = false;
        _loop = null;
        _trail.Clear();
        _trail.AddRange([AgentX, AgentY]);
        View = PlanView.Empty;
    }

    /// <summary>
    /// The next step plans with new settings, from where the agent stands; switched to explore mode, the explorer
    /// starts afresh here and picks a target at once, so the page shows the heatmap before the first step.
    /// </summary>
    public void SettingsChanged(bool startExploring)
    {
        _loop = null;
        if (!startExploring) return;
        Explorer.Reset();
        Explorer.Update(this);
    }

    /// <summary>
    /// One step of the loop: observe, plan H steps ahead, execute the first action; then explain the plan.
    /// </summary>
    /// <param name="onIteration">
    /// Called after each planner iteration, with the explanation so far (candidates and costs).
    /// </param>
    public void PlanAndAct(DemoSettings settings, Action onIteration)
    {
        bool exploring = settings.Mode == DemoSettings.Explore;
        if (exploring) Explorer.Update(this);
        var model = PlanningModel(settings);
        _loop ??= NewLoop(settings, model);
        // Show each iteration as it is scored: what the planner considers, and its best cost so far.
        var bestSoFar = new List<float>();
        var means = new List<float>();
        model.Scored = () =>
        {
            var finite = model.LastCosts.Where(float.IsFinite).DefaultIfEmpty(float.NaN).ToArray();
            bestSoFar.Add(Math.Min(bestSoFar.Count > 0 ? bestSoFar[^1] : float.PositiveInfinity, finite.Min()));
            means.Add(finite.Average());
            View = View with
            {
                Candidates = _explainer.Candidates(model, AgentX, AgentY),
                Costs = bestSoFar.ToArray(),
                MeanCosts = means.ToArray()
            };
            onIteration();
        };
        var sw = Stopwatch.StartNew();
        MpcStep step;
        try { step = _loop.Step(); }
        finally { model.Scored = null; }
        double planMs = sw.Elapsed.TotalMilliseconds;
        View = _explainer.Explain(settings.Model, model, step.States, Layout, step.PlannedActions!, step.PlannerHorizon,
            step.Plan!, planMs, step.High) with { MeanCosts = means.ToArray() };

        (AgentX, AgentY) = Shown.AgentAt(_loop.States());
        Step++;
        _trail.AddRange([AgentX, AgentY]);
        Reached = _loop.Finished && _loop.Results()[0].Strict;
        if (exploring) Explorer.Update(this); // a target reached is no end: the next one is chosen at once
    }

    /// <summary>
    /// A loop from where the agent stands to the goal, with these settings and the steps left. In two levels the
    /// horizon is the high level's look-ahead and the low level plans k steps toward the subgoal; a learned high
    /// level searches as the evaluation does (HierarchyPlanConfig's default), the oracle's with the page's planner.
    /// </summary>
    private MpcLoop NewLoop(DemoSettings settings, CandidateRecorder model)
    {
        var planner = settings.CreatePlanner();
        var mpc = new MpcConfig
        {
            Planner = planner,
            Hierarchy = models.Trained(settings.Model) is null
                ? new HierarchyPlanConfig { Planner = planner }
                : new HierarchyPlanConfig(),
            PlannerHorizon = settings.PlannerHorizon,
            ReplanEvery = 1,
            BatchEpisodes = 1,
            Seed = (long)(seed & long.MaxValue),
        };
        var episode = new PlanEpisode(
            Id: 0,
            Kind: "",
            Layout: Layout,
            Start: Shown.StateAt(AgentX, AgentY),
            Goal: Shown.StateAt(GoalX, GoalY),
            Budget: DemoSession.Budget - Step,
            TaskSteps: 0);
        return new MpcLoop(World, renderer, scenes, mpc, model, [episode], stream: (ulong)++_loops);
    }

    private CandidateRecorder PlanningModel(DemoSettings settings)
    {
        var key = (settings.Model, settings.TwoLevel);
        if (!_planning.TryGetValue(key, out var model))
            _planning[key] = model = CandidateRecorder.Wrap(models.Create(settings.Model, settings.TwoLevel));
        return model;
    }

    public void Dispose()
    {
        foreach (var m in _planning.Values) m.Dispose();
        _explainer.Dispose();
    }
}
