using System.Collections.Concurrent;
using System.Diagnostics;
using WorldModel.Render;
using WorldModel.Sim.Worlds;
using WorldModel.Worlds;

namespace WorldModel.Demo;

/// <summary>
/// One agent in one world with a demo view (<see cref="IDemoWorld"/>), planned step by step by the shared MPC loop (see
/// <see cref="DemoEpisode"/>). Everything that touches the simulator, the renderer or torch runs on
/// this session's own thread; web requests only post commands and read the latest immutable
/// <see cref="DemoSnapshot"/>, so a slow client never stalls the simulation and planning never blocks a request.
/// </summary>
public sealed class DemoSession : IDisposable
{
    public const int Budget = 200, DisplaySize = 256, CandidatesShown = PlanExplainer.CandidatesShown;
    /// <summary>At most this many steps per second, so a fast model (the oracle) stays watchable.</summary>
    public const double MaxStepsPerSecond = 20;

    private readonly DemoModels _models;
    private readonly IRenderer _renderer;
    private readonly DemoEpisode _episode;
    private readonly SnapshotComposer _snapshots;
    private readonly BlockingCollection<Action> _commands = new();
    private readonly Thread _thread;
    private readonly CancellationTokenSource _stop = new();
    private bool _running, _stepOnce;
    private string _status = "ready", _message = "";
    private DemoSettings _settings;
    private DemoSnapshot _latest = null!;

    public DemoSession(DemoModels models, DemoSettings settings, ulong seed = 0)
    {
        if (settings.Problem(models) is { } problem) throw new ArgumentException(problem);
        _models = models;
        _settings = settings;
        var scenes = new SceneBuilder(models.World, models.Render);
        _renderer = RendererFactory.Create(RendererKind.Cpu, scenes.Format).Renderer;
        _episode = new DemoEpisode(models, scenes, _renderer, seed);
        _episode.ResetPositions();
        _snapshots = new SnapshotComposer(models);
        Publish();
        _thread = new Thread(Loop) { IsBackground = true, Name = "demo-session" };
        _thread.Start();
    }

    public DemoModels Models => _models;

    public WorldConfig World => _models.World;
    public DemoSnapshot Latest => Volatile.Read(ref _latest);

    // ---- commands (any thread); validation happens in the caller, mutation on the session thread ----

    /// <summary>Null if (x, y) is a place the agent or the goal may be, else why not.</summary>
    public string? PositionProblem(float x, float y)
    {
        var (lo, hi) = _models.Shown.Arena;
        if (!float.IsFinite(x) || !float.IsFinite(y)) return "x and y must be numbers";
        if (!_models.Shown.IsFree(Latest.Layout, x, y))
            return $"({x:F1}, {y:F1}) is outside the free arena: " +
                $"x and y must lie in [{lo + 1}, {hi - 1}] and off the walls";
        return null;
    }

    public void SetGoal(float x, float y) => Post(() => { _episode.SetGoal(x, y); Stop("goal set"); });
    public void MoveAgent(float x, float y) => Post(() => { _episode.MoveAgent(x, y); Stop("agent moved"); });
    public void NewLayout() => Post(() =>
    {
        _episode.NewLayout();
        Stop(_models.Shown.TrainedOnOneLayout
            ? "new layout: the learned models were trained on one fixed layout, " +
                "so expect them to fail here (the oracles still work)"
            : "new layout");
    });
    public void FirstLayout() => Post(() =>
    {
        _episode.FirstLayout();
        Stop(_models.Shown.TrainedOnOneLayout ? "back on the layout the models were trained on" : "first layout");
    });
    public void Run() => Post(() => { if (_episode.Finished) Restart(); _running = true; _status = "running"; });
    public void Pause() => Post(() => { if (_running) { _running = false; _status = "paused"; } });
    public void StepOnce() => Post(() => { if (_episode.Finished) Restart(); _running = false; _stepOnce = true; });
    public void Reset() => Post(() => { _episode.ResetPositions(); Stop("reset"); });
    public void Apply(DemoSettings settings) => Post(() =>
    {
        bool startExploring = settings.Mode == DemoSettings.Explore && _settings.Mode != settings.Mode;
        _episode.SettingsChanged(startExploring);
        _settings = settings;
        _message = $"settings: {settings.Mode}, {settings.Model}{(settings.TwoLevel ? " in two levels" : "")}, " +
            $"{settings.Planner}, H = {settings.PlannerHorizon}, {settings.Samples} samples";
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
                if (_episode.Finished) Restart();
                _status = "running";
                Publish();
                onStep?.Invoke(Latest); // the start, after every command posted before this call
                for (int i = 0; i < maxSteps && !_episode.Finished; i++)
                {
                    cancel.ThrowIfCancellationRequested();
                    PlanAndAct();
                    onStep?.Invoke(Latest);
                }
                if (!_episode.Finished)
                {
                    _status = "paused";
                    _message = $"stopped after {maxSteps} steps, {_episode.Distance:F1} px from the goal";
                    Publish();
                }
            }
            catch (Exception e) { failure = e; }
            finally { done.Set(); }
        });
        done.Wait(cancel);
        if (failure is not null)
            throw new InvalidOperationException($"the episode stopped at step {Latest.Step}: {failure.Message}",
                failure);
    }

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
            }
            catch (OperationCanceledException) { break; }
            catch (Exception e)
            {
                // Never let one bad step end the session: show it and stop running.
                (_running, _stepOnce, _status, _message) = (false, false, "error", e.Message);
                Publish();
            }
        }
    }

    private void Stop(string message) => (_running, _stepOnce, _status, _message) = (false, false, "ready", message);

    private void Restart() { _episode.Restart(); Stop(""); }

    private void PlanAndAct()
    {
        _episode.PlanAndAct(_settings, Publish);
        if (_episode.Reached)
            (_status, _running, _message) = ("reached", false, $"goal reached in {_episode.Step} steps");
        else if (_episode.Finished)
            (_status, _running, _message) = ("out of steps", false, $"not reached within {Budget} steps");
        else _status = _running ? "running" : "paused";
        Publish();
    }

    private void Publish() =>
        Volatile.Write(ref _latest, _snapshots.Compose(_episode, _status, _running, _settings, _message));

    public void Dispose()
    {
        _stop.Cancel();
        _commands.CompleteAdding();
        if (_thread.IsAlive && Thread.CurrentThread != _thread) _thread.Join(TimeSpan.FromSeconds(10));
        _episode.Dispose();
        _renderer.Dispose();
        _snapshots.Dispose();
    }
}
