using TorchSharp;
using WorldModel.Data;
using WorldModel.Models.Objectives;
using WorldModel.Render;
using static TorchSharp.torch;

namespace WorldModel.Models.Evaluation;

/// <summary>
/// Evaluates a trained model on held-out episodes: prediction error versus rollout length against
/// "copy the last latent/frame", collapse diagnostics, and linear probes from latents to true positions
/// (fitted on training episodes) for encoder latents and for k-step predicted latents.
/// </summary>
public static class ModelEvaluation
{
    public static ModelReport Run(
        LatentWorldModel model,
        ObjectiveConfig objective,
        Dataset train,
        Dataset heldOut,
        IRenderer renderer,
        int horizon,
        Device device,
        int samples = 2048,
        float pessimism = 0) =>
        // Pure: reading a model changes nothing, so on TorchSharp's Scalar race it is read again.
        TorchGuard.Pure(() => Measure(model, objective, train, heldOut, renderer, horizon, device, samples) with
        {
            ImaginedPlans = ImaginedPlans.Measure(
                model,
                new BatchSampler(heldOut, 64, horizon + 1, seed: 17, renderer),
                Math.Max(1, samples / 64),
                heldOut.Config.World.ActionLimit,
                device,
                pessimism),
            Layout = LayoutReadout.Measure(model, train, heldOut, renderer, horizon, device, samples),
        });

    /// <summary>
    /// The linear probe <see cref="Run"/> scores, as its D × T matrix: latent → the positions the world records
    /// (the agent's, and the ball's where there is one), fitted on <paramref name="samples"/> training frames. Used
    /// as a planning cost ("latent-probe"), it asks how a planner does when the latent's own distance is replaced by
    /// distance in the positions it holds: a diagnostic, since the fit uses the true positions.
    /// </summary>
    public static double[,] PositionReadout(
        LatentWorldModel model,
        Dataset train,
        IRenderer renderer,
        Device device,
        int samples = 2048)
    {
        bool training = model.training;
        var (x, y) = Encode(model, new BatchSampler(train, 64, 1, seed: 23, renderer), Math.Max(1, samples / 64),
            PositionIndices(train), device);
        if (!training) model.eval(); // Encode leaves the model in training mode
        return LinearProbe.Fit(x, y).Weights;
    }

    private static ModelReport Measure(
        LatentWorldModel model,
        ObjectiveConfig objective,
        Dataset train,
        Dataset heldOut,
        IRenderer renderer,
        int horizon,
        Device device,
        int samples)
    {
        int batch = 64, batches = Math.Max(1, samples / batch);
        var targets = PositionIndices(train);
        var heldOutSampler = new BatchSampler(heldOut, batch, horizon + 1, seed: 17, renderer);

        var errors = objective is PixelObjectiveConfig
            ? PredictionError.Pixel(model, heldOutSampler, batches, device, firstBatch: 0)
            : PredictionError.Latent(model, heldOutSampler, batches, device, firstBatch: 0);

        // Probe: fit on training frames' latents, score on held-out latents (encoder and predicted).
        var (trainX, trainY) = Encode(
            model, new BatchSampler(train, batch, 1, seed: 23, renderer), batches, targets, device);
        var probe = LinearProbe.Fit(trainX, trainY);
        model.eval();
        var predictedRmse = new double[horizon];
        var predictedR2 = new double[horizon];
        double encoderRmse, encoderR2, meanRmse, meanStd, collapsed, erank;
        double[] perTarget;
        var predictedPerTarget = new double[horizon][];
        var stillPerTarget = new double[horizon][];
        int latentSize;
        var world = heldOut.Config.World as IDatasetWorld;
        var kinds = new List<int>();
        RareEventError? rare = null;
        using (no_grad())
        using (NewDisposeScope()) // every temporary of the statistics below dies here
        {
            var zs = new List<Tensor>();
            var preds = new List<Tensor>();
            var states = new List<float[]>();
            for (int b = 0; b < batches; b++)
            {
                // One scope per batch: encoder activations are large; only the latents leave it.
                using var scope = NewDisposeScope();
                var sample = heldOutSampler.Sample(b);
                var z = model.Encode(FrameTensors.Frames(sample, device));
                zs.Add(z.flatten(2).cpu().MoveToOuterDisposeScope());
                preds.Add(model.Rollout(z[.., 0], FrameTensors.Actions(sample, device))
                    .flatten(2).cpu().MoveToOuterDisposeScope());
                states.Add(sample.States);
                if (world is not null)
                    kinds.AddRange(
                        RareEventError.Kinds(world, heldOut.Config.World.ActionLimit, heldOut, sample, horizon));
            }
            using var zAll = cat(zs, 0);       // (N, L, D)
            using var pAll = cat(preds, 0);    // (N, H, D)
            long n = zAll.shape[0];
            latentSize = (int)zAll.shape[2];
            var truth = (int t) => Positions(states, train.Spec.StateDim, horizon + 1, t, targets);
            var truth0 = truth(0);
            var encoded = probe.Predict(ToArray(zAll[.., 0]));
            (encoderRmse, encoderR2) = LinearProbe.Score(encoded, truth0);
            perTarget = LinearProbe.RmsePerTarget(encoded, truth0);
            meanRmse = LinearProbe.Score(MeanPrediction(trainY, (int)n), truth0).Rmse;
            for (int k = 1; k <= horizon; k++)
            {
                var predicted = probe.Predict(ToArray(pAll[.., k - 1]));
                var truthK = truth(k);
                (predictedRmse[k - 1], predictedR2[k - 1]) = LinearProbe.Score(predicted, truthK);
                predictedPerTarget[k - 1] = LinearProbe.RmsePerTarget(predicted, truthK);
                stillPerTarget[k - 1] = LinearProbe.RmsePerTarget(encoded, truthK);
                if (k == horizon && world is not null)
                    rare = RareEventError.Measure(world.RareEvent, k, [.. kinds], predicted, encoded, truthK);
            }

            using var first = zAll[.., 0];
            using var std = Regularisers.FeatureStd(first);
            meanStd = std.mean().item<float>();
            collapsed = (std < 0.01f).to(ScalarType.Float32).mean().item<float>();
            erank = EffectiveRank(first);
        }
        model.train();
        // Latent errors are divided by the latents' total variance (1 = as far off as a random latent), so
        // models with different latent sizes and scales compare; pixel errors stay plain MSE.
        bool pixel = objective is PixelObjectiveConfig;
        double scale = pixel ? 1 : errors.LatentVariance;
        return new ModelReport(
            Objective: pixel ? "pixel" : "jepa",
            ErrorUnit: pixel ? "pixel MSE" : "latent error / latent variance",
            ModelError: errors.Model.Select(e => e / scale).ToArray(),
            CopyLastError: errors.CopyLast.Select(e => e / scale).ToArray(),
            LatentSize: latentSize,
            MeanFeatureStd: meanStd,
            CollapsedFeatureShare: collapsed,
            EffectiveRank: erank,
            ProbeTargets: targets.Select(i => train.Spec.StateNames[i]).ToArray(),
            ProbeRmse: encoderRmse,
            ProbeR2: encoderR2,
            MeanPositionRmse: meanRmse,
            PredictedProbeRmse: predictedRmse,
            PredictedProbeR2: predictedR2)
        {
            ProbeTargetRmse = perTarget,
            PredictedProbeTargetRmse = predictedPerTarget,
            StillProbeTargetRmse = stillPerTarget,
            RareEvent = rare,
        };
    }

