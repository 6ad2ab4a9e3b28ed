using System.Collections.Concurrent;
using System.Diagnostics;
using WorldModel.Plan.Evaluation;
using WorldModel.Plan.Mpc;
using WorldModel.Plan.Planners;
using WorldModel.Render;
using WorldModel.Render.Cpu;
using WorldModel.Sim;
using WorldModel.Worlds.TwoRooms;

namespace WorldModel.Demo;

/// <summary>
/// One agent in one Two-Rooms world, planned step by step by the shared MPC loop (<see cref="MpcLoop"/>:
/// plan, execute the first action, replan); a goal, agent, layout or settings change starts a new loop
/// from where the agent stands. Everything that touches the simulator, the renderer or torch runs on this session's own
/// thread; web requests only post commands and read the latest immutable <see cref="DemoSnapshot"/>,
/// so a slow client never stalls the simulation and planning never blocks a request.
/// </summary>
public sealed class DemoSession : IDisposable
{
    public const int Budget = 200, DisplaySize = 256, CandidatesShown = PlanExplainer.CandidatesShown;
    /// <summary>At most this many steps per second, so a fast model (the oracle) stays watchable.</summary>
    public const double MaxStepsPerSecond = 20;
    private static readonly float SuccessRadius = MathF.Sqrt(2f); // PLDM's strict threshold

    private readonly DemoModels _models;
    private readonly SceneBuilder _scenes, _display;
    private readonly IRenderer _renderer, _displayRenderer;
    private readonly BlockingCollection<Action> _commands = new();
    private readonly Thread _thread;
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<string, CandidateRecorder> _planning = new();
    private readonly PlanExplainer _explainer;
    private readonly List<float> _trail = new();
    private readonly ulong _seed;

    private TwoRoomsLayout _layout;
    private float _agentX, _agentY, _goalX, _goalY;
    private long _version;
    private int _step, _layoutDraws, _loops;
    private bool _running, _stepOnce;
    private string _status = "ready", _message = "";
    private MpcLoop? _loop; // null until the next step: it starts from where the agent stands
    private DemoSettings _settings;
    private PlanView _view = PlanView.Empty;
    private DemoSnapshot _latest = null!;
    private (float X, float Y, TwoRoomsLayout Layout)? _frameFor; // the display frame is redrawn only when the world changed
    private string _frameUrl = "";
    private System.Runtime.CompilerServices.StrongBox<TwoRoomsLayout> _publishedLayout = new();

    public DemoSession(DemoModels models, DemoSettings settings, ulong seed = 0)
    {
        if (settings.Problem(models.Names) is { } problem) throw new ArgumentException(problem);
        _models = models;
        _settings = settings;
        _seed = seed;
        _scenes = new SceneBuilder(models.World, models.Render);
        _renderer = new CpuRasterizer(_scenes.Format);
        // What people see: the same renderer, large and in colour.
        _display = new SceneBuilder(models.World, DisplayRender(models.Render));
        _displayRenderer = new CpuRasterizer(_display.Format);
        ulong rng = seed;
        _layout = TwoRoomsLayout.Create(models.World.Layout, ref rng, models.World.BorderLow, models.World.BorderHigh);
        _explainer = new PlanExplainer(models, _scenes, _renderer);
        ResetPositions();
        Publish();
        _thread = new Thread(Loop) { IsBackground = true, Name = "demo-session" };
        _thread.Start();
    }

    public DemoModels Models => _models;

    /// <summary>How people see the world: large, in colour, the agent at most 2.5 units wide so paths stay visible.</summary>
    public static RenderConfig DisplayRender(RenderConfig model) =>
        model with { Size = DisplaySize, Layout = ObservationLayout.Rgb, PointRadius = Math.Min(model.PointRadius, 2.5f) };
    public TwoRoomsConfig World => _models.World;
    public DemoSnapshot Latest => Volatile.Read(ref _latest);

    // ---- commands (any thread); validation happens in the caller, mutation on the session thread ----

    /// <summary>Null if (x, y) is a place the agent or the goal may be, else why not.</summary>
    public string? PositionProblem(float x, float y)
    {
        var w = World;
        if (!float.IsFinite(x) || !float.IsFinite(y)) return "x and y must be numbers";
        if (!DemoFrames.IsFree(w, Volatile.Read(ref _publishedLayout).Value, x, y))
            return $"({x:F1}, {y:F1}) is outside the free arena: x and y must lie in [{w.BorderLow + 1}, {w.BorderHigh - 1}] and off the wall";
        return null;
    }

