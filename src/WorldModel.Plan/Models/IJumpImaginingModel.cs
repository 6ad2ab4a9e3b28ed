namespace WorldModel.Plan.Models;

/// <summary>
/// A two-level model (<see cref="IHierarchicalPlanningModel"/>) that can show what its high level expects along a
/// macro plan, from its last observation: the state it predicts after each jump. Whatever explains a two-level
/// plan (the demo's subgoals) goes through this, never through a model's encoders.
/// </summary>
public interface IJumpImaginingModel
{
    /// <summary>
    /// One flattened state of the first observed episode after each of the <paramref name="macroSteps"/>
    /// macro-actions of <paramref name="macroPlan"/> (macroSteps × MacroDim): predicted latents for a learned model
    /// (a probe reads positions from them), true simulator states for the oracle.
    /// </summary>
    float[][] ImagineJumps(ReadOnlySpan<float> macroPlan, int macroSteps);
}
