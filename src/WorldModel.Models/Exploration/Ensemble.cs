using TorchSharp;
using TorchSharp.Modules;
using WorldModel.Models.Nets;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace WorldModel.Models.Exploration;

/// <summary>
/// K one-step predictors of the next latent (Plan2Explore, Sekar et al. 2020): trained on the same transitions
/// from different initial weights, they agree where the data taught them and disagree where it did not, so the
/// variance of their predictions marks what is worth collecting next.
/// </summary>
public sealed class Ensemble : Module
{
    private readonly ModuleList<Predictor> _heads = new();

    public Ensemble(int heads, ModelConfig model, long[] latentShape, int actionDim) : base(nameof(Ensemble))
    {
        for (int k = 0; k < heads; k++) _heads.Add(Predictor.Create(model, latentShape, actionDim));
        RegisterComponents();
    }

    public int Heads => _heads.Count;

    /// <summary>
    /// Mean over heads of each head's one-step error: z (N, …), a (N, A), next (N, …), all without gradient.
    /// </summary>
    public Tensor Loss(Tensor z, Tensor a, Tensor next)
    {
        var total = zeros([], device: z.device);
        foreach (var head in _heads) total += (head.call(z, a) - next).pow(2).mean();
        return total / _heads.Count;
    }

    /// <summary>
    /// (N, …) latents and (N, A) actions → (N,): the variance across heads of the next latent, averaged.
    /// </summary>
    public Tensor Disagreement(Tensor z, Tensor a)
    {
        var predictions = stack(_heads.Select(h => h.call(z, a)).ToArray(), 0); // (K, N, …)
        return predictions.var(0).flatten(1).mean([1]);
    }
}
