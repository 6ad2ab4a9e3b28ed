using WorldModel.Plan.Models;

namespace WorldModel.Demo;

/// <summary>
/// Passes scoring through to a planning model and keeps the last batch of candidates it saw, so the
/// page can draw what the planner considered. Planners stay unaware of it. <see cref="Wrap"/> keeps a two-level
/// model's hierarchy visible (<see cref="HierarchicalCandidateRecorder"/>).
/// </summary>
internal class CandidateRecorder(IPlanningModel inner) : IPlanningModel
{
    /// <summary>A recorder for <paramref name="model"/> that is two-level exactly when the model is.</summary>
    public static CandidateRecorder Wrap(IPlanningModel model) => model is IHierarchicalPlanningModel hierarchical
        ? new HierarchicalCandidateRecorder(hierarchical)
        : new CandidateRecorder(model);

    public string Name => inner.Name;
    public float[] LastActions { get; private set; } = [];
    public float[] LastCosts { get; private set; } = [];
    public int LastCandidates { get; private set; }
    public int LastHorizon { get; private set; }
    /// <summary>Called after each scoring (one per planner iteration), on the planning thread.</summary>
    public Action? Scored { get; set; }

    public void SetGoals(Observations goals) => inner.SetGoals(goals);
    public void Observe(Observations current) => inner.Observe(current);

    public void Score(ReadOnlySpan<float> actions, int candidates, int horizon, Span<float> costs)
    {
        inner.Score(actions, candidates, horizon, costs);
        LastActions = actions.ToArray();
        LastCosts = costs.ToArray();
        LastCandidates = candidates;
        LastHorizon = horizon;
        Scored?.Invoke();
    }

    /// <summary>What the wrapped model expects along a plan, if it can say (learned models).</summary>
    public IImaginingModel? Imagination => inner as IImaginingModel;

    /// <summary>What the wrapped model's high level expects after each jump, if it has one and can say.</summary>
    public IJumpImaginingModel? Jumps => inner as IJumpImaginingModel;

    public void Dispose() => inner.Dispose();
}
