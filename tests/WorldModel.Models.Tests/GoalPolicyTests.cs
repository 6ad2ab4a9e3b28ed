using WorldModel.Models.Hierarchy;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace WorldModel.Models.Tests;

/// <summary>
/// The goal-conditioned policy's two heads on data that goes two ways: toward the goal in x, and past an obstacle
/// either above or below it (half the chunks go up, half down, whatever the state), as a pusher walks around the
/// ball on either side.
/// </summary>
[Collection("torch")]
public sealed class GoalPolicyTests(ITestOutputHelper output)
{
    private const int Skip = 4, Batch = 64;

    private static GoalPolicy Train(int modes)
    {
        manual_seed(0);
        var policy = new GoalPolicy(new GoalPolicyConfig { Hidden = 64, Modes = modes }, latentSize: 2, Skip, 2);
        var optimizer = optim.AdamW(policy.Trainable, 3e-3);
        var rng = new Random(1);
        for (int step = 0; step < 600; step++)
        {
            using var scope = NewDisposeScope();
            var (z, actions) = (new float[Batch * 2 * 2], new float[Batch * Skip * 2]);
            for (int b = 0; b < Batch; b++)
            {
                for (int i = 0; i < 4; i++) z[b * 4 + i] = (float)(2 * rng.NextDouble() - 1);
                float x = Math.Sign(z[b * 4 + 2] - z[b * 4]), y = rng.Next(2) == 0 ? 1 : -1;
                for (int t = 0; t < Skip; t++) (actions[(b * Skip + t) * 2], actions[(b * Skip + t) * 2 + 1]) = (x, y);
            }
            var loss = policy.Loss(tensor(z, [Batch, 2, 2]), tensor(actions, [Batch, Skip, 2]));
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
        }
        return policy;
    }

    [Fact]
    public void Given_chunks_that_pass_an_obstacle_on_either_side_Then_a_mixture_policy_takes_one_side_where_regression_takes_their_mean_into_it()
    {
        using var regressed = Train(modes: 0);
        using var mixture = Train(modes: 2);
        using var _ = no_grad();
        var states = rand(256, 2) * 2 - 1;
        var goals = rand(256, 2) * 2 - 1;
        var toward = (goals[.., 0] - states[.., 0]).sign().unsqueeze(1);             // (N, 1): the x the data took
        foreach (var (name, policy, side) in new[] { ("regression", regressed, 0.0), ("mixture", mixture, 1.0) })
        {
            var chunk = policy.Chunk(states, goals);                                      // (N, k, 2)
            // Means over states and goals: near x = goal's x the data's own x flips from −1 to +1.
            double xError = (chunk[.., .., 0] - toward).abs().mean().item<float>();
            double y = chunk[.., .., 1].abs().mean().item<float>();
            output.WriteLine($"{name}: x off by {xError:F2} on average; |y| {y:F2} on average");
            Assert.True(xError < 0.25, $"{name}: the chunk's x is off the goal's side by {xError:F2} on average");
            // Regression walks into the obstacle (|y| near 0); the mixture goes round it (|y| near 1).
            Assert.True(Math.Abs(side - y) < 0.25, $"{name}: |y| {y:F2} on average, expected near {side}");
        }
    }
}
