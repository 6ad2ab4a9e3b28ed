using WorldModel.Core.Config;

namespace WorldModel.Models;

public enum LatentKind
{
    /// <summary>A feature map (PLDM's choice: no final fully-connected layer, GroupNorm, final LayerNorm).</summary>
    Spatial,
    /// <summary>A vector: flatten, fully-connected, LayerNorm.</summary>
    Flat,
}

public enum PredictorKind
{
    /// <summary>z' = z + MLP([z, a]) (flat latents) or z' = z + convs([z, a broadcast]) (spatial latents).</summary>
    Residual,
    /// <summary>A GRU cell with the action as input and the latent as state (flat latents only).</summary>
    Gru,
}

/// <summary>What the predictor is handed at every step besides the latent it rolls and the action.</summary>
public enum PredictorContext
{
    /// <summary>Nothing: z_t+1 = f(z_t, a_t), everything the rollout needs must be carried in z_t.</summary>
    None,
    /// <summary>
    /// The latent the rollout started from (the observed frame's): z_t+1 = f(z_t, a_t, z_0). The layout of a
    /// random-layout world is in z_0, so a rolled latent need not carry it (issue 16's lever).
    /// </summary>
    Start,
}

/// <summary>Encoder, predictor and decoder sizes. Defaults are a CPU-sized model for 64×64 frames.</summary>
public sealed record ModelConfig : IValidatable
{
    /// <summary>Channels of each IMPALA stage; each stage halves the resolution.</summary>
    public int[] Widths { get; init; } = [16, 32, 32];
    public LatentKind Latent { get; init; } = LatentKind.Spatial;
    /// <summary>Size of a flat latent.</summary>
    [Range(2, 4096)] public int LatentDim { get; init; } = 64;
    public PredictorKind Predictor { get; init; } = PredictorKind.Residual;
    /// <summary>
    /// The predictor's hidden width: MLP units (flat latent), the action embedding (GRU), or the channels of
    /// its convolutions (spatial latent, where <see cref="MaxConvPredictorHidden"/> bounds it).
    /// </summary>
    [Range(8, 4096)] public int PredictorHidden { get; init; } = 128;
    /// <summary>
    /// What the low-level and jump predictors see at every step besides (z_t, a_t); the exploration ensemble's
    /// heads see nothing more.
    /// </summary>
    [AddedKey] public PredictorContext PredictorContext { get; init; } = PredictorContext.None;

    /// <summary>
    /// The conv predictor's widest setting (and narrowest, <see cref="MinConvPredictorHidden"/>). Until
    /// 2026-12 the predictor clamped any other value to these bounds without a word; it is now an error.
    /// </summary>
    public const int MinConvPredictorHidden = 16, MaxConvPredictorHidden = 128;
    /// <summary>
    /// Channels of the decoder's up-sampling layers (pixel models): most of a pixel model's compute at 64×64.
    /// </summary>
    [Range(4, 512)] public int DecoderWidth { get; init; } = 32;

    public IEnumerable<ConfigError> Validate()
    {
        if (Widths.Length is < 1 or > 5)
            yield return new("widths", $"{Widths.Length} stages are not allowed; allowed: 1 to 5");
        if (Widths.Any(w => w is < 1 or > 512)) yield return new("widths", "each width must be 1 to 512");
        if (Predictor == PredictorKind.Gru && Latent == LatentKind.Spatial)
            yield return new("predictor", "\"gru\" needs latent \"flat\"; allowed with a spatial latent: residual");
        if (Latent == LatentKind.Spatial && PredictorHidden is < MinConvPredictorHidden or > MaxConvPredictorHidden)
            yield return new("predictorHidden",
                $"{PredictorHidden} is out of range for a spatial latent's conv predictor; allowed: " +
                $"{MinConvPredictorHidden} to {MaxConvPredictorHidden} (a run saved with a value outside it " +
                $"trained with the nearer bound: set that value in its config.json)");
    }
}
