using WorldModel.Render;

namespace WorldModel.Plan.Models;

/// <summary>
/// What E episodes look like at one moment: rendered frames (what learned models see) and true
/// states and layouts (what only the oracle may use).
/// </summary>
public sealed record Observations(int Count, FrameFormat Format, byte[] Frames, float[] States, float[] Layouts)
{
    /// <summary>
    /// Goals only: observations per episode, one after another (goal variants: what the task leaves free drawn at
    /// different places); Count is episodes × Variants.
    /// </summary>
    public int Variants { get; init; } = 1;
}

/// <summary>
/// A model that scores against the nearest of several goal observations per episode
/// (<see cref="Observations.Variants"/>), so that moving what the task leaves free earns nothing.
/// </summary>
public interface IGoalVariantModel : IPlanningModel;

/// <summary>
/// A learned model that can add its own uncertainty to the planning cost, so that a planner cannot pick plans
/// whose imagined future is good only because the model is wrong there (pessimism, as offline model-based RL:
/// MOPO, Yu et al. 2020; MOReL, Kidambi et al. 2020). Oracles are exact and do not implement it.
/// </summary>
public interface IPessimisticModel : IPlanningModel
{
    /// <summary>Why the model cannot measure its uncertainty (it has no ensemble heads); null when it can.</summary>
    string? WhyNoUncertainty { get; }

    /// <summary>Weight of the uncertainty added to every candidate's cost; 0: none.</summary>
    float Pessimism { get; set; }
}

/// <summary>
/// A learned model whose latent is a map (channels × rows × columns) and that can compare maps blurred at several
/// widths, so that the distance keeps growing with how far apart what the maps show is (the plain squared distance
/// between two maps in which the agent sits in different cells is the same for every pair of cells).
/// </summary>
public interface IBlurredCostModel : IPlanningModel
{
    /// <summary>Why the model cannot blur its cost (its latent is a vector); null when it can.</summary>
    string? WhyNoMap { get; }

    /// <summary>Gaussian widths in map cells (0: the map itself); empty: the plain squared distance.</summary>
    IReadOnlyList<double> LatentBlur { get; set; }
}

/// <summary>
/// How candidate rollouts are scored. Sum: distance summed over the horizon (greedy; the wall is a
/// local minimum). Terminal: distance at the horizon's end only (sees past the wall, but does not care
/// where the path is before its end, so the agent dawdles near the goal). Min: the closest the
/// rollout comes to the goal at any step (sees past the wall, and a plan that passes the goal early
/// is as good as one that ends there).
/// </summary>
public enum CostShape { Sum, Terminal, Min }

/// <summary>
/// All a planner sees of a world model (DESIGN.md: Plan sees models only through this seam).
/// A learned latent model, a pixel model and the true simulator all implement it, so one planner
/// plans with any of them. Batched over E episodes × N candidates: one call scores every candidate.
/// </summary>
public interface IPlanningModel : IDisposable
{
    /// <summary>What the results call this model, e.g. "jepa/latent" or "oracle/geodesic".</summary>
    string Name { get; }

    /// <summary>Encodes each episode's goal (a frame of the agent standing at the goal, and its true state).</summary>
    void SetGoals(Observations goals);

    /// <summary>Encodes each episode's current observation; later <see cref="Score"/> calls roll out from it.</summary>
    void Observe(Observations current);

    /// <summary>
    /// Rolls out candidates and scores them against the goals (lower is better).
    /// actions: E × N × H × A (episode-major); costs: E × N.
    /// </summary>
    void Score(ReadOnlySpan<float> actions, int candidates, int horizon, Span<float> costs);
}

/// <summary>
/// A learned model that can propose a plan for the planner to start its search from (a learned policy rolled out in
/// imagination, as TD-MPC seeds its MPPI), instead of the last plan shifted by the steps executed.
/// </summary>
public interface IProposingModel : IPlanningModel
{
    /// <summary>
    /// After <see cref="IPlanningModel.Observe"/>: writes each observed episode's proposed plan into
    /// <paramref name="plan"/> (E × H × A) and returns true; returns false, leaving it, when it has nothing to propose.
    /// </summary>
    bool Propose(Span<float> plan, int horizon);

    /// <summary>
    /// Whether the loop executes the proposal as it is, with no search (the policy alone: the control that tells what
    /// the search adds).
    /// </summary>
    bool ExecutesProposal => false;
}

/// <summary>
/// A planning model whose costs are differentiable in the actions (a learned predictor), so a
/// planner can descend the cost's gradient instead of sampling.
/// </summary>
public interface IDifferentiablePlanningModel : IPlanningModel
{
    /// <summary>
    /// As <see cref="IPlanningModel.Score"/>, and writes ∂cost/∂action of every candidate into gradient
    /// (E × N × H × A).
    /// </summary>
    void ScoreWithGradient(
        ReadOnlySpan<float> actions,
        int candidates,
        int horizon,
        Span<float> costs,
        Span<float> gradient);
}
