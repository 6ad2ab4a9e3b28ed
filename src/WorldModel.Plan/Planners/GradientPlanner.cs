using WorldModel.Plan.Models;

namespace WorldModel.Plan.Planners;

/// <summary>
/// Gradient descent on the action sequence through a differentiable world model, batched over
/// episodes and restarts: each of <see cref="PlannerConfig.Samples"/> restarts (the warm start, and
/// the warm start plus coloured noise) takes <see cref="PlannerConfig.Iterations"/> Adam steps on its
/// cost, projected back onto the action-norm disk after each step; the lowest cost seen wins.
/// One model call per iteration scores and differentiates every restart of every episode.
/// Why restarts: a single descent from the warm start stops at the first local minimum (the wall).
/// </summary>
public sealed class GradientPlanner(GradientConfig config, float actionLimit) : IPlanner
{
    public PlanResult Plan(IPlanningModel model, Span<float> plan, int episodes, int horizon, int actionDim, ulong seed)
    {
        if (model is not IDifferentiablePlanningModel differentiable)
            throw new InvalidOperationException(
                $"{model.Name} is not differentiable: gradient planning needs a learned model; " +
                $"plan it with mppi or cem");
        int n = config.Samples, planSize = horizon * actionDim;
        var candidates = new float[episodes * n * planSize];
        var std = new float[episodes * planSize];
        Array.Fill(std, config.Noise);
        Sampling.Draw(candidates, plan, std, episodes, n, horizon, actionDim, actionLimit, seed, config.NoiseColour);

        var costs = new float[episodes * n];
        var gradient = new float[candidates.Length];
        var m = new float[candidates.Length];
        var v = new float[candidates.Length];
        var best = new float[episodes];
        Array.Fill(best, float.PositiveInfinity);
        var perIteration = new float[episodes][];
        for (int e = 0; e < episodes; e++) perIteration[e] = new float[config.Iterations + 1];
        const float beta1 = 0.9f, beta2 = 0.999f, eps = 1e-8f;

        for (int it = 0; it <= config.Iterations; it++)
        {
            // The last pass only scores where the final step landed.
            if (it < config.Iterations) differentiable.ScoreWithGradient(candidates, n, horizon, costs, gradient);
            else model.Score(candidates, n, horizon, costs);
            for (int e = 0; e < episodes; e++)
            {
                var c = costs.AsSpan(e * n, n);
                Sampling.Sanitise(c);
                int argMin = Sampling.ArgMin(c);
                if (c[argMin] < best[e])
                {
                    best[e] = c[argMin];
                    candidates.AsSpan((e * n + argMin) * planSize, planSize).CopyTo(plan.Slice(e * planSize, planSize));
                }
                perIteration[e][it] = best[e];
            }
            if (it == config.Iterations) break;

            // Adam (Kingma & Ba 2015) on every action value, then the projection onto the allowed disk.
            float correction1 = 1 - MathF.Pow(beta1, it + 1), correction2 = 1 - MathF.Pow(beta2, it + 1);
            for (int i = 0; i < candidates.Length; i++)
            {
                float g = float.IsFinite(gradient[i]) ? gradient[i] : 0;
                m[i] = beta1 * m[i] + (1 - beta1) * g;
                v[i] = beta2 * v[i] + (1 - beta2) * g * g;
                candidates[i] -= config.LearningRate * (m[i] / correction1) / (MathF.Sqrt(v[i] / correction2) + eps);
            }
            Sampling.Clip(candidates, actionDim, actionLimit);
        }
        return new PlanResult(best, perIteration);
    }
}
