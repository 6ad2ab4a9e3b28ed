using static TorchSharp.torch;

namespace WorldModel.Models.Objectives;

/// <summary>A loss over one batch: the total to minimise and each named term (for logs), as tensors.</summary>
public sealed record LossTerms(Tensor Total, IReadOnlyDictionary<string, Tensor> Terms);

public static class Objective
{
    /// <summary>frames (B, L, C, H, W), actions (B, L − 1, A).</summary>
    public static LossTerms Compute(ObjectiveConfig config, LatentWorldModel model, Tensor frames, Tensor actions) =>
        config switch
        {
            JepaObjectiveConfig c => Jepa(c, model, frames, actions),
            PixelObjectiveConfig c => Pixel(c, model, frames, actions),
            _ => throw new ArgumentOutOfRangeException(nameof(config), config.GetType().Name, "unknown objective"),
        };

    private static LossTerms Jepa(JepaObjectiveConfig c, LatentWorldModel model, Tensor frames, Tensor actions)
    {
        var terms = new Dictionary<string, Tensor>();
        var z = model.Encode(frames);                    // (B, L, …)
        var predicted = model.Rollout(z[.., 0], actions); // (B, L − 1, …)
        // Stop-gradient targets: the online encoder's own latents, or its EMA copy's.
        var target = model.TargetEncoder is null ? z[.., 1..].detach() : model.EncodeTargets(frames[.., 1..]);
        terms["prediction"] = (predicted - target).pow(2).mean();
        var regularised = c.RegulariseFirstFrameOnly ? z[.., 0] : z.flatten(0, 1);
        if (c.Variance > 0) terms["variance"] = Regularisers.Variance(regularised);
        if (c.Covariance > 0) terms["covariance"] = Regularisers.Covariance(regularised);
        if (c.Temporal > 0) terms["temporal"] = Regularisers.Temporal(z);
        if (c.TimeVariance > 0) terms["time_variance"] = Regularisers.TimeVariance(z);
        if (c.InverseDynamics > 0 && model.InverseDynamics is { } idm)
        {
            var zt = z[.., ..^1].flatten(0, 1);
            var zn = z[.., 1..].flatten(0, 1);
            terms["inverse_dynamics"] = (idm.call(zt, zn) - actions.flatten(0, 1)).pow(2).mean();
        }
        if (c.Reconstruction > 0)
        {
            var decoder = model.Decoder
                ?? throw new InvalidOperationException("objective.reconstruction needs a model with a decoder");
            terms["reconstruction"] =
                nn.functional.binary_cross_entropy_with_logits(decoder.call(z[.., 0]), frames[.., 0]);
        }
        if (model.Ensemble is { } ensemble)
            terms["ensemble"] = ensemble.Loss(z[.., ..^1].flatten(0, 1).detach(), actions.flatten(0, 1),
                z[.., 1..].flatten(0, 1).detach());
        var total = c.Prediction * terms["prediction"];
        if (terms.TryGetValue("variance", out var v)) total += c.Variance * v;
        if (terms.TryGetValue("covariance", out var cv)) total += c.Covariance * cv;
        if (terms.TryGetValue("temporal", out var t)) total += c.Temporal * t;
        if (terms.TryGetValue("time_variance", out var tv)) total += c.TimeVariance * tv;
        if (terms.TryGetValue("inverse_dynamics", out var i)) total += c.InverseDynamics * i;
        if (terms.TryGetValue("ensemble", out var en)) total += en;
        if (terms.TryGetValue("reconstruction", out var r)) total += c.Reconstruction * r;
        return new LossTerms(total, terms);
    }

    private static LossTerms Pixel(PixelObjectiveConfig c, LatentWorldModel model, Tensor frames, Tensor actions)
    {
        var decoder = model.Decoder
            ?? throw new InvalidOperationException("the pixel objective needs a model with a decoder");
        long b = frames.shape[0], l = frames.shape[1];
        var z0 = model.Encoder.call(frames[.., 0]);
        var predicted = model.Rollout(z0, actions).flatten(0, 1);
        var predictedLogits = decoder.call(predicted)
            .reshape(b, l - 1, frames.shape[2], frames.shape[3], frames.shape[4]);
        var reconstructionLogits = decoder.call(z0);
        // Pixels are coverages in [0, 1]: binary cross-entropy on logits. Plain MSE let a model that draws
        // the walls and no agent win (the agent is a few pixels of a frame); BCE keeps sparse pixels in play.
        var terms = new Dictionary<string, Tensor>
        {
            ["prediction"] = nn.functional.binary_cross_entropy_with_logits(predictedLogits, frames[.., 1..]),
            ["reconstruction"] = nn.functional.binary_cross_entropy_with_logits(reconstructionLogits, frames[.., 0]),
        };
        return new LossTerms(c.Prediction * terms["prediction"] + c.Reconstruction * terms["reconstruction"], terms);
    }
}
