using WorldModel.Plan.Models;

namespace WorldModel.Plan.Planners;

/// <summary>What one replanning step found, for logs and the demo.</summary>
public sealed record PlanResult(float[] BestCost, float[][] BestCostPerIteration);

/// <summary>A sampling-based optimiser over action sequences, batched over episodes.</summary>
public interface IPlanner
{
    /// <summary>
    /// Improves <paramref name="plan"/> (E × H × A; in: the warm start, out: the plan to execute)
    /// by scoring candidates with <paramref name="model"/>. Randomness comes from <paramref name="seed"/> only.
    /// </summary>
    PlanResult Plan(IPlanningModel model, Span<float> plan, int episodes, int horizon, int actionDim, ulong seed);
}
