namespace WorldModel.Models.Evaluation;

/// <summary>What `wm eval-model` measures, before any planning.</summary>
public sealed record ModelReport(
    string Objective,
    string ErrorUnit,
    double[] ModelError,
    double[] CopyLastError,
    int LatentSize,
    double MeanFeatureStd,
    double CollapsedFeatureShare,
    double EffectiveRank,
    string[] ProbeTargets,
    double ProbeRmse,
    double ProbeR2,
    double MeanPositionRmse,
    double[] PredictedProbeRmse,
    double[] PredictedProbeR2)
{
    /// <summary>
    /// The encoder probe's RMSE (px) per target, in <see cref="ProbeTargets"/>' order: which body the latent places
    /// well (Push-Ball: the agent, the ball, or both).
    /// </summary>
    public double[] ProbeTargetRmse { get; init; } = [];

    /// <summary>
    /// Per rollout length k (rows) and target (columns): the probe's RMSE (px) on the k-step predicted latents.
    /// </summary>
    public double[][] PredictedProbeTargetRmse { get; init; } = [];

    /// <summary>
    /// The same per k and target for "nothing moves": the probe of the first frame's latent against the position k
    /// steps on. A predictor that does not beat it for a body (Push-Ball: the ball after a push) does not move it.
    /// </summary>
    public double[][] StillProbeTargetRmse { get; init; } = [];

    /// <summary>
    /// Does the latent hold the layout, and the imagination keep it? Null where the layout does not vary (a fixed
    /// layout, Push-Ball).
    /// </summary>
    public LayoutReadout.Result? Layout { get; init; }

    /// <summary>
    /// The imagined position's error where the world's rare event happens, where a wall stops the agent, and in free
    /// motion; null where the world names no rare event or every held-out sequence is of one kind.
    /// </summary>
    public RareEventError? RareEvent { get; init; }

    /// <summary>Would a planner prefer the true actions over random plans in this model's imagination?</summary>
    public ImaginedPlans.Result? ImaginedPlans { get; init; }
}
