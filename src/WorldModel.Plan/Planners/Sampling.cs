using WorldModel.Sim;

namespace WorldModel.Plan.Planners;

/// <summary>Shared pieces of the sampling planners.</summary>
internal static class Sampling
{
    /// <summary>
    /// Fills candidates (E × N × H × A) with mean + std·noise, each action clipped to the norm limit.
    /// Candidate 0 of each episode is the mean itself, so a good warm start is never lost.
    /// <paramref name="colour"/> is the exponent β of the noise's power spectrum 1/f^β along the horizon:
    /// 0 is white noise (independent per step); 2 is close to a random walk, so a candidate keeps a
    /// direction for many steps and can reach around a wall (iCEM, Pinneri et al. 2020, found β ≈ 2–4
    /// best for long-horizon control). Each sequence has unit variance per step whatever β.
    /// </summary>
    public static void Draw(
        Span<float> candidates,
        ReadOnlySpan<float> mean,
        ReadOnlySpan<float> std,
        int episodes,
        int n,
        int h,
        int a,
        float limit,
        ulong seed,
        float colour = 0)
    {
        int planSize = h * a;
        var filter = colour > 0 ? ColourFilter(h, colour) : null;
        var noise = new float[planSize];
        var work = filter is null ? null : new System.Numerics.Complex[h];
        for (int e = 0; e < episodes; e++)
        {
            ulong rng = Rng.Derive(seed, (ulong)e, stream: 7);
            var m = mean.Slice(e * planSize, planSize);
            var s = std.Slice(e * planSize, planSize);
            for (int c = 0; c < n; c++)
            {
                var dst = candidates.Slice((e * n + c) * planSize, planSize);
                if (c == 0) { m.CopyTo(dst); Clip(dst, a, limit); continue; }
                for (int i = 0; i < planSize; i++) noise[i] = Rng.Normal(ref rng);
                if (filter is not null) for (int k = 0; k < a; k++) Colour(noise, k, a, filter, work!);
                for (int i = 0; i < planSize; i++) dst[i] = m[i] + s[i] * noise[i];
                Clip(dst, a, limit);
            }
        }
    }

    /// <summary>
    /// Gain per frequency bin, |f|^(−β/2) with f floored at the lowest non-zero frequency 1/H, divided so
    /// that filtered white noise keeps unit variance: with an unscaled forward and a 1/H inverse transform
    /// the variance per step is the mean squared gain.
    /// </summary>
    private static double[] ColourFilter(int h, float beta)
    {
        var gain = new double[h];
        for (int k = 0; k < h; k++)
        {
            double f = Math.Max(Math.Min(k, h - k), 1) / (double)h;
            gain[k] = Math.Pow(f, -beta / 2);
        }
        double rms = Math.Sqrt(gain.Sum(g => g * g) / h);
        for (int k = 0; k < h; k++) gain[k] /= rms;
        return gain;
    }

    /// <summary>Filters one action component (every a-th value from offset k) of a white sequence in place.</summary>
    private static void Colour(float[] noise, int k, int a, double[] gain, System.Numerics.Complex[] work)
    {
        int h = gain.Length;
        if (h < 2) return;
        for (int t = 0; t < h; t++) work[t] = new System.Numerics.Complex(noise[t * a + k], 0);
        MathNet.Numerics.IntegralTransforms.Fourier.Forward(
            work, MathNet.Numerics.IntegralTransforms.FourierOptions.Matlab);
        for (int t = 0; t < h; t++) work[t] *= gain[t];
        MathNet.Numerics.IntegralTransforms.Fourier.Inverse(
            work, MathNet.Numerics.IntegralTransforms.FourierOptions.Matlab);
        for (int t = 0; t < h; t++) noise[t * a + k] = (float)work[t].Real;
    }

    /// <summary>Scales every action whose norm exceeds the limit back onto it (as the world would).</summary>
    public static void Clip(Span<float> actions, int a, float limit)
    {
        for (int t = 0; t + a <= actions.Length; t += a)
        {
            float n2 = 0;
            for (int k = 0; k < a; k++) n2 += actions[t + k] * actions[t + k];
            if (n2 <= limit * limit) continue;
            float s = limit / MathF.Sqrt(n2);
            for (int k = 0; k < a; k++) actions[t + k] *= s;
        }
    }

    /// <summary>
    /// Non-finite costs (a model that diverged on a wild candidate) become the worst finite cost, so
    /// one bad candidate cannot turn a plan into NaN.
    /// </summary>
    public static void Sanitise(Span<float> costs)
    {
        float worst = float.MinValue;
        foreach (float c in costs) if (float.IsFinite(c) && c > worst) worst = c;
        if (worst == float.MinValue) worst = 0;
        for (int i = 0; i < costs.Length; i++) if (!float.IsFinite(costs[i])) costs[i] = worst;
    }

    /// <summary>Index of the lowest cost among one episode's candidates.</summary>
    public static int ArgMin(ReadOnlySpan<float> costs)
    {
        int best = 0;
        for (int i = 1; i < costs.Length; i++) if (costs[i] < costs[best]) best = i;
        return best;
    }
}
