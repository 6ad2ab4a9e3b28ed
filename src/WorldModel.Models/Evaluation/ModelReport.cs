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
}
