using WorldModel.Plan.Models;
using WorldModel.Plan.Planners;

namespace WorldModel.Plan.Tests;

/// <summary>Planners on costs whose minimum is known.</summary>
public class PlannerTests
{
    /// <summary>cost = Σ_h ‖a_h − target_h‖²: the minimum is the target sequence, cost 0.</summary>
    private sealed class QuadraticModel(float[] target) : IDifferentiablePlanningModel
    {
        public int Calls { get; private set; }
        public string Name => "quadratic";
        public void SetGoals(Observations goals) { }
        public void Observe(Observations current) { }
        public void Score(ReadOnlySpan<float> actions, int candidates, int horizon, Span<float> costs)
        {
            Calls++;
            int size = target.Length;
            for (int w = 0; w < costs.Length; w++)
            {
                float c = 0;
                for (int i = 0; i < size; i++) { float d = actions[w * size + i] - target[i]; c += d * d; }
                costs[w] = c;
            }
        }
        public void ScoreWithGradient(ReadOnlySpan<float> actions, int candidates, int horizon, Span<float> costs,
            Span<float> gradient)
        {
            Score(actions, candidates, horizon, costs);
            for (int i = 0; i < actions.Length; i++) gradient[i] = 2 * (actions[i] - target[i % target.Length]);
        }
        public void Dispose() { }
    }

    private static readonly float[] Target =
        Enumerable.Range(0, 16).Select(i => MathF.Sin(i) * 0.8f).ToArray(); // 8 steps × 2, all within the limit

    private static float Cost(float[] plan, int episode) =>
        Enumerable.Range(0, Target.Length).Sum(i => (plan[episode * Target.Length + i] - Target[i])
            * (plan[episode * Target.Length + i] - Target[i]));

    [Theory]
    [InlineData("mppi")]
    [InlineData("cem")]
    public void Planners_minimise_a_quadratic_cost_for_every_episode_in_one_call_per_iteration(string kind)
    {
        PlannerConfig config = kind == "mppi"
            ? new MppiConfig { Samples = 512, Iterations = 12, Noise = 0.5f }
            : new CemConfig { Samples = 512, Elites = 32, Iterations = 12, Noise = 0.5f };
        var model = new QuadraticModel(Target);
        var plan = new float[3 * Target.Length]; // 3 episodes, warm start at zero
        float before = Cost(plan, 0);
        var result = config.Create(actionLimit: 1.85f).Plan(model, plan, episodes: 3, horizon: 8,
            actionDim: 2, seed: 1);
        Assert.Equal(12, model.Calls); // one batched call per iteration, all episodes and candidates together
        for (int e = 0; e < 3; e++)
        {
            float after = Cost(plan, e);
            // CEM shrinks its noise onto the optimum; MPPI keeps a fixed noise, so it ends within that noise's reach.
            Assert.True(after < (kind == "cem" ? 0.02f : 0.1f) * before,
                $"{kind} episode {e}: cost {after:F4}, started at {before:F4}");
            Assert.True(result.BestCostPerIteration[e][^1] <= result.BestCostPerIteration[e][0]);
        }
    }

    [Fact]
    public void Gradient_descent_minimises_a_quadratic_cost_and_refuses_a_model_without_gradients()
    {
        var model = new QuadraticModel(Target);
        var plan = new float[3 * Target.Length];
        float before = Cost(plan, 0);
        var planner = new GradientConfig { Samples = 4, Iterations = 40, LearningRate = 0.05f }
            .Create(actionLimit: 1.85f);
        var result = planner.Plan(model, plan, episodes: 3, horizon: 8, actionDim: 2, seed: 1);
        Assert.Equal(41, model.Calls); // one batched call per step, one to score where the last step landed
        for (int e = 0; e < 3; e++)
        {
            Assert.True(Cost(plan, e) < 0.01f * before,
                $"episode {e}: cost {Cost(plan, e):F4}, started at {before:F4}");
            Assert.True(result.BestCostPerIteration[e][^1] < result.BestCostPerIteration[e][0]);
        }

        var noGradients = new RecordingModel();
        var error = Assert.Throws<InvalidOperationException>(() =>
            planner.Plan(noGradients, new float[16], 1, 8, 2, seed: 1));
        Assert.Contains("not differentiable", error.Message);
        Assert.Contains("mppi or cem", error.Message);
    }

