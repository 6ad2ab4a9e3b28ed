using WorldModel.Models;
using WorldModel.Models.Evaluation;
using WorldModel.Render;
using WorldModel.Sim;
using WorldModel.Worlds;
using static TorchSharp.torch;

namespace WorldModel.Demo;

/// <summary>
/// Reads positions out of a model's latents: a ridge regression from latent to the agent's (x, y),
/// fitted at start-up on frames of the agent at random free positions (the renderer makes them, so
/// no dataset is needed). The demo draws predicted latents through it as a path.
/// </summary>
public sealed class PositionProbe
{
    private readonly LinearProbe _probe;

    private PositionProbe(LinearProbe probe, double rmse)
    {
        _probe = probe;
        Rmse = rmse;
    }

    /// <summary>Root-mean-square error in world units on held-out positions.</summary>
    public double Rmse { get; }

    public static PositionProbe Fit(
        LatentWorldModel model,
        Device device,
        IDemoWorld world,
        float[] layout,
        SceneBuilder scenes,
        IRenderer renderer,
        int samples = 1500,
        ulong seed = 7)
    {
        var positions = new float[samples * 2];
        ulong rng = seed;
        for (int i = 0; i < samples; i++)
            (positions[2 * i], positions[2 * i + 1]) = world.SampleFreePoint(layout, ref rng, 1f);
        var states = new List<float>();
        for (int i = 0; i < samples; i++) states.AddRange(world.StateAt(positions[2 * i], positions[2 * i + 1]));
        var layouts = new float[samples * layout.Length];
        for (int i = 0; i < samples; i++) layout.CopyTo(layouts.AsSpan(i * layout.Length));
        var latents = Encode(model, device, scenes, renderer, states.ToArray(), layouts, samples);
        // Fit on the first 80%, report the error on the rest.
        int fit = samples * 4 / 5;
        var probe = LinearProbe.Fit(Rows(latents, 0, fit), Targets(positions, 0, fit), ridge: 1e-2);
        var (rmse, _) = LinearProbe.Score(probe.Predict(Rows(latents, fit, samples)), Targets(positions, fit, samples));
        return new PositionProbe(probe, rmse);
    }

    private static double[,] Rows(double[,] m, int from, int to)
    {
        int d = m.GetLength(1);
        var r = new double[to - from, d];
        Buffer.BlockCopy(m, from * d * sizeof(double), r, 0, (to - from) * d * sizeof(double));
        return r;
    }

    private static double[,] Targets(float[] positions, int from, int to)
    {
        var t = new double[to - from, 2];
        for (int i = from; i < to; i++) { t[i - from, 0] = positions[2 * i]; t[i - from, 1] = positions[2 * i + 1]; }
        return t;
    }

    /// <summary>Positions (x, y), one pair per flattened latent.</summary>
    public float[] Positions(IReadOnlyList<float[]> latents)
    {
        int n = latents.Count, d = latents[0].Length;
        var f = new double[n, d];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++) f[i, j] = latents[i][j];
        var p = _probe.Predict(f);
        var result = new float[n * 2];
        for (int i = 0; i < n; i++) { result[2 * i] = (float)p[i, 0]; result[2 * i + 1] = (float)p[i, 1]; }
        return result;
    }

    /// <summary>Flattened latents of the agent at each state, one row per state (the explorer reuses it).</summary>
    internal static double[,] Encode(
        LatentWorldModel model,
        Device device,
        SceneBuilder scenes,
        IRenderer renderer,
        float[] states,
        float[] layouts,
        int count)
    {
        int sd = states.Length / count, ld = layouts.Length / count;
        double[,]? result = null;
        const int chunk = 250;
        using var _ = no_grad();
        for (int from = 0; from < count; from += chunk)
        {
            int n = Math.Min(chunk, count - from);
            var frames = scenes.Render(renderer, states.AsSpan(from * sd, n * sd),
                layouts.AsSpan(from * ld, n * ld), n);
            var (d, data) = TorchGuard.Pure(() =>
            {
                using var scope = NewDisposeScope();
                var z = model.Encoder.call(FrameTensors.Frames(frames, renderer.Format, n, device))
                    .flatten(1).cpu().to(ScalarType.Float64);
                return (z.shape[1], z.data<double>().ToArray());
            });
            result ??= new double[count, d];
            for (int i = 0; i < n; i++)
                for (int j = 0; j < d; j++) result[from + i, j] = data[i * d + j];
        }
        return result!;
    }
}
