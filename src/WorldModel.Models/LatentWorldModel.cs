using TorchSharp;
using WorldModel.Models.Nets;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace WorldModel.Models;

/// <summary>
/// Encoder + action-conditioned predictor (+ decoder, + inverse-dynamics head). Planners will see it
/// only through encode and roll-out: that is the seam shared by latent and pixel models.
/// </summary>
public sealed class LatentWorldModel : Module
{
    public LatentWorldModel(
        ModelConfig config,
        int channels,
        int frameSize,
        int actionDim,
        bool withDecoder,
        bool withInverseDynamics,
        bool withTargetEncoder = false,
        Hierarchy.HierarchyConfig? hierarchy = null,
        int ensembleHeads = 0)
        : base(nameof(LatentWorldModel))
    {
        // Every model is built here, also where TorchRuntime.Initialise was never called (library callers, tests).
        OneDnnCheck.Run();
        Config = config;
        Encoder = new ImpalaEncoder(config, channels, frameSize);
        if (withTargetEncoder)
        {
            TargetEncoder = new ImpalaEncoder(config, channels, frameSize);
            TargetEncoder.load_state_dict(Encoder.state_dict());
            foreach (var p in TargetEncoder.parameters()) p.requires_grad = false;
        }
        Predictor = Nets.Predictor.Create(
            config, Encoder.LatentShape, actionDim, seesStart: config.PredictorContext == PredictorContext.Start);
        Decoder = withDecoder ? new Decoder(Encoder.LatentShape, channels, frameSize, config.DecoderWidth) : null;
        InverseDynamics = withInverseDynamics
            ? new InverseDynamics(Encoder.LatentShape.Aggregate(1L, (a, b) => a * b), actionDim)
            : null;
        var shape = Encoder.LatentShape;
        HighLevel = hierarchy is null
            ? null
            : new Hierarchy.HighLevel(
                hierarchy, config, shape, actionDim, () => new ImpalaEncoder(config, channels, frameSize));
        Ensemble = ensembleHeads == 0 ? null : new Exploration.Ensemble(ensembleHeads, config, shape, actionDim);
        RegisterComponents();
    }

    public ModelConfig Config { get; }
    public ImpalaEncoder Encoder { get; }
    /// <summary>EMA copy of the encoder that provides prediction targets, when the objective asks for one.</summary>
    public ImpalaEncoder? TargetEncoder { get; }
    public Predictor Predictor { get; }
    public Decoder? Decoder { get; }
    public InverseDynamics? InverseDynamics { get; }
    /// <summary>The macro-action encoder and k-step predictor of a hierarchical run (null for a flat one).</summary>
    public Hierarchy.HighLevel? HighLevel { get; }
    /// <summary>
    /// One-step predictor heads whose disagreement drives exploration (null unless the objective asks).
    /// </summary>
    public Exploration.Ensemble? Ensemble { get; }
    public long[] LatentShape => Encoder.LatentShape;

    /// <summary>(B, T, C, H, W) frames → (B, T, …latent).</summary>
    public Tensor Encode(Tensor frames) => EncodeWith(Encoder, frames);

    /// <summary>Targets: the EMA encoder's latents when there is one (no gradient either way).</summary>
    public Tensor EncodeTargets(Tensor frames)
    {
        using var _ = no_grad();
        return EncodeWith(TargetEncoder ?? Encoder, frames).detach();
    }

    /// <summary>(B, T, C, H, W) frames → (B, T, …latent) through <paramref name="encoder"/>, one of this model's
    /// kind (its own, its target, or a policy's own copy).</summary>
    public static Tensor EncodeWith(ImpalaEncoder encoder, Tensor frames)
    {
        long b = frames.shape[0], t = frames.shape[1];
        var z = encoder.call(frames.flatten(0, 1));
        return z.reshape([b, t, .. encoder.LatentShape]);
    }

    /// <summary>target ← m·target + (1 − m)·online, after each optimiser step.</summary>
    public void UpdateTargetEncoder(double momentum)
    {
        if (TargetEncoder is null) return;
        using var _ = no_grad();
        foreach (var (target, online) in TargetEncoder.parameters().Zip(Encoder.parameters()))
            target.mul_(momentum).add_(online, alpha: 1 - momentum);
        foreach (var (target, online) in TargetEncoder.buffers().Zip(Encoder.buffers()))
            target.copy_(online);
    }

    /// <summary>
    /// Rolls z0 (B, …) forward under actions (B, H, A): returns (B, H, …), the predictions for steps 1..H.
    /// </summary>
    public Tensor Rollout(Tensor z0, Tensor actions)
    {
        var z = z0;
        var steps = new List<Tensor>();
        for (long h = 0; h < actions.shape[1]; h++)
        {
            z = Predictor.Next(z, actions[.., h], z0);
            steps.Add(z);
        }
        return stack(steps, 1);
    }
}
