using WorldModel.Plan.Models;

namespace WorldModel.Plan.Planners;

/// <summary>MPPI over E episodes at once: one model call scores all E × N candidates per iteration.</summary>
public sealed class Mppi(MppiConfig config, float actionLimit) : IPlanner
{
    public PlanResult Plan(IPlanningModel model, Span<float> plan, int episodes, int horizon, int actionDim, ulong seed)
    {
        int n = config.Samples, planSize = horizon * actionDim;
        var candidates = new float[episodes * n * planSize];
        var costs = new float[episodes * n];
        var std = new float[episodes * planSize];
        Array.Fill(std, config.Noise);
        var best = new float[episodes];
        Array.Fill(best, float.PositiveInfinity);
        var perIteration = new float[episodes][];
        for (int e = 0; e < episodes; e++) perIteration[e] = new float[config.Iterations];
        var weights = new double[n];

        for (int it = 0; it < config.Iterations; it++)
        {
            Sampling.Draw(
                candidates, plan, std, episodes, n, horizon, actionDim, actionLimit,
                seed + (ulong)it * 0x9E37UL, config.NoiseColour);
            model.Score(candidates, n, horizon, costs);
            for (int e = 0; e < episodes; e++) Sampling.Sanitise(costs.AsSpan(e * n, n));
            for (int e = 0; e < episodes; e++)
            {
                var c = costs.AsSpan(e * n, n);
                int argMin = Sampling.ArgMin(c);
                best[e] = Math.Min(best[e], c[argMin]);
                perIteration[e][it] = best[e];

                // Weights exp(−(c − min) / (λ·spread)): the spread (standard deviation) makes λ scale-free.
                double mean = 0, sq = 0;
                foreach (float v in c) { mean += v; sq += (double)v * v; }
                mean /= n;
                double spread = Math.Sqrt(Math.Max(sq / n - mean * mean, 0)) + 1e-12;
                double total = 0;
                for (int i = 0; i < n; i++)
                    total += weights[i] = Math.Exp(-(c[i] - c[argMin]) / (config.Temperature * spread));
                var m = plan.Slice(e * planSize, planSize);
                m.Clear();
                for (int i = 0; i < n; i++)
                {
                    float w = (float)(weights[i] / total);
                    if (w < 1e-7f) continue;
                    var cand = candidates.AsSpan((e * n + i) * planSize, planSize);
                    for (int j = 0; j < planSize; j++) m[j] += w * cand[j];
                }
            }
        }
        // The plan left in place is the last weighted mean: MPPI's answer (each next iteration scores it as
        // candidate 0).
        return new PlanResult(best, perIteration);
    }
}
