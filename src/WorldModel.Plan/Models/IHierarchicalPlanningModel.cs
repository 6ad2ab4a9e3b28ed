namespace WorldModel.Plan.Models;

/// <summary>
/// A planning model with a second, high level that jumps <see cref="Skip"/> low-level steps per
/// macro-action (HWM, "Hierarchical Planning with Latent World Models", arXiv 2604.03208). The high level
/// (<see cref="High"/>) plans macro-action sequences toward the goal; its first predicted state becomes the
/// subgoal that this model's own <see cref="IPlanningModel.Score"/> (the low level) aims at, until the goal
/// itself is within one jump. Both levels see the same <see cref="IPlanningModel.SetGoals"/> and
/// <see cref="IPlanningModel.Observe"/> calls.
/// </summary>
public interface IHierarchicalPlanningModel : IPlanningModel
{
    /// <summary>Low-level steps one macro-action stands for (k).</summary>
    int Skip { get; }

    /// <summary>Size of a macro-action vector.</summary>
    int MacroDim { get; }

    /// <summary>The largest macro-action norm a planner may propose (longer ones are clipped onto it).</summary>
    float MacroLimit { get; }

    /// <summary>
    /// The high level as a planning model over macro-actions: Score takes E × N × (macro steps) × MacroDim and
    /// scores each candidate against the goals.
    /// </summary>
    IPlanningModel High { get; }

    /// <summary>
    /// Points the low level at each episode's subgoal: the high level's prediction after the first macro-action of
    /// its chosen plan (E × <paramref name="macroSteps"/> × MacroDim), or the goal itself where the plan comes
    /// closest to the goal on that first jump. Returns, per episode, whether it aims at the goal.
    /// </summary>
    bool[] AimAt(ReadOnlySpan<float> macroPlans, int macroSteps);
}