    public void SetGoal(float x, float y) => Post(() => { _goalX = x; _goalY = y; Restart("goal set"); });
    public void MoveAgent(float x, float y) => Post(() => { (_agentX, _agentY) = (x, y); Restart("agent moved"); });
    public void NewLayout() => Post(() =>
    {
        ulong rng = Rng.Derive(_seed, (ulong)++_layoutDraws, 11);
        _layout = TwoRoomsLayout.Create(World.Layout is FixedLayoutConfig ? new RandomLayoutConfig() : World.Layout, ref rng, World.BorderLow, World.BorderHigh);
        ResetPositions();
        Restart(World.Layout is FixedLayoutConfig
            ? "new layout: the learned models were trained on one fixed layout, so expect them to fail here (the oracles still work)"
            : "new layout");
    });
    public void Run() => Post(() => { if (Finished) Restart(""); _running = true; _status = "running"; });
    public void Pause() => Post(() => { if (_running) { _running = false; _status = "paused"; } });
    public void StepOnce() => Post(() => { if (Finished) Restart(""); _running = false; _stepOnce = true; });
    public void Reset() => Post(() => { ResetPositions(); Restart("reset"); });
    public void Apply(DemoSettings settings) => Post(() =>
    {
        _loop = null; // the next step plans with the new settings from where the agent stands
        _settings = settings;
        _message = $"settings: {settings.Model}, {settings.Planner}, H = {settings.Horizon}, {settings.Samples} samples";
    });

    /// <summary>
    /// Runs until the goal is reached, the budget is spent or <paramref name="maxSteps"/> steps, on the
    /// session thread after every command posted before it; <paramref name="onStep"/> sees the start and each step.
    /// </summary>
    public void RunBlocking(Action<DemoSnapshot>? onStep, int maxSteps = Budget, CancellationToken cancel = default)
    {
        var done = new ManualResetEventSlim();
        Exception? failure = null;
        Post(() =>
        {
            try
            {
                if (Finished) Restart("");
                _status = "running";
                Publish();
                onStep?.Invoke(Latest); // the start, after every command posted before this call
                for (int i = 0; i < maxSteps && !Finished; i++)
                {
                    cancel.ThrowIfCancellationRequested();
                    PlanAndAct();
                    Publish();
                    onStep?.Invoke(Latest);
                }
                if (!Finished)
                {
                    _status = "paused";
                    _message = $"stopped after {maxSteps} steps, {Distance():F1} px from the goal";
                    Publish();
                }
            }
            catch (Exception e) { failure = e; }
            finally { done.Set(); }
        });
        done.Wait(cancel);
        if (failure is not null) throw new InvalidOperationException($"the episode stopped at step {Latest.Step}: {failure.Message}", failure);
    }

    private bool Finished => _status is "reached" or "out of steps";

    private void Post(Action command)
    {
        if (!_commands.IsAddingCompleted) _commands.Add(command);
    }

    // ---- the session thread ----

