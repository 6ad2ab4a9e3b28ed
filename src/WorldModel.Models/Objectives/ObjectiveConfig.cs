using WorldModel.Core.Config;

namespace WorldModel.Models.Objectives;

/// <summary>
/// What the world model is trained to do: <c>{"kind": "jepa", ...}</c> or <c>{"kind": "pixel", ...}</c>. A weight
/// of 0 switches a term off.
/// </summary>
[ConfigUnion(typeof(JepaObjectiveConfig), typeof(PixelObjectiveConfig))]
public abstract record ObjectiveConfig;

/// <summary>
/// Predict future encoder latents (stop-gradient targets) with anti-collapse terms. Default weights
/// are PLDM's Two-Rooms values (Sobal et al. 2025, their repo): variance 3.98, covariance 6.92,
/// temporal smoothness 0.74, inverse dynamics 1.07.
/// </summary>
[ConfigName("jepa")]
public sealed record JepaObjectiveConfig : ObjectiveConfig
{
    [Range(0, 1000)] public float Prediction { get; init; } = 1f;
    [Range(0, 1000)] public float Variance { get; init; } = 3.98f;
    [Range(0, 1000)] public float Covariance { get; init; } = 6.92f;
    [Range(0, 1000)] public float Temporal { get; init; } = 0.74f;
    [Range(0, 1000)] public float InverseDynamics { get; init; } = 1.07f;
    /// <summary>
    /// The variance hinge across a sequence's frames instead of across the batch: each latent element's standard
    /// deviation over time, pushed up to 1. Counters a latent that keeps only what never changes within an episode:
    /// a spatial latent on random layouts satisfies the batch terms with the wall alone and drops the agent. 0: off.
    /// </summary>
    [AddedKey, Range(0, 1000)] public float TimeVariance { get; init; }
    /// <summary>
    /// Apply variance and covariance to the first frame's latents only (one of PLDM's configs), else to all.
    /// </summary>
    public bool RegulariseFirstFrameOnly { get; init; } = true;
    /// <summary>
    /// Targets from an exponential-moving-average copy of the encoder with this momentum (BYOL, I-JEPA:
    /// 0.99–0.999); 0 = the online encoder's own latents with the gradient stopped (PLDM).
    /// </summary>
    [Range(0, 0.99999)] public double TargetEma { get; init; } = 0;
    /// <summary>
    /// One-step predictor heads trained beside the predictor on the encoder's latents (gradients stopped, so they
    /// change nothing else); the variance of their predictions is the disagreement an explorer seeks
    /// (Plan2Explore, Sekar et al. 2020, used 5). 0: none.
    /// </summary>
    [Range(0, 32)] public int EnsembleHeads { get; init; }
    /// <summary>
    /// A decoder trained to draw the first frame from its latent (binary cross-entropy on coverages, as the pixel
    /// objective's), with this weight: the latent must then hold everything drawn, the door of an unseen layout
    /// included, which the prediction term alone rewards only at the rare crossings. 0: no decoder (PLDM).
    /// </summary>
    [AddedKey, Range(0, 1000)] public float Reconstruction { get; init; }
}

/// <summary>
/// The same encoder and predictor trained through a decoder to predict future frames (reconstruction).
/// </summary>
[ConfigName("pixel")]
public sealed record PixelObjectiveConfig : ObjectiveConfig
{
    /// <summary>Weight of predicted-frame error over the rollout.</summary>
    [Range(0, 1000)] public float Prediction { get; init; } = 1f;
    /// <summary>Weight of reconstructing the first frame from its own latent.</summary>
    [Range(0, 1000)] public float Reconstruction { get; init; } = 1f;
}
