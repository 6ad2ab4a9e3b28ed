using System.Diagnostics;
using WorldModel.Plan.Evaluation;
using WorldModel.Plan.Mpc;
using WorldModel.Render;
using WorldModel.Sim;
using WorldModel.Worlds.TwoRooms;

namespace WorldModel.Demo;

/// <summary>
/// The world the demo shows and the agent's episode in it: layout, agent, goal, the shared MPC loop
/// (<see cref="MpcLoop"/>), the trail and the last plan's explanation. A goal, agent, layout or
/// settings change starts a new loop from where the agent stands. Used on the session thread only.
/// </summary>
internal sealed class DemoEpisode(DemoModels models, SceneBuilder scenes, IRenderer renderer, ulong seed) : IDisposable
{
    private readonly Dictionary<string, CandidateRecorder> _planning = new();
    private readonly PlanExplainer _explainer = new(models, scenes, renderer);
    private readonly List<float> _trail = new();
    private MpcLoop? _loop; // null until the next step
    private int _layoutDraws, _loops;

    public TwoRoomsLayout Layout { get; private set; } = FirstLayout(models.World, seed);
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

    private TwoRoomsConfig World => models.World;

    private static TwoRoomsLayout FirstLayout(TwoRoomsConfig world, ulong seed) => TwoRoomsLayout.Create(world.Layout, ref seed, world.BorderLow, world.BorderHigh);

    public float[] LayoutValues()
    {
        var v = new float[TwoRoomsLayout.Dim];
        Layout.WriteTo(v);
        return v;
    }

    public void SetGoal(float x, float y) { (GoalX, GoalY) = (x, y); Restart(); }
    public void MoveAgent(float x, float y) { (AgentX, AgentY) = (x, y); Restart(); }

    /// <summary>Another wall and door (random even when the models were trained on a fixed one), agent and goal reset.</summary>
    public void NewLayout()
    {
        ulong rng = Rng.Derive(seed, (ulong)++_layoutDraws, 11);
        Layout = TwoRoomsLayout.Create(World.Layout is FixedLayoutConfig ? new RandomLayoutConfig() : World.Layout, ref rng, World.BorderLow, World.BorderHigh);
        ResetPositions();
    }

    /// <summary>Agent in the first room, goal in the same room: a task the shipped models can do, to start with.</summary>
    public void ResetPositions()
    {
        float lo = World.BorderLow, hi = World.BorderHigh, mid = (Layout.WallLow + Layout.WallHigh) / 2;
        bool vertical = Layout.Orientation == WallOrientation.Vertical;
        float roomCentre = (lo + mid) / 2;
        // About 8 px apart: within the reach of the small shipped models (the quickstart's JEPA solves
        // most same-room tasks of up to ~12 expert steps and fails across the wall).
        (AgentX, AgentY) = vertical ? (roomCentre - 6, (lo + hi) / 2 + 10) : ((lo + hi) / 2 + 10, roomCentre - 6);
        (GoalX, GoalY) = vertical ? (roomCentre, (lo + hi) / 2 + 4) : ((lo + hi) / 2 + 4, roomCentre);
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

    /// <summary>The next step plans with new settings, from where the agent stands.</summary>
    public void SettingsChanged() => _loop = null;

    /// <summary>One step of the loop: observe, plan H steps ahead, execute the first action; then explain the plan.</summary>
    /// <param name="onIteration">Called after each planner iteration, with the explanation so far (candidates and costs).</param>
    public void PlanAndAct(DemoSettings settings, Action onIteration)
    {
        var model = PlanningModel(settings.Model);
        _loop ??= NewLoop(settings, model);
        // Show each iteration as it is scored: what the planner considers, and its best cost so far.
        var bestSoFar = new List<float>();
        var means = new List<float>();
        model.Scored = () =>
        {
            var finite = model.LastCosts.Where(float.IsFinite).DefaultIfEmpty(float.NaN).ToArray();
            bestSoFar.Add(Math.Min(bestSoFar.Count > 0 ? bestSoFar[^1] : float.PositiveInfinity, finite.Min()));
            means.Add(finite.Average());
            View = View with { Candidates = _explainer.Candidates(model, AgentX, AgentY), Costs = bestSoFar.ToArray(), MeanCosts = means.ToArray() };
            onIteration();
        };
        var sw = Stopwatch.StartNew();
        MpcStep step;
        try { step = _loop.Step(); }
        finally { model.Scored = null; }
        double planMs = sw.Elapsed.TotalMilliseconds;
        View = _explainer.Explain(settings.Model, model, step.States, LayoutValues(), step.PlannedActions!, step.PlannerHorizon, step.Plan!, planMs) with { MeanCosts = means.ToArray() };

        var now = _loop.States();
        (AgentX, AgentY) = (now[0], now[1]);
        Step++;
        _trail.AddRange([AgentX, AgentY]);
        Reached = _loop.Finished && _loop.Results()[0].Strict;
    }

    /// <summary>A loop from where the agent stands to the goal, with these settings and the steps left.</summary>
    private MpcLoop NewLoop(DemoSettings settings, CandidateRecorder model)
    {
        var mpc = new MpcConfig { Planner = settings.CreatePlanner(), PlannerHorizon = settings.PlannerHorizon, ReplanEvery = 1, BatchEpisodes = 1, Seed = (long)(seed & long.MaxValue) };
        var episode = new PlanEpisode(0, "", LayoutValues(), [AgentX, AgentY], [GoalX, GoalY], DemoSession.Budget - Step, 0);
        return new MpcLoop(World, renderer, scenes, mpc, model, [episode], stream: (ulong)++_loops);
    }

    private CandidateRecorder PlanningModel(string name)
    {
        if (!_planning.TryGetValue(name, out var model)) _planning[name] = model = new CandidateRecorder(models.Create(name));
        return model;
    }

    public void Dispose()
    {
        foreach (var m in _planning.Values) m.Dispose();
        _explainer.Dispose();
    }
}