    [Theory]
    [InlineData("mppi")]
    [InlineData("cem")]
    [InlineData("gradient")]
    public void Planned_actions_respect_the_norm_limit(string kind)
    {
        // The unconstrained optimum (3, 4) has norm 5; with a limit of 1 the best is (0.6, 0.8).
        var target = Enumerable.Range(0, 4).SelectMany(_ => new[] { 3f, 4f }).ToArray();
        PlannerConfig config = kind switch
        {
            "mppi" => new MppiConfig { Samples = 256, Iterations = 8 },
            "cem" => new CemConfig { Samples = 256, Iterations = 8 },
            _ => new GradientConfig { Samples = 4, Iterations = 30 },
        };
        var plan = new float[target.Length];
        config.Create(actionLimit: 1f).Plan(new QuadraticModel(target), plan, 1, 4, 2, seed: 3);
        for (int h = 0; h < 4; h++)
        {
            float norm = MathF.Sqrt(plan[2 * h] * plan[2 * h] + plan[2 * h + 1] * plan[2 * h + 1]);
            Assert.InRange(norm, 0.8f, 1.0001f);
            Assert.InRange(plan[2 * h] / norm, 0.45f, 0.75f); // direction of (3, 4): 0.6
        }
    }

    [Fact]
    public void Same_seed_gives_the_same_plan()
    {
        var a = new float[Target.Length];
        var b = new float[Target.Length];
        new MppiConfig().Create(1.85f).Plan(new QuadraticModel(Target), a, 1, 8, 2, seed: 9);
        new MppiConfig().Create(1.85f).Plan(new QuadraticModel(Target), b, 1, 8, 2, seed: 9);
        Assert.Equal(a, b);
    }

    /// <summary>Keeps the candidates of the first Score call.</summary>
    private sealed class RecordingModel : IPlanningModel
    {
        public float[]? Candidates;
        public string Name => "recording";
        public void SetGoals(Observations goals) { }
        public void Observe(Observations current) { }
        public void Score(ReadOnlySpan<float> actions, int candidates, int horizon, Span<float> costs)
        {
            Candidates ??= actions.ToArray();
            costs.Clear();
        }
        public void Dispose() { }
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(2f)]
    public void Coloured_noise_keeps_its_variance_and_makes_candidates_keep_their_direction(float colour)
    {
        const int n = 4000, h = 32;
        var model = new RecordingModel();
        new MppiConfig { Samples = n, Iterations = 1, Noise = 1f, NoiseColour = colour }.Create(actionLimit: 100f)
            .Plan(model, new float[h * 2], 1, h, 2, seed: 5);
        var c = model.Candidates!;
        double sq = 0, lag1 = 0, displacement = 0;
        for (int k = 1; k < n; k++) // candidate 0 is the (zero) mean itself
        {
            double x = 0;
            for (int t = 0; t < h; t++)
            {
                double v = c[(k * h + t) * 2];
                sq += v * v;
                if (t > 0) lag1 += v * c[(k * h + t - 1) * 2];
                x += v;
            }
            displacement += x * x;
        }
        double variance = sq / ((n - 1) * h), correlation = lag1 / ((n - 1) * (h - 1)) / variance,
            spread = Math.Sqrt(displacement / (n - 1));
        Assert.InRange(variance, 0.9, 1.1); // the noise setting means the same per step whatever the colour
        if (colour == 0)
        {
            Assert.InRange(correlation, -0.05, 0.05);
            Assert.InRange(spread, 0.9 * Math.Sqrt(h), 1.1 * Math.Sqrt(h)); // a random walk of H independent steps
        }
        else
        {
            Assert.True(correlation > 0.6,
                $"lag-1 correlation {correlation:F2}"); // consecutive actions point the same way
            Assert.True(spread > 2 * Math.Sqrt(h),
                $"end-point spread {spread:F1} px"); // so candidates reach far, e.g. around a wall
        }
    }
}
