using WorldModel.Render;
using WorldModel.Render.Cpu;

namespace WorldModel.Demo;

/// <summary>
/// Puts the page's <see cref="DemoSnapshot"/> together from the session's state: the display frame (redrawn only
/// when the agent or the layout changed), the world's walls and arena, and the episode's plan explanation. Used on
/// the session thread only.
/// </summary>
internal sealed class SnapshotComposer : IDisposable
{
    private static readonly float SuccessRadius = MathF.Sqrt(2f); // PLDM's strict threshold

    private readonly DemoModels _models;
    private readonly SceneBuilder _display;
    private readonly IRenderer _renderer;
    private long _version;
    private (float X, float Y, float[] Layout)? _frameFor;
    private string _frameUrl = "";

    public SnapshotComposer(DemoModels models)
    {
        _models = models;
        // What people see: the models' renderer, large and in colour.
        _display = new SceneBuilder(models.World, models.Display);
        _renderer = new CpuRasterizer(_display.Format);
    }

    /// <summary>The next snapshot: the episode as it stands, with the session's status and settings.</summary>
    public DemoSnapshot Compose(DemoEpisode e, string status, bool running, DemoSettings settings, string message)
    {
        var layout = e.Layout;
        float[] agent = [e.AgentX, e.AgentY];
        if (_frameFor is not { } f || f.X != agent[0] || f.Y != agent[1] || f.Layout != layout)
        {
            var state = _models.Shown.StateAt(e.AgentX, e.AgentY);
            _frameUrl = PlanExplainer.DataUrl(_display.Render(_renderer, state, layout, 1), DemoSession.DisplaySize);
            _frameFor = (agent[0], agent[1], layout);
        }
        var (lo, hi) = _models.Shown.Arena;
        var v = e.View;
        return new DemoSnapshot(
            Version: ++_version,
            Status: status,
            Running: running,
            Step: e.Step,
            Budget: DemoSession.Budget,
            Agent: agent,
            Goal: [e.GoalX, e.GoalY],
            Distance: e.Distance,
            SuccessRadius: SuccessRadius,
            Arena: [lo, hi],
            Walls: _models.Shown.Obstacles(layout),
            Layout: layout,
            Frame: _frameUrl,
            Trail: e.Trail,
            PlannedPath: v.Path,
            PathSource: v.Source,
            Subgoals: v.Subgoals,
            AimAtGoal: v.AimAtGoal,
            Candidates: v.Candidates,
            CostPerIteration: v.Costs,
            MeanCostPerIteration: v.MeanCosts,
            PlanMilliseconds: v.PlanMilliseconds,
            RealFrame: v.RealFrame,
            Imagined: v.Imagined,
            Settings: settings,
            Models: _models.Names,
            TwoLevelModels: _models.TwoLevelNames,
            Message: message,
            Explore: settings.Mode == DemoSettings.Explore ? e.Explorer.View : null);
    }

    public void Dispose() => _renderer.Dispose();
}
