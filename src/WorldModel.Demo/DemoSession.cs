using System.Collections.Concurrent;
using System.Diagnostics;
using WorldModel.Models;
using WorldModel.Plan.Models;
using WorldModel.Plan.Planners;
using WorldModel.Render;
using WorldModel.Render.Cpu;
using WorldModel.Report;
using WorldModel.Sim;
using WorldModel.Worlds.TwoRooms;
using static TorchSharp.torch;

namespace WorldModel.Demo;

/// <summary>
/// One agent in one Two-Rooms world, planned step by step (MPC: plan, execute the first action,
/// replan). Everything that touches the simulator, the renderer or torch runs on this session's own
/// thread; web requests only post commands and read the latest immutable <see cref="DemoSnapshot"/>,
/// so a slow client never stalls the simulation and planning never blocks a request.
/// </summary>
public sealed class DemoSession : IDisposable
{
    public const int Budget = 200, DisplaySize = 256, CandidatesShown = 32;
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
    private readonly Dictionary<string, long> _goalVersionSeen = new();
    private readonly List<float> _trail = new();
    private readonly ulong _seed;

    private TwoRoomsBatch _sim;
    private TwoRoomsLayout _layout;
    private float _goalX, _goalY;
    private long _goalVersion, _version;
    private int _step, _layoutDraws;
    private bool _running, _stepOnce;
    private string _status = "ready", _message = "";
    private float[] _plan = [];
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
        _sim = NewSim();
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

