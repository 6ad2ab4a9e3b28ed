using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace WorldModel.Models.Nets;

/// <summary>
/// Latent → frame logits (sigmoid gives pixel values in [0, 1]): for the pixel model and for looking at latents.
/// </summary>
public sealed class Decoder : Module<Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor> _stem;
    private readonly Sequential _up;

    public Decoder(long[] latentShape, int outChannels, int frameSize, int width = 32) : base(nameof(Decoder))
    {
        // Start from a small map (the encoder's, or 8×8 for flat latents) and double up to the frame size.
        int start = latentShape.Length == 3 ? (int)latentShape[1] : 8;
        _stem = latentShape.Length == 3
            ? Conv2d(latentShape[0], width, 3, padding: 1L)
            : Sequential(Linear(latentShape[0], width * start * start), Unflatten(1, [width, start, start]));
        var layers = new List<Module<Tensor, Tensor>>();
        for (int size = start; size < frameSize; size *= 2)
        {
            layers.Add(ReLU());
            layers.Add(ConvTranspose2d(width, width, 4, stride: 2, padding: 1));
        }
        layers.Add(ReLU());
        layers.Add(Conv2d(width, outChannels, 3, padding: 1L));
        _up = Sequential(layers);
        RegisterComponents();
    }

    public override Tensor forward(Tensor z) => _up.call(_stem.call(z));
}

/// <summary>(z_t, z_t+1) → a_t: makes latents keep what actions change (an anti-collapse signal).</summary>
public sealed class InverseDynamics : Module<Tensor, Tensor, Tensor>
{
    private readonly Sequential _mlp;

    public InverseDynamics(long latentSize, int actionDim, int hidden = 128) : base(nameof(InverseDynamics))
    {
        _mlp = Sequential(Linear(2 * latentSize, hidden), ReLU(), Linear(hidden, actionDim));
        RegisterComponents();
    }

    public override Tensor forward(Tensor z, Tensor zNext) => _mlp.call(cat([z.flatten(1), zNext.flatten(1)], 1));
}
