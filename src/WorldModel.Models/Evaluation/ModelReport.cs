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
    double[] PredictedProbeR2);