    public void SetGoal(float x, float y) => Post(() => { _goalX = x; _goalY = y; _goalVersion++; Restart("goal set"); });
    public void MoveAgent(float x, float y) => Post(() => { _sim.Load([x, y], LayoutValues()); Restart("agent moved"); });
    public void NewLayout() => Post(() =>
    {
        ulong rng = Rng.Derive(_seed, (ulong)++_layoutDraws, 11);
        _layout = TwoRoomsLayout.Create(World.Layout is FixedLayoutConfig ? new RandomLayoutConfig() : World.Layout, ref rng, World.BorderLow, World.BorderHigh);
        _sim = NewSim();
        ResetPositions();
        _goalVersion++;
        Restart(World.Layout is FixedLayoutConfig
            ? "new layout: the learned models were trained on one fixed layout, so expect them to fail here (the oracles still work)"
            : "new layout");
    });
    public void Run() => Post(() => { if (Finished) Restart(""); _running = true; _status = "running"; });
    public void Pause() => Post(() => { if (_running) { _running = false; _status = "paused"; } });
    public void StepOnce() => Post(() => { if (Finished) Restart(""); _running = false; _stepOnce = true; });
    public void Reset() => Post(() => { ResetPositions(); _goalVersion++; Restart("reset"); });
    public void Apply(DemoSettings settings) => Post(() =>
    {
        if (settings.Horizon != _settings.Horizon) _plan = [];
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

    private TwoRoomsBatch NewSim()
    {
        var sim = new TwoRoomsBatch(World, 1);
        sim.SetLayout(0, _layout);
        return sim;
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
        _sim.Load([ax, ay], LayoutValues());
    }

    private void Restart(string message)
    {
        _step = 0;
        _running = false;
        _stepOnce = false;
        _plan = [];
        _trail.Clear();
        _trail.AddRange([_sim.X[0], _sim.Y[0]]);
        _view = PlanView.Empty;
        _status = "ready";
        _message = message;
    }

    private CandidateRecorder PlanningModel(string name)
    {
        if (!_planning.TryGetValue(name, out var model)) _planning[name] = model = new CandidateRecorder(_models.Create(name));
        return model;
    }

    private Observations Observe(float x, float y)
    {
        float[] state = [x, y], layout = LayoutValues();
        return new Observations(1, _renderer.Format, _scenes.Render(_renderer, state, layout, 1), state, layout);
    }

    /// <summary>One MPC step: observe, plan H steps ahead, execute the first action.</summary>
    private void PlanAndAct()
    {
        var settings = _settings;
        var model = PlanningModel(settings.Model);
        if (!_goalVersionSeen.TryGetValue(settings.Model, out long seen) || seen != _goalVersion)
        {
            model.SetGoals(Observe(_goalX, _goalY));
            _goalVersionSeen[settings.Model] = _goalVersion;
        }
        var now = Observe(_sim.X[0], _sim.Y[0]);
        model.Observe(now);
        int h = Math.Min(settings.Horizon, Budget - _step);
        var plan = new float[h * 2];
        _plan.AsSpan(0, Math.Min(_plan.Length, plan.Length)).CopyTo(plan);
        PlannerConfig config = settings.Planner == "cem"
            ? new CemConfig { Samples = settings.Samples, Iterations = settings.Iterations, Elites = Math.Max(2, settings.Samples / 8) }
            : new MppiConfig { Samples = settings.Samples, Iterations = settings.Iterations };
        // Show each iteration as it is scored: what the planner considers, and its best cost so far.
        var bestSoFar = new List<float>();
        var means = new List<float>();
        model.Scored = () =>
        {
            var finite = model.LastCosts.Where(float.IsFinite).DefaultIfEmpty(float.NaN).ToArray();
            bestSoFar.Add(Math.Min(bestSoFar.Count > 0 ? bestSoFar[^1] : float.PositiveInfinity, finite.Min()));
            means.Add(finite.Average());
            _view = _view with { Candidates = CandidatePaths(model), Costs = bestSoFar.ToArray(), MeanCosts = means.ToArray() };
            Publish();
        };
        var sw = Stopwatch.StartNew();
        PlanResult found;
        try { found = config.Create(World.MaxStep).Plan(model, plan, 1, h, 2, Rng.Derive(_seed, (ulong)_step, 3)); }
        finally { model.Scored = null; }
        double planMs = sw.Elapsed.TotalMilliseconds;

        _view = Explain(settings.Model, now, plan, h, model, found, planMs) with { MeanCosts = means.ToArray() };

        // Execute the first action on the real simulator; keep the rest as the next warm start.
        _sim.Step(plan.AsSpan(0, 2));
        _step++;
        _trail.AddRange([_sim.X[0], _sim.Y[0]]);
        _plan = plan.AsSpan(2).ToArray();
        float distance = Distance();
        if (distance <= SuccessRadius) { _status = "reached"; _running = false; _message = $"goal reached in {_step} steps"; }
        else if (_step >= Budget) { _status = "out of steps"; _running = false; _message = $"not reached within {Budget} steps"; }
        else if (_running) _status = "running";
        else _status = "paused";
    }

    /// <summary>What the page shows about a plan: the path the model expects, candidates, costs, imagined frames.</summary>
    private PlanView Explain(string name, Observations now, float[] plan, int h, CandidateRecorder recorder, PlanResult found, double planMs)
    {
        float x = _sim.X[0], y = _sim.Y[0];
        float[] path;
        string source;
        var trained = _models.Trained(name);
        if (trained is null)
        {
            // The oracle's expectation is the truth: roll the plan out on a copy of the simulator.
            var copy = NewSim();
            copy.Load([x, y], LayoutValues());
            path = new float[(h + 1) * 2];
            path[0] = x; path[1] = y;
            for (int t = 0; t < h; t++) { copy.Step(plan.AsSpan(t * 2, 2)); path[2 * t + 2] = copy.X[0]; path[2 * t + 3] = copy.Y[0]; }
            source = "simulator";
        }
        else
        {
            using var _ = no_grad();
            using var scope = NewDisposeScope();
            var z0 = trained.Model.Encoder.call(FrameTensors.Frames(now.Frames, now.Format, 1, _models.Device));
            var actions = tensor(plan, [1, h, 2]).to(_models.Device);
            var rollout = trained.Model.Rollout(z0, actions);
            path = trained.Probe.Positions(cat([z0.unsqueeze(1), rollout], 1).squeeze(0));
            source = $"{name} latents read by a linear probe (RMSE {trained.Probe.Rmse:F1} px)";
        }


        // The pixel model's imagined future along the chosen plan, beside the real frame it starts from.
        string? real = null;
        var imagined = Array.Empty<ImaginedFrame>();
        if (_models.PixelModel is { Model.Decoder: not null } pixel)
        {
            using var _ = no_grad();
            using var scope = NewDisposeScope();
            var z0 = pixel.Model.Encoder.call(FrameTensors.Frames(now.Frames, now.Format, 1, _models.Device));
            var rollout = pixel.Model.Rollout(z0, tensor(plan, [1, h, 2]).to(_models.Device));
            int[] ahead = new[] { 1, Math.Max(1, h / 4), Math.Max(1, h / 2), h }.Distinct().ToArray();
            var picked = rollout[0].index_select(0, tensor(ahead.Select(k => (long)k - 1).ToArray()).to(_models.Device));
            var decoded = nn.functional.sigmoid(pixel.Model.Decoder!.call(picked)).cpu();
            int size = _scenes.Format.Size, channels = _scenes.Format.Channels;
            var values = decoded.data<float>().ToArray();
            imagined = ahead.Select((k, i) => new ImaginedFrame(k, DataUrl(DemoFrames.ChannelsToRgb(values.AsSpan(i * channels * size * size, channels * size * size), _scenes.Format), size))).ToArray();
            var realChw = new float[channels * size * size];
            for (int p = 0; p < size * size; p++)
                for (int c = 0; c < channels; c++) realChw[c * size * size + p] = now.Frames[p * channels + c] / 255f;
            real = DataUrl(DemoFrames.ChannelsToRgb(realChw, _scenes.Format), size);
        }
        return new PlanView(path, source, CandidatePaths(recorder), found.BestCostPerIteration[0], planMs, real, imagined);
    }

    /// <summary>Candidates of the last iteration, drawn as where their actions would take the agent in open space.</summary>
    private float[][] CandidatePaths(CandidateRecorder recorder)
    {
        var candidates = new List<float[]>();
        int n = recorder.LastCandidates, ch = recorder.LastHorizon;
        float x = _sim.X[0], y = _sim.Y[0];
        int stride = Math.Max(1, n / CandidatesShown);
        for (int c = 0; c < n && candidates.Count < CandidatesShown; c += stride)
        {
            var pts = new float[(ch + 1) * 2];
            float cx = x, cy = y;
            pts[0] = cx; pts[1] = cy;
            for (int t = 0; t < ch; t++)
            {
                cx = Math.Clamp(cx + recorder.LastActions[(c * ch + t) * 2], World.BorderLow, World.BorderHigh);
                cy = Math.Clamp(cy + recorder.LastActions[(c * ch + t) * 2 + 1], World.BorderLow, World.BorderHigh);
                pts[2 * t + 2] = cx; pts[2 * t + 3] = cy;
            }
            candidates.Add(pts);
        }
        return candidates.ToArray();
    }

    private float Distance() => MathF.Sqrt((_sim.X[0] - _goalX) * (_sim.X[0] - _goalX) + (_sim.Y[0] - _goalY) * (_sim.Y[0] - _goalY));

    private static string DataUrl(byte[] rgb, int size) => "data:image/png;base64," + Convert.ToBase64String(PngWriter.Encode(new RgbImage(size, size, rgb)));

    private void Publish()
    {
        var layout = LayoutValues();
        float[] agent = [_sim.X[0], _sim.Y[0]];
        if (_frameFor is not { } f || f.X != agent[0] || f.Y != agent[1] || f.Layout != _layout)
        {
            _frameUrl = DataUrl(_display.Render(_displayRenderer, agent, layout, 1), DisplaySize);
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
        _renderer.Dispose();
        _displayRenderer.Dispose();
    }

    private sealed record PlanView(float[] Path, string Source, float[][] Candidates, float[] Costs, double PlanMilliseconds, string? RealFrame, ImaginedFrame[] Imagined)
    {
        public static readonly PlanView Empty = new([], "", [], [], 0, null, []);
        public float[] MeanCosts { get; init; } = [];
    }
}