    /// <summary>Entries of the state that are positions (x, y of the agent, and of the ball in Push-Ball).</summary>
    public static int[] PositionIndices(Dataset d) => d.Spec.StateNames
        .Select((name, i) => (name, i))
        .Where(p => p.name is "x" or "y"
            || p.name.EndsWith("_x", StringComparison.Ordinal)
            || p.name.EndsWith("_y", StringComparison.Ordinal))
        .Select(p => p.i).ToArray();

    /// <summary>exp(entropy of the normalised singular values) of centred latents (Roy &amp; Vetterli 2007).</summary>
    public static double EffectiveRank(Tensor z)
    {
        using var _ = NewDisposeScope();
        var x = z.reshape(z.shape[0], -1).to(ScalarType.Float64);
        var s = linalg.svdvals(x - x.mean([0], keepdim: true));
        var p = s / s.sum();
        var entropy = -(p * (p + 1e-12).log()).sum();
        return Math.Exp(entropy.item<double>());
    }

    private static (double[,] X, double[,] Y) Encode(
        LatentWorldModel model,
        BatchSampler sampler,
        int batches,
        int[] targets,
        Device device)
    {
        var rows = new List<float[]>();
        var ys = new List<double[]>();
        model.eval();
        using (no_grad())
        {
            for (int b = 0; b < batches; b++)
            {
                using var scope = NewDisposeScope();
                var sample = sampler.Sample(b);
                var z = model.Encode(FrameTensors.Frames(sample, device)).flatten(1).cpu().contiguous();
                var data = ToFloats(z);
                int d = (int)(data.Length / sample.Size);
                for (int i = 0; i < sample.Size; i++)
                {
                    rows.Add(data.AsSpan(i * d, d).ToArray());
                    ys.Add(targets
                        .Select(t => (double)sample.States[i * (sample.States.Length / sample.Size) + t])
                        .ToArray());
                }
            }
        }
        model.train();
        var x = new double[rows.Count, rows[0].Length];
        var y = new double[rows.Count, targets.Length];
        for (int i = 0; i < rows.Count; i++)
        {
            for (int j = 0; j < rows[i].Length; j++) x[i, j] = rows[i][j];
            for (int j = 0; j < targets.Length; j++) y[i, j] = ys[i][j];
        }
        return (x, y);
    }

    private static double[,] ToArray(Tensor t)
    {
        using var c = t.contiguous();
        var data = ToFloats(c);
        int n = (int)c.shape[0], d = (int)c.shape[1];
        var a = new double[n, d];
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) a[i, j] = data[i * d + j];
        return a;
    }

    /// <summary>Reads a CPU float tensor at memcpy speed (element-wise data&lt;T&gt;() is ~100× slower).</summary>
    internal static float[] ToFloats(Tensor t) =>
        System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(t.contiguous().bytes).ToArray();

    private static double[,] Positions(List<float[]> states, int stateDim, int length, int t, int[] targets)
    {
        int perBatch = states[0].Length / (stateDim * length);
        var y = new double[states.Count * perBatch, targets.Length];
        for (int b = 0; b < states.Count; b++)
            for (int i = 0; i < perBatch; i++)
                for (int j = 0; j < targets.Length; j++)
                    y[b * perBatch + i, j] = states[b][(i * length + t) * stateDim + targets[j]];
        return y;
    }

    private static double[,] MeanPrediction(double[,] trainY, int n)
    {
        int t = trainY.GetLength(1);
        var mean = new double[t];
        for (int i = 0; i < trainY.GetLength(0); i++)
            for (int j = 0; j < t; j++) mean[j] += trainY[i, j] / trainY.GetLength(0);
        var y = new double[n, t];
        for (int i = 0; i < n; i++) for (int j = 0; j < t; j++) y[i, j] = mean[j];
        return y;
    }
}
