using WorldModel.Data;
using static TorchSharp.torch;

namespace WorldModel.Models.Evaluation;

/// <summary>
/// Would a planner prefer what really happened? For each held-out sequence, the goal is its last frame's latent;
/// the model imagines the sequence's own actions (which truly reach that frame), standing still, and
/// <see cref="RandomPlans"/> random plans (a random push held for <see cref="Hold"/> steps, then another), and
/// scores each by its last imagined latent's squared distance to the goal, as a planner's terminal cost does. A
/// model fit to plan with scores the true actions best; where random plans score better, a planner will pick
/// plans whose imagined future is wrong (model exploitation) — what pixel-exact probes do not show. With
/// pessimism λ each score also pays λ times the ensemble heads' mean disagreement along the plan, as a planner
/// with plan.pessimism and a terminal cost does.
/// </summary>
public static class ImaginedPlans
{
    public const int RandomPlans = 16, Hold = 8;

    /// <summary>
    /// Shares of sequences whose true actions imagine closer to the goal than every random plan, and than standing
    /// still; mean terminal scores (divided by the goal latents' variance) of each, with the pessimism they paid.
    /// </summary>
    public sealed record Result(
        double Pessimism,
        double TrueBeatsRandom,
        double TrueBeatsStill,
        double TrueDistance,
        double StillDistance,
        double BestRandomDistance);

    public static Result Measure(
        LatentWorldModel model,
        BatchSampler sampler,
        int batches,
        float actionLimit,
        Device device,
        float pessimism = 0,
        int seed = 29)
    {
        if (pessimism > 0 && model.Ensemble is not { Heads: >= 2 })
            throw new ArgumentException(
                $"pessimism {pessimism} needs a model with ensemble heads (trained with objective.ensembleHeads >= 2)");
        var heads = pessimism > 0 ? model.Ensemble : null;
        var rng = new Random(seed);
        int beatsRandom = 0, beatsStill = 0, n = 0;
        double trueSum = 0, stillSum = 0, randomSum = 0, variance = 0;
        model.eval();
        using (no_grad())
        {
            for (int b = 0; b < batches; b++)
            {
                using var scope = NewDisposeScope();
                var sample = sampler.Sample(b);
                var z = model.Encode(FrameTensors.Frames(sample, device));
                var actions = FrameTensors.Actions(sample, device);            // (B, H, A)
                long size = actions.shape[0], h = actions.shape[1], a = actions.shape[2];
                var start = z[.., 0];
                var goal = z[.., -1].flatten(1);
                var real = Terminal(model, heads, pessimism, start, actions, goal); // (B)
                var still = Terminal(model, heads, pessimism, start, zeros_like(actions), goal);
                var draws = DrawPlans(rng, size * RandomPlans, (int)h, (int)a, actionLimit);
                var plans = tensor(draws, [size * RandomPlans, h, a]).to(device);
                var random = Terminal(model, heads, pessimism, start.repeat_interleave(RandomPlans, 0), plans,
                    goal.repeat_interleave(RandomPlans, 0)).reshape(size, RandomPlans).amin(1);
                beatsRandom += (int)(real < random).sum().item<long>();
                beatsStill += (int)(real < still).sum().item<long>();
                trueSum += real.sum().item<float>();
                stillSum += still.sum().item<float>();
                randomSum += random.sum().item<float>();
                variance += goal.var(0).mean().item<float>() * size;
                n += (int)size;
            }
        }
        model.train();
        double v = Math.Max(variance / n, 1e-12);
        return new Result(
            Pessimism: pessimism,
            TrueBeatsRandom: beatsRandom / (double)n,
            TrueBeatsStill: beatsStill / (double)n,
            TrueDistance: trueSum / n / v,
            StillDistance: stillSum / n / v,
            BestRandomDistance: randomSum / n / v);
    }

    /// <summary>
    /// Mean squared distance of the last imagined latent to the goal, per rollout; with heads, plus pessimism times
    /// their disagreement averaged over the steps.
    /// </summary>
    private static Tensor Terminal(
        LatentWorldModel model,
        Exploration.Ensemble? heads,
        float pessimism,
        Tensor start,
        Tensor actions,
        Tensor goal)
    {
        var imagined = model.Rollout(start, actions);                              // (B, H, …)
        var distance = (imagined[.., -1].flatten(1) - goal).pow(2).mean([1]);
        if (heads is null) return distance;
        long b = actions.shape[0], h = actions.shape[1];
        // The latent each action is taken from: the start, then each imagined one but the last.
        var from = cat([start.unsqueeze(1), imagined[.., ..^1]], 1).flatten(0, 1);
        var disagreement = heads.Disagreement(from, actions.flatten(0, 1)).reshape(b, h).mean([1]);
        return distance + pessimism * disagreement;
    }

    /// <summary>
    /// Random plans: a push drawn uniformly from the disk (ball) of the action limit, held for <see cref="Hold"/>
    /// steps, then another.
    /// </summary>
    private static float[] DrawPlans(Random rng, long plans, int horizon, int actionDim, float limit)
    {
        var values = new float[plans * horizon * actionDim];
        var push = new double[actionDim];
        for (long p = 0; p < plans; p++)
            for (int t = 0; t < horizon; t++)
            {
                if (t % Hold == 0)
                {
                    double norm = 0;
                    for (int j = 0; j < actionDim; j++)
                    {
                        // a Gaussian direction (Box-Muller), scaled to a radius uniform over the ball's volume
                        push[j] = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble()))
                            * Math.Cos(2 * Math.PI * rng.NextDouble());
                        norm += push[j] * push[j];
                    }
                    double radius = limit * Math.Pow(rng.NextDouble(), 1.0 / actionDim)
                        / Math.Max(Math.Sqrt(norm), 1e-12);
                    for (int j = 0; j < actionDim; j++) push[j] *= radius;
                }
                for (int j = 0; j < actionDim; j++) values[(p * horizon + t) * actionDim + j] = (float)push[j];
            }
        return values;
    }
}
