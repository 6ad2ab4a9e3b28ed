using WorldModel.Plan.Models;

namespace WorldModel.Plan.Planners;

/// <summary>CEM over E episodes at once: one model call scores all E × N candidates per iteration.</summary>
public sealed class Cem(CemConfig config, float actionLimit) : IPlanner
{
    public PlanResult Plan(IPlanningModel model, Span<float> plan, int episodes, int horizon, int actionDim, ulong seed)
    {
        int n = config.Samples, k = config.Elites, planSize = horizon * actionDim;
        var candidates = new float[episodes * n * planSize];
        var costs = new float[episodes * n];
        var std = new float[episodes * planSize];
        Array.Fill(std, config.Noise);
        var best = new float[episodes];
        Array.Fill(best, float.PositiveInfinity);
        var bestPlan = new float[episodes * planSize];
        var perIteration = new float[episodes][];
        for (int e = 0; e < episodes; e++) perIteration[e] = new float[config.Iterations];
        var order = new int[n];
        var keys = new float[n];
        float keep = config.Momentum;

        for (int it = 0; it < config.Iterations; it++)
        {
            Sampling.Draw(
                candidates, plan, std, episodes, n, horizon, actionDim, actionLimit,
                seed + (ulong)it * 0x9E37UL, config.NoiseColour);
            model.Score(candidates, n, horizon, costs);
            for (int e = 0; e < episodes; e++) Sampling.Sanitise(costs.AsSpan(e * n, n));
            for (int e = 0; e < episodes; e++)
            {
                costs.AsSpan(e * n, n).CopyTo(keys);
                for (int i = 0; i < n; i++) order[i] = i;
                Array.Sort(keys, order);
                if (keys[0] < best[e])
                {
                    best[e] = keys[0];
                    candidates.AsSpan((e * n + order[0]) * planSize, planSize)
                        .CopyTo(bestPlan.AsSpan(e * planSize, planSize));
                }
                perIteration[e][it] = best[e];

                var m = plan.Slice(e * planSize, planSize);
                var s = std.AsSpan(e * planSize, planSize);
                for (int j = 0; j < planSize; j++)
                {
                    double sum = 0, sq = 0;
                    for (int r = 0; r < k; r++)
                    {
                        float v = candidates[(e * n + order[r]) * planSize + j];
                        sum += v; sq += (double)v * v;
                    }
                    double mu = sum / k, sd = Math.Sqrt(Math.Max(sq / k - mu * mu, 0));
                    m[j] = keep * m[j] + (1 - keep) * (float)mu;
                    s[j] = Math.Max(config.MinNoise, keep * s[j] + (1 - keep) * (float)sd);
                }
            }
        }
        // CEM executes the best sequence it scored (the refitted mean may never have been evaluated).
        bestPlan.CopyTo(plan);
        return new PlanResult(best, perIteration);
    }
}
