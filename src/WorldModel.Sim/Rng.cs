namespace WorldModel.Sim;

/// <summary>
/// Counter-based random numbers (SplitMix64) kept as one ulong per world, so that each
/// world's stream is independent of how worlds are split across threads or chunks:
/// that is what makes batched generation bit-for-bit deterministic.
/// </summary>
public static class Rng
{
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Seed of an independent stream: (seed, index, stream) → state.</summary>
    public static ulong Derive(ulong seed, ulong index, ulong stream = 0) =>
        Mix(Mix(seed ^ 0x5DEECE66DUL) + Mix(index + 0x9E3779B97F4A7C15UL) * 31 + stream * 0xD1B54A32D192ED03UL);

    public static ulong Next(ref ulong state) => Mix(state += 0x9E3779B97F4A7C15UL);

    /// <summary>Uniform in [0, 1) with 24 random bits (exact in float).</summary>
    public static float Uniform(ref ulong state) => (Next(ref state) >> 40) * (1.0f / (1 << 24));

    public static float Uniform(ref ulong state, float lo, float hi) => lo + (hi - lo) * Uniform(ref state);

    /// <summary>Uniform in (0, 1], safe for logarithms.</summary>
    private static double UniformOpen(ref ulong state) => ((Next(ref state) >> 11) + 1) * (1.0 / (1UL << 53));

    /// <summary>
    /// Standard normal by Box–Muller (one of the pair is discarded: simpler, and streams stay aligned).
    /// </summary>
    public static float Normal(ref ulong state)
    {
        double u1 = UniformOpen(ref state), u2 = UniformOpen(ref state);
        return (float)(Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
    }

    /// <summary>Normal(mean, sd) truncated to [lo, hi] by rejection (falls back to clamping after 64 tries).</summary>
    public static float TruncatedNormal(ref ulong state, float mean, float sd, float lo, float hi)
    {
        for (int i = 0; i < 64; i++)
        {
            float x = mean + sd * Normal(ref state);
            if (x >= lo && x <= hi) return x;
        }
        return Math.Clamp(mean, lo, hi);
    }

    /// <summary>
    /// Von Mises angle with mean mu and concentration kappa (Best &amp; Fisher 1979).
    /// kappa = 0 is uniform on the circle.
    /// </summary>
    public static float VonMises(ref ulong state, float mu, float kappa)
    {
        if (kappa < 1e-6f) return Uniform(ref state, -MathF.PI, MathF.PI);
        double tau = 1 + Math.Sqrt(1 + 4.0 * kappa * kappa);
        double rho = (tau - Math.Sqrt(2 * tau)) / (2 * kappa);
        double r = (1 + rho * rho) / (2 * rho);
        while (true)
        {
            double u1 = UniformOpen(ref state), u2 = UniformOpen(ref state), u3 = UniformOpen(ref state);
            double z = Math.Cos(Math.PI * u1);
            double f = (1 + r * z) / (r + z);
            double c = kappa * (r - f);
            if (c * (2 - c) - u2 > 0 || Math.Log(c / u2) + 1 - c >= 0)
            {
                double theta = (u3 > 0.5 ? 1 : -1) * Math.Acos(f);
                return (float)Math.IEEERemainder(mu + theta, 2 * Math.PI);
            }
        }
    }
}