    private void Loop()
    {
        var pace = Stopwatch.StartNew();
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                bool acting = _running || _stepOnce;
                if (_commands.TryTake(out var command, acting ? 0 : 100, _stop.Token))
                {
                    command();
                    while (_commands.TryTake(out command)) command();
                    Publish();
                    continue;
                }
                if (!acting) continue;
                double wait = 1000 / MaxStepsPerSecond - pace.Elapsed.TotalMilliseconds;
                if (wait > 0) Thread.Sleep(TimeSpan.FromMilliseconds(wait));
                pace.Restart();
                _stepOnce = false;
                PlanAndAct();
                Publish();
            }
            catch (OperationCanceledException) { break; }
            catch (Exception e)
            {
                // Never let one bad step end the session: show it and stop running.
                _running = false;
                _stepOnce = false;
                _status = "error";
                _message = e.Message;
                Publish();
            }
        }
    }

    private float[] LayoutValues()
    {
        var v = new float[TwoRoomsLayout.Dim];
        _layout.WriteTo(v);
        return v;
    }

    /// <summary>Agent in the first room, goal in the same room: a task the shipped models can do, to start with.</summary>
    private void ResetPositions()
    {
        float lo = World.BorderLow, hi = World.BorderHigh, mid = (_layout.WallLow + _layout.WallHigh) / 2;
        bool vertical = _layout.Orientation == WallOrientation.Vertical;
        float roomCentre = (lo + mid) / 2;
        // About 8 px apart: within the reach of the small shipped models (the quickstart's JEPA solves
        // most same-room tasks of up to ~12 expert steps and fails across the wall).
        (float ax, float ay) = vertical ? (roomCentre - 6, (lo + hi) / 2 + 10) : ((lo + hi) / 2 + 10, roomCentre - 6);
        (_goalX, _goalY) = vertical ? (roomCentre, (lo + hi) / 2 + 4) : ((lo + hi) / 2 + 4, roomCentre);
        (_agentX, _agentY) = (ax, ay);
    }

    private void Restart(string message)
    {
        _step = 0;
        _running = false;
        _stepOnce = false;
        _loop = null;
        _trail.Clear();
        _trail.AddRange([_agentX, _agentY]);
        _view = PlanView.Empty;
        _status = "ready";
        _message = message;
    }

    private CandidateRecorder PlanningModel(string name)
    {
        if (!_planning.TryGetValue(name, out var model)) _planning[name] = model = new CandidateRecorder(_models.Create(name));
        return model;
    }

    /// <summary>A loop from where the agent stands to the goal, with the current settings and the steps left.</summary>
    private MpcLoop NewLoop(CandidateRecorder model)
    {
        var settings = _settings;
        PlannerConfig planner = settings.Planner == "cem"
            ? new CemConfig { Samples = settings.Samples, Iterations = settings.Iterations, Elites = Math.Max(2, settings.Samples / 8) }
            : new MppiConfig { Samples = settings.Samples, Iterations = settings.Iterations };
        var mpc = new MpcConfig { Planner = planner, Horizon = settings.Horizon, ReplanEvery = 1, BatchEpisodes = 1, Seed = (long)(_seed & long.MaxValue) };
        var episode = new PlanEpisode(0, "", LayoutValues(), [_agentX, _agentY], [_goalX, _goalY], Budget - _step, 0);
        return new MpcLoop(World, _renderer, _scenes, mpc, model, [episode], stream: (ulong)++_loops);
    }

    /// <summary>One MPC step of the shared loop: observe, plan H steps ahead, execute the first action; then explain the plan.</summary>
    private void PlanAndAct()
    {
        string name = _settings.Model;
        var model = PlanningModel(name);
        _loop ??= NewLoop(model);
        // Show each iteration as it is scored: what the planner considers, and its best cost so far.
        var bestSoFar = new List<float>();
        var means = new List<float>();
        model.Scored = () =>
        {
            var finite = model.LastCosts.Where(float.IsFinite).DefaultIfEmpty(float.NaN).ToArray();
            bestSoFar.Add(Math.Min(bestSoFar.Count > 0 ? bestSoFar[^1] : float.PositiveInfinity, finite.Min()));
            means.Add(finite.Average());
            _view = _view with { Candidates = _explainer.Candidates(model, _agentX, _agentY), Costs = bestSoFar.ToArray(), MeanCosts = means.ToArray() };
            Publish();
        };
        var sw = Stopwatch.StartNew();
        MpcStep step;
        try { step = _loop.Step(); }
        finally { model.Scored = null; }
        double planMs = sw.Elapsed.TotalMilliseconds;
        _view = _explainer.Explain(name, model, step.States, LayoutValues(), step.PlannedActions!, step.Horizon, step.Plan!, planMs) with { MeanCosts = means.ToArray() };

        var now = _loop.States();
        (_agentX, _agentY) = (now[0], now[1]);
        _step++;
        _trail.AddRange([_agentX, _agentY]);
        if (!_loop.Finished) _status = _running ? "running" : "paused";
        else if (_loop.Results()[0].Strict) { _status = "reached"; _running = false; _message = $"goal reached in {_step} steps"; }
        else { _status = "out of steps"; _running = false; _message = $"not reached within {Budget} steps"; }
    }

    private float Distance() => MathF.Sqrt((_agentX - _goalX) * (_agentX - _goalX) + (_agentY - _goalY) * (_agentY - _goalY));

    private void Publish()
    {
        var layout = LayoutValues();
        float[] agent = [_agentX, _agentY];
        if (_frameFor is not { } f || f.X != agent[0] || f.Y != agent[1] || f.Layout != _layout)
        {
            _frameUrl = PlanExplainer.DataUrl(_display.Render(_displayRenderer, agent, layout, 1), DisplaySize);
            _frameFor = (agent[0], agent[1], _layout);
        }
        Volatile.Write(ref _publishedLayout, new(_layout));
        var walls = new float[8];
        _layout.WallPieces(World.BorderLow, World.BorderHigh, walls);
        Volatile.Write(ref _latest, new DemoSnapshot(
            ++_version, _status, _running, _step, Budget, agent, [_goalX, _goalY], Distance(), SuccessRadius,
            [World.BorderLow, World.BorderHigh], walls, layout, _frameUrl, _trail.ToArray(),
            _view.Path, _view.Source, _view.Candidates, _view.Costs, _view.MeanCosts, _view.PlanMilliseconds, _view.RealFrame, _view.Imagined,
            _settings, _models.Names, _message));
    }

    public void Dispose()
    {
        _stop.Cancel();
        _commands.CompleteAdding();
        if (_thread.IsAlive && Thread.CurrentThread != _thread) _thread.Join(TimeSpan.FromSeconds(10));
        foreach (var m in _planning.Values) m.Dispose();
        _explainer.Dispose();
        _renderer.Dispose();
        _displayRenderer.Dispose();
    }
}
