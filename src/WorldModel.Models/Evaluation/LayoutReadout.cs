using TorchSharp;
using WorldModel.Data;
using WorldModel.Render;
using static TorchSharp.torch;

namespace WorldModel.Models.Evaluation;

/// <summary>
/// Does the latent hold the layout (Two-Rooms' wall and door), and does the predictor keep it as it imagines? A
/// linear probe from latents to the episode's layout numbers, fitted on training frames, scored on held-out
/// frames' latents and on the latents imagined H steps on from them. A planner that is to route round a wall it
/// never saw needs both: the encoder must see the door, and the rollout must not forget it.
/// </summary>
public static class LayoutReadout
{
    /// <param name="Names">
    /// The world's layout numbers that vary across the data (Two-Rooms: wall_low, door_low, …).
    /// </param>
    /// <param name="EncodedRmse">Per name: the probe's RMSE on held-out frames' latents.</param>
    /// <param name="ImaginedRmse">Per name: on the latents imagined <paramref name="Steps"/> steps on.</param>
    /// <param name="MeanRmse">Per name: predicting the training mean (the probe's baseline).</param>
    public sealed record Result(string[] Names, double[] EncodedRmse, double[] ImaginedRmse, double[] MeanRmse,
        int Steps);

    /// <summary>Null where no layout number varies across the training data (a fixed layout, Push-Ball).</summary>
    public static Result? Measure(
        LatentWorldModel model,
        Dataset train,
        Dataset heldOut,
        IRenderer renderer,
        int horizon,
        Device device,
        int samples)
    {
        int dim = train.Spec.LayoutDim, batches = Math.Max(1, samples / Batch);
        var varying = Enumerable.Range(0, dim).Where(j => Varies(train, j)).ToArray();
        if (varying.Length == 0) return null;
        bool training = model.training;
        model.eval();
        try
        {
            var fitSampler = new BatchSampler(train, Batch, 1, seed: 29, renderer);
            var (fitX, _, fitY) = Read(model, train, fitSampler, batches, 0, varying, device);
            var probe = LinearProbe.Fit(fitX, fitY);
            var sampler = new BatchSampler(heldOut, Batch, horizon + 1, seed: 31, renderer);
            var (x, imagined, y) = Read(model, heldOut, sampler, batches, horizon, varying, device);
            var mean = new double[y.GetLength(0), varying.Length];
            for (int j = 0; j < varying.Length; j++)
            {
                double m = 0;
                for (int i = 0; i < fitY.GetLength(0); i++) m += fitY[i, j];
                m /= fitY.GetLength(0);
                for (int i = 0; i < y.GetLength(0); i++) mean[i, j] = m;
            }
            return new Result(
                [.. varying.Select(j => train.Spec.LayoutNames[j])],
                LinearProbe.RmsePerTarget(probe.Predict(x), y),
                LinearProbe.RmsePerTarget(probe.Predict(imagined!), y),
                LinearProbe.RmsePerTarget(mean, y),
                horizon);
        }
        finally
        {
            if (training) model.train();
        }
    }

    private const int Batch = 64;

    private static bool Varies(Dataset d, int j)
    {
        int episodes = d.Layouts.Length / d.Spec.LayoutDim;
        float first = d.Layouts[j];
        for (int e = 1; e < episodes; e++)
            if (d.Layouts[e * d.Spec.LayoutDim + j] != first) return true;
        return false;
    }

    /// <summary>
    /// The first frame's latents, the latents imagined <paramref name="horizon"/> steps on by the true actions (none
    /// at 0), and each sequence's layout numbers.
    /// </summary>
    private static (double[,] Encoded, double[,]? Imagined, double[,] Layout) Read(
        LatentWorldModel model,
        Dataset data,
        BatchSampler sampler,
        int batches,
        int horizon,
        int[] varying,
        Device device)
    {
        var encoded = new List<double[]>();
        var imagined = new List<double[]>();
        var layouts = new List<double[]>();
        using (no_grad())
            for (int b = 0; b < batches; b++)
            {
                using var scope = NewDisposeScope();
                var sample = sampler.Sample(b);
                var z = model.Encode(FrameTensors.Frames(sample, device)); // (N, L, …)
                encoded.AddRange(Rows(z[.., 0].flatten(1)));
                if (horizon > 0)
                {
                    var rollout = model.Rollout(z[.., 0], FrameTensors.Actions(sample, device)); // (N, H, …)
                    imagined.AddRange(Rows(rollout[.., horizon - 1].flatten(1)));
                }
                for (int i = 0; i < sample.Size; i++)
                {
                    var layout = data.Layout(sample.Episodes[i]).ToArray();
                    layouts.Add([.. varying.Select(j => (double)layout[j])]);
                }
            }
        return (Matrix(encoded), horizon > 0 ? Matrix(imagined) : null, Matrix(layouts));
    }

    private static List<double[]> Rows(Tensor latents)
    {
        using var c = latents.cpu().contiguous();
        var all = ModelEvaluation.ToFloats(c);
        int n = (int)c.shape[0], d = (int)c.shape[1];
        return [.. Enumerable.Range(0, n).Select(i => all.AsSpan(i * d, d).ToArray().Select(v => (double)v).ToArray())];
    }

    private static double[,] Matrix(IReadOnlyList<double[]> rows)
    {
        var m = new double[rows.Count, rows[0].Length];
        for (int i = 0; i < rows.Count; i++) for (int j = 0; j < rows[i].Length; j++) m[i, j] = rows[i][j];
        return m;
    }
}
