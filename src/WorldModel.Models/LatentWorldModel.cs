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
    public LatentWorldModel(ModelConfig config, int channels, int frameSize, int actionDim, bool withDecoder, bool withInverseDynamics)
        : base(nameof(LatentWorldModel))
    {
        Config = config;
        Encoder = new ImpalaEncoder(config, channels, frameSize);
        Predictor = Nets.Predictor.Create(config, Encoder.LatentShape, actionDim);
        Decoder = withDecoder ? new Decoder(Encoder.LatentShape, channels, frameSize) : null;
        InverseDynamics = withInverseDynamics ? new InverseDynamics(Encoder.LatentShape.Aggregate(1L, (a, b) => a * b), actionDim) : null;
        RegisterComponents();
    }

    public ModelConfig Config { get; }
    public ImpalaEncoder Encoder { get; }
    public Predictor Predictor { get; }
    public Decoder? Decoder { get; }
    public InverseDynamics? InverseDynamics { get; }
    public long[] LatentShape => Encoder.LatentShape;

    /// <summary>(B, T, C, H, W) frames → (B, T, …latent).</summary>
    public Tensor Encode(Tensor frames)
    {
        long b = frames.shape[0], t = frames.shape[1];
        var z = Encoder.call(frames.flatten(0, 1));
        return z.reshape([b, t, .. LatentShape]);
    }

    /// <summary>Rolls z0 (B, …) forward under actions (B, H, A): returns (B, H, …), the predictions for steps 1..H.</summary>
    public Tensor Rollout(Tensor z0, Tensor actions)
    {
        var z = z0;
        var steps = new List<Tensor>();
        for (long h = 0; h < actions.shape[1]; h++)
        {
            z = Predictor.call(z, actions[.., h]);
            steps.Add(z);
        }
        return stack(steps, 1);
    }
}
