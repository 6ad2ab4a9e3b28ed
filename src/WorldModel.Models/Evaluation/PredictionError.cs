using WorldModel.Data;
using static TorchSharp.torch;

namespace WorldModel.Models.Evaluation;

/// <summary>Latent prediction error per rollout length k, for the model and for "copy the last latent".</summary>
public sealed record PredictionErrors(double[] Model, double[] CopyLast, double LatentVariance)
{
    /// <summary>Errors divided by the latents' total variance: 1 means "as far off as a random latent".</summary>
    public double NormalisedModel(int k) => Model[k - 1] / LatentVariance;
    public double NormalisedCopyLast(int k) => CopyLast[k - 1] / LatentVariance;
}

public static class PredictionError
{
    /// <summary>Open-loop rollouts from each sequence's first frame, compared with the encoder's latents of the true frames.</summary>
    public static PredictionErrors Latent(LatentWorldModel model, BatchSampler sampler, int batches, Device device, long firstBatch = 1_000_000)
    {
        int h = sampler.Length - 1;
        var model_ = new double[h];
        var copy = new double[h];
        double variance = 0;
        model.eval();
        using (no_grad())
        {
            for (int b = 0; b < batches; b++)
            {
                using var scope = NewDisposeScope();
                var batch = sampler.Sample(firstBatch + b);
                var z = model.Encode(FrameTensors.Frames(batch, device));
                var predicted = model.Rollout(z[.., 0], FrameTensors.Actions(batch, device));
                for (int k = 1; k <= h; k++)
                {
                    var target = z[.., k];
                    model_[k - 1] += (predicted[.., k - 1] - target).pow(2).flatten(1).sum(1).mean().item<float>() / batches;
                    copy[k - 1] += (z[.., 0] - target).pow(2).flatten(1).sum(1).mean().item<float>() / batches;
                }
                variance += z.flatten(0, 1).flatten(1).var(0).sum().item<float>() / batches;
            }
        }
        model.train();
        return new PredictionErrors(model_, copy, variance);
    }

    /// <summary>Pixel MSE per rollout length k of decoded predictions, and of "copy the first frame", against the true frames.</summary>
    public static PredictionErrors Pixel(LatentWorldModel model, BatchSampler sampler, int batches, Device device, long firstBatch = 1_000_000)
    {
        var decoder = model.Decoder ?? throw new InvalidOperationException("pixel prediction error needs a model with a decoder");
        int h = sampler.Length - 1;
        var model_ = new double[h];
        var copy = new double[h];
        double variance = 0;
        model.eval();
        using (no_grad())
        {
            for (int b = 0; b < batches; b++)
            {
                using var scope = NewDisposeScope();
                var batch = sampler.Sample(firstBatch + b);
                var frames = FrameTensors.Frames(batch, device);
                var z0 = model.Encoder.call(frames[.., 0]);
                var predicted = model.Rollout(z0, FrameTensors.Actions(batch, device));
                for (int k = 1; k <= h; k++)
                {
                    var image = nn.functional.sigmoid(decoder.call(predicted[.., k - 1]));
                    model_[k - 1] += (image - frames[.., k]).pow(2).mean().item<float>() / batches;
                    copy[k - 1] += (frames[.., 0] - frames[.., k]).pow(2).mean().item<float>() / batches;
                }
                variance += frames.var().item<float>() / batches;
            }
        }
        model.train();
        return new PredictionErrors(model_, copy, variance);
    }
}
