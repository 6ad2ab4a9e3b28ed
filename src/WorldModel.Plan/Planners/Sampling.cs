using WorldModel.Sim;

namespace WorldModel.Plan.Planners;

/// <summary>Shared pieces of the sampling planners.</summary>
internal static class Sampling
{
    /// <summary>
    /// Fills candidates (E × N × H × A) with mean + std·noise, each action clipped to the norm limit.
    /// Candidate 0 of each episode is the mean itself, so a good warm start is never lost.
    /// </summary>
    public static void Draw(Span<float> candidates, ReadOnlySpan<float> mean, ReadOnlySpan<float> std, int episodes, int n, int h, int a, float limit, ulong seed)
    {
        int planSize = h * a;
        for (int e = 0; e < episodes; e++)
        {
            ulong rng = Rng.Derive(seed, (ulong)e, stream: 7);
            var m = mean.Slice(e * planSize, planSize);
            var s = std.Slice(e * planSize, planSize);
            for (int c = 0; c < n; c++)
            {
                var dst = candidates.Slice((e * n + c) * planSize, planSize);
                for (int i = 0; i < planSize; i++) dst[i] = c == 0 ? m[i] : m[i] + s[i] * Rng.Normal(ref rng);
                Clip(dst, a, limit);
            }
        }
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
