using WorldModel.Data;
using static TorchSharp.torch;

namespace WorldModel.Models.Evaluation;

/// <summary>Prediction error per rollout length k, for the model and for "copy the last latent/frame".</summary>
public sealed record PredictionErrors(double[] Model, double[] CopyLast, double LatentVariance)
{
    /// <summary>Errors divided by the latents' total variance: 1 means "as far off as a random latent".</summary>
    public double NormalisedModel(int k) => Model[k - 1] / LatentVariance;
    public double NormalisedCopyLast(int k) => CopyLast[k - 1] / LatentVariance;
}

public static class PredictionError
{
    /// <summary>
    /// Adds one batch's errors for k = 1..H to <paramref name="model"/> and <paramref name="copy"/>; returns the
    /// batch's variance.
    /// </summary>
    private delegate double Measure(Batch batch, Span<double> model, Span<double> copy);

    /// <summary>
    /// Open-loop rollouts from each sequence's first frame, compared with the encoder's latents of the true frames.
    /// </summary>
    public static PredictionErrors Latent(
        LatentWorldModel model,
        BatchSampler sampler,
        int batches,
        Device device,
        long firstBatch = 1_000_000) =>
        Average(model, sampler, batches, firstBatch, (batch, modelErr, copyErr) =>
        {
            var z = model.Encode(FrameTensors.Frames(batch, device));
            var predicted = model.Rollout(z[.., 0], FrameTensors.Actions(batch, device));
            for (int k = 1; k <= modelErr.Length; k++)
            {
                var target = z[.., k];
                modelErr[k - 1] += (predicted[.., k - 1] - target).pow(2).flatten(1).sum(1).mean().item<float>();
                copyErr[k - 1] += (z[.., 0] - target).pow(2).flatten(1).sum(1).mean().item<float>();
            }
            return z.flatten(0, 1).flatten(1).var(0).sum().item<float>();
        });

    /// <summary>
    /// Pixel MSE per rollout length k of decoded predictions, and of "copy the first frame", against the true frames.
    /// </summary>
    public static PredictionErrors Pixel(
        LatentWorldModel model,
        BatchSampler sampler,
        int batches,
        Device device,
        long firstBatch = 1_000_000)
    {
        var decoder = model.Decoder
            ?? throw new InvalidOperationException("pixel prediction error needs a model with a decoder");
        return Average(model, sampler, batches, firstBatch, (batch, modelErr, copyErr) =>
        {
            var frames = FrameTensors.Frames(batch, device);
            var predicted = model.Rollout(model.Encoder.call(frames[.., 0]), FrameTensors.Actions(batch, device));
            for (int k = 1; k <= modelErr.Length; k++)
            {
                var image = nn.functional.sigmoid(decoder.call(predicted[.., k - 1]));
                modelErr[k - 1] += (image - frames[.., k]).pow(2).mean().item<float>();
                copyErr[k - 1] += (frames[.., 0] - frames[.., k]).pow(2).mean().item<float>();
            }
            return frames.var().item<float>();
        });
    }

    /// <summary>Evaluation mode, no gradients, one dispose scope per batch; errors averaged over batches.</summary>
    private static PredictionErrors Average(
        LatentWorldModel model,
        BatchSampler sampler,
        int batches,
        long firstBatch,
        Measure measure)
    {
        int h = sampler.Length - 1;
        // Pure: on TorchSharp's Scalar race the whole average is measured again from zero.
        return TorchGuard.Pure(() =>
        {
            var modelErr = new double[h];
            var copyErr = new double[h];
            double variance = 0;
            model.eval();
            using (no_grad())
            {
                for (int b = 0; b < batches; b++)
                {
                    using var scope = NewDisposeScope();
                    variance += measure(sampler.Sample(firstBatch + b), modelErr, copyErr);
                }
            }
            model.train();
            return new PredictionErrors(
                modelErr.Select(e => e / batches).ToArray(),
                copyErr.Select(e => e / batches).ToArray(),
                variance / batches);
        });
    }
}
