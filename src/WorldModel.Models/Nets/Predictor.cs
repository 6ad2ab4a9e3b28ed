using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace WorldModel.Models.Nets;

/// <summary>
/// One step of latent dynamics: (z_t, a_t) → z_t+1, for a batch. Rolled out autoregressively by the world model.
/// </summary>
public abstract class Predictor(string name) : Module<Tensor, Tensor, Tensor>(name)
{
    public static Predictor Create(ModelConfig config, long[] latentShape, int actionDim) =>
        (config.Latent, config.Predictor) switch
        {
            (LatentKind.Flat, PredictorKind.Residual) =>
                new ResidualMlpPredictor(latentShape[0], actionDim, config.PredictorHidden),
            (LatentKind.Flat, PredictorKind.Gru) =>
                new GruPredictor(latentShape[0], actionDim, config.PredictorHidden),
            (LatentKind.Spatial, PredictorKind.Residual) =>
                new ConvPredictor(latentShape, actionDim, config.PredictorHidden),
            _ => throw new ArgumentException(
                $"predictor {config.Predictor} does not work with a {config.Latent} latent"),
        };
}

/// <summary>z' = z + MLP([z, a]).</summary>
public sealed class ResidualMlpPredictor : Predictor
{
    private readonly Sequential _mlp;

    public ResidualMlpPredictor(long latentDim, int actionDim, int hidden) : base(nameof(ResidualMlpPredictor))
    {
        _mlp = Sequential(
            Linear(latentDim + actionDim, hidden), ReLU(),
            Linear(hidden, hidden), ReLU(),
            Linear(hidden, latentDim));
        RegisterComponents();
    }

    public override Tensor forward(Tensor z, Tensor a) => z + _mlp.call(cat([z, a], 1));
}

/// <summary>A GRU cell: the action (embedded) is the input, the latent is the hidden state.</summary>
public sealed class GruPredictor : Predictor
{
    private readonly Linear _embed;
    private readonly GRUCell _cell;

    public GruPredictor(long latentDim, int actionDim, int hidden) : base(nameof(GruPredictor))
    {
        _embed = Linear(actionDim, hidden);
        _cell = GRUCell(hidden, latentDim);
        RegisterComponents();
    }

    public override Tensor forward(Tensor z, Tensor a) => _cell.call(functional.relu(_embed.call(a)), z);
}

/// <summary>Spatial latents: the action is broadcast as extra channels; z' = z + convs([z, a]).</summary>
public sealed class ConvPredictor : Predictor
{
    private readonly Sequential _net;

    public ConvPredictor(long[] latentShape, int actionDim, int hidden) : base(nameof(ConvPredictor))
    {
        long c = latentShape[0];
        // ModelConfig.Validate keeps hidden within the conv predictor's bounds; a caller outside them is a bug.
        ArgumentOutOfRangeException.ThrowIfLessThan(hidden, ModelConfig.MinConvPredictorHidden);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(hidden, ModelConfig.MaxConvPredictorHidden);
        int h = hidden;
        _net = Sequential(
            Conv2d(c + actionDim, h, 3, padding: 1L), ReLU(),
            Conv2d(h, h, 3, padding: 1L), ReLU(),
            Conv2d(h, c, 3, padding: 1L));
        RegisterComponents();
    }

    public override Tensor forward(Tensor z, Tensor a)
    {
        var planes = a[.., .., TensorIndex.None, TensorIndex.None].expand(-1, -1, z.shape[2], z.shape[3]);
        return z + _net.call(cat([z, planes], 1));
    }
}
