using TorchSharp;
using TorchSharp.Modules;
using WorldModel.Core.Config;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace WorldModel.Models.Hierarchy;

/// <summary>
/// A goal-conditioned value over the frozen latent, learned by temporal differences on the offline data, in
/// jumps of the high level (HIQL, Park et al. 2023, arXiv 2307.11949: an action-free value V(s, g) with reward
/// −1 until the goal, trained with expectile regression toward r + γ·V_target(s', g)). The latent distance the
/// planner uses otherwise orders points poorly by path length (across a wall it points into the wall); a value
/// bootstrapped along the data's paths counts the jumps around it.
/// </summary>
public sealed record GoalValueConfig
{
    /// <summary>Hidden width of the value's MLP (two hidden layers).</summary>
    [Range(8, 4096)] public int Hidden { get; init; } = 256;
    /// <summary>Discount per jump (HIQL: 0.99 per step; 0.99^8 ≈ 0.92 for jumps of 8).</summary>
    [Range(0.5, 0.999)] public double Discount { get; init; } = 0.92;
    /// <summary>
    /// Expectile of the TD target (0.5: the data's own mean return; above: the better outcomes, closer to the
    /// shortest path than the random walks that made the data; HIQL 0.7).
    /// </summary>
    [Range(0.5, 0.99)] public double Expectile { get; init; } = 0.9;
    /// <summary>Polyak rate of the target network after each step (HIQL: 0.005).</summary>
    [Range(0.0001, 1)] public double TargetRate { get; init; } = 0.005;
    /// <summary>
    /// Other sequences of the batch whose states serve as goals as well as the sequence's own (goals the data
    /// never joined in one episode: the bootstrap joins them through states that lie between).
    /// </summary>
    [Range(0, 64)] public int OtherSequences { get; init; } = 3;
}

/// <summary>
/// V(z, g) ≤ 0 (an MLP of both latents) and its slowly moving target copy; <see cref="Jumps"/> turns a value into
/// the number of jumps it stands for.
/// </summary>
public sealed class GoalValue : Module
{
    private readonly Sequential _online, _target;

    public GoalValue(GoalValueConfig config, long latentSize) : base(nameof(GoalValue))
    {
        Config = config;
        _online = Net(config.Hidden, latentSize);
        _target = Net(config.Hidden, latentSize);
        RegisterComponents();
        using (no_grad())
            foreach (var (t, o) in _target.parameters().Zip(_online.parameters()))
                t.copy_(o);
        foreach (var p in _target.parameters()) p.requires_grad = false;
    }

    public GoalValueConfig Config { get; }

    /// <summary>The parameters gradients train (the target copy follows by <see cref="UpdateTarget"/>).</summary>
    public IEnumerable<Parameter> Trainable => _online.parameters();

    /// <summary>(N, …) latents and (N, …) goals → (N,) values, −1/(1 − γ) (never) to 0 (there).</summary>
    public Tensor Value(Tensor z, Tensor goal) => Of(_online, z, goal);

    /// <summary>The target network's values, without gradient.</summary>
    public Tensor TargetValue(Tensor z, Tensor goal)
    {
        using var _ = no_grad();
        return Of(_target, z, goal).detach();
    }

    /// <summary>Jumps to the goal a value stands for: V = −(1 − γ^d)/(1 − γ) solved for d.</summary>
    public Tensor Jumps(Tensor value)
    {
        double g = Config.Discount;
        var fraction = (1 + (1 - g) * value).clamp_min(1e-6);
        return fraction.log() / Math.Log(g);
    }

    /// <summary>Jumps from each latent to its goal ((N, …) each → (N,)).</summary>
    public Tensor Distance(Tensor z, Tensor goal) => Jumps(Value(z, goal));

    /// <summary>target ← (1 − τ)·target + τ·online, after each optimiser step.</summary>
    public void UpdateTarget()
    {
        using var _ = no_grad();
        double rate = Config.TargetRate;
        foreach (var (t, o) in _target.parameters().Zip(_online.parameters()))
            t.mul_(1 - rate).add_(o, alpha: rate);
    }

    private Tensor Of(Sequential net, Tensor z, Tensor goal)
    {
        // −softplus keeps values at or below 0, the return of a reward that is never positive.
        var x = net.call(cat([z.flatten(1), goal.flatten(1)], 1)).squeeze(1);
        double floor = -1 / (1 - Config.Discount);
        return (-nn.functional.softplus(x)).clamp_min(floor);
    }

    private static Sequential Net(int hidden, long latentSize) => Sequential(
        Linear(2 * latentSize, hidden), LayerNorm(hidden), ReLU(),
        Linear(hidden, hidden), LayerNorm(hidden), ReLU(),
        Linear(hidden, 1));
}
