using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace WorldModel.Models.Nets;

/// <summary>
/// One step of latent dynamics: (z_t, a_t) → z_t+1, for a batch, or (z_t, a_t, z_0) → z_t+1 where the predictor
/// sees its rollout's start (<see cref="PredictorContext.Start"/>). Rolled out autoregressively by the world model.
/// </summary>
public abstract class Predictor(string name, bool seesStart) : Module<Tensor, Tensor, Tensor>(name)
{
    /// <param name="seesStart">
    /// Whether this predictor is handed the rollout's start latent (the config's context applies to the low level
    /// and the jump; the exploration heads pass false).
    /// </param>
    public static Predictor Create(ModelConfig config, long[] latentShape, int actionDim, bool seesStart = false) =>
        (config.Latent, config.Predictor) switch
        {
            (LatentKind.Flat, PredictorKind.Residual) =>
                new ResidualMlpPredictor(latentShape[0], actionDim, config.PredictorHidden, seesStart),
            (LatentKind.Flat, PredictorKind.Gru) =>
                new GruPredictor(latentShape[0], actionDim, config.PredictorHidden, seesStart),
            (LatentKind.Spatial, PredictorKind.Residual) =>
                new ConvPredictor(latentShape, actionDim, config.PredictorHidden, seesStart),
            _ => throw new ArgumentException(
                $"predictor {config.Predictor} does not work with a {config.Latent} latent"),
        };

    /// <summary>Whether <see cref="Next"/> needs the rollout's start latent.</summary>
    public bool SeesStart { get; } = seesStart;

    /// <summary>
    /// z_t (B, …), a_t (B, A) and the rollout's start z_0 (B, …) → z_t+1. <paramref name="start"/> may be null
    /// only where the predictor does not see it.
    /// </summary>
    public Tensor Next(Tensor z, Tensor a, Tensor? start)
    {
        if (!SeesStart) return call(z, a);
        if (start is null)
            throw new InvalidOperationException(
                "this predictor sees its rollout's start (model.predictorContext = start); pass it");
        return Step(z, a, start);
    }

    /// <summary>One step with the start; only predictors that see it are asked.</summary>
    protected abstract Tensor Step(Tensor z, Tensor a, Tensor start);

    public override Tensor forward(Tensor z, Tensor a) => SeesStart
        ? throw new InvalidOperationException(
            "this predictor sees its rollout's start (model.predictorContext = start); call Next with it")
        : Step(z, a, null!);
}

/// <summary>z' = z + MLP([z, a]), or z' = z + MLP([z, a, z_0]) when it sees the start.</summary>
public sealed class ResidualMlpPredictor : Predictor
{
    private readonly Sequential _mlp;

    public ResidualMlpPredictor(long latentDim, int actionDim, int hidden, bool seesStart = false)
        : base(nameof(ResidualMlpPredictor), seesStart)
    {
        _mlp = Sequential(
            Linear(latentDim + actionDim + (seesStart ? latentDim : 0), hidden), ReLU(),
            Linear(hidden, hidden), ReLU(),
            Linear(hidden, latentDim));
        RegisterComponents();
    }

    protected override Tensor Step(Tensor z, Tensor a, Tensor start) =>
        z + _mlp.call(SeesStart ? cat([z, a, start], 1) : cat([z, a], 1));
}

/// <summary>
/// A GRU cell: the action (embedded) is the input, the latent is the hidden state; the start, when it sees it,
/// is embedded with the action.
/// </summary>
public sealed class GruPredictor : Predictor
{
    private readonly Linear _embed;
    private readonly GRUCell _cell;

    public GruPredictor(long latentDim, int actionDim, int hidden, bool seesStart = false)
        : base(nameof(GruPredictor), seesStart)
    {
        _embed = Linear(actionDim + (seesStart ? latentDim : 0), hidden);
        _cell = GRUCell(hidden, latentDim);
        RegisterComponents();
    }

    protected override Tensor Step(Tensor z, Tensor a, Tensor start) =>
        _cell.call(functional.relu(_embed.call(SeesStart ? cat([a, start], 1) : a)), z);
}

/// <summary>
/// Spatial latents: the action is broadcast as extra channels (and the start's channels added when it sees it);
/// z' = z + convs([z, a, z_0]).
/// </summary>
public sealed class ConvPredictor : Predictor
{
    private readonly Sequential _net;

    public ConvPredictor(long[] latentShape, int actionDim, int hidden, bool seesStart = false)
        : base(nameof(ConvPredictor), seesStart)
    {
        long c = latentShape[0];
        // ModelConfig.Validate keeps hidden within the conv predictor's bounds; a caller outside them is a bug.
        ArgumentOutOfRangeException.ThrowIfLessThan(hidden, ModelConfig.MinConvPredictorHidden);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(hidden, ModelConfig.MaxConvPredictorHidden);
        int h = hidden;
        _net = Sequential(
            Conv2d(c + actionDim + (seesStart ? c : 0), h, 3, padding: 1L), ReLU(),
            Conv2d(h, h, 3, padding: 1L), ReLU(),
            Conv2d(h, c, 3, padding: 1L));
        RegisterComponents();
    }

    protected override Tensor Step(Tensor z, Tensor a, Tensor start)
    {
        var planes = a[.., .., TensorIndex.None, TensorIndex.None].expand(-1, -1, z.shape[2], z.shape[3]);
        return z + _net.call(SeesStart ? cat([z, planes, start], 1) : cat([z, planes], 1));
    }
}
