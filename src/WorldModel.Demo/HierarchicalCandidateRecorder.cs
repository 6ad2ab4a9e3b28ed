using WorldModel.Plan.Models;

namespace WorldModel.Demo;

/// <summary>
/// A <see cref="CandidateRecorder"/> that keeps a two-level model's hierarchy: it records the low level's
/// candidates as the flat recorder does, and passes the high level (<see cref="High"/>, unrecorded) and the
/// subgoal choice (<see cref="AimAt"/>) through, so the MPC loop still plans in two levels.
/// </summary>
internal sealed class HierarchicalCandidateRecorder : CandidateRecorder, IHierarchicalPlanningModel
{
    private readonly IHierarchicalPlanningModel _inner;

    public HierarchicalCandidateRecorder(IHierarchicalPlanningModel inner) : base(inner) => _inner = inner;

    public int Skip => _inner.Skip;
    public int MacroDim => _inner.MacroDim;
    public float MacroLimit => _inner.MacroLimit;
    public IPlanningModel High => _inner.High;

    public bool[] AimAt(ReadOnlySpan<float> macroPlans, int macroSteps) => _inner.AimAt(macroPlans, macroSteps);
}
