using TorchSharp;
using TorchSharp.Modules;
using WorldModel.Core.Config;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace WorldModel.Models.Hierarchy;

/// <summary>
/// A goal-conditioned policy over the frozen latent that proposes plans for the planner to refine: the way
/// TD-MPC (Hansen et al. 2022, arXiv 2203.04955) seeds its MPPI with a learned policy's trajectories, so the
/// search starts among the kind of plans the data holds instead of among random ones a model may imagine
/// wrongly. Trained by goal-conditioned behaviour cloning with hindsight goals (GCBC, as in Ghosh et al. 2019,
/// arXiv 1912.06088): from each state, the chunk of k actions the data took next, given a later state of the same
/// sequence as the goal.
/// </summary>
public sealed record GoalPolicyConfig
{
    /// <summary>Hidden width of the policy's MLP (two hidden layers).</summary>
    [Range(8, 4096)] public int Hidden { get; init; } = 256;
}

/// <summary>
/// π(z, g) → the next k actions (an MLP of both latents). It is only ever asked on encoded frames and on the
/// predictor's rollouts of its own chunks (<see cref="Planning.LearnedPlanningModel"/>'s proposals).
/// </summary>
public sealed class GoalPolicy : Module
{
    private readonly Sequential _net;

    public GoalPolicy(GoalPolicyConfig config, long latentSize, int skip, int actionDim) : base(nameof(GoalPolicy))
    {
        Config = config;
        Skip = skip;
        ActionDim = actionDim;
        _net = Sequential(
            Linear(2 * latentSize, config.Hidden), LayerNorm(config.Hidden), ReLU(),
            Linear(config.Hidden, config.Hidden), LayerNorm(config.Hidden), ReLU(),
            Linear(config.Hidden, skip * actionDim));
        RegisterComponents();
    }

    public GoalPolicyConfig Config { get; }
    /// <summary>Actions per proposed chunk (the high level's k).</summary>
    public int Skip { get; }
    public int ActionDim { get; }

    /// <summary>The parameters gradients train.</summary>
    public IEnumerable<Parameter> Trainable => _net.parameters();

    /// <summary>(N, …) latents and (N, …) goals → (N, k, A) actions.</summary>
    public Tensor Chunk(Tensor z, Tensor goal) =>
        _net.call(cat([z.flatten(1), goal.flatten(1)], 1)).reshape(-1, Skip, ActionDim);

    /// <summary>
    /// A plan of <paramref name="horizon"/> actions per latent z (N, …) toward goal (N, …): a chunk, the model's
    /// predictor rolled through it, the next chunk from there, the last chunk cut at the horizon. (N, horizon, A).
    /// </summary>
    public Tensor Imagine(LatentWorldModel model, Tensor z, Tensor goal, int horizon)
    {
        var chunks = new List<Tensor>();
        for (int t = 0; t < horizon; t += Skip)
        {
            var chunk = Chunk(z, goal);                                       // (N, k, A)
            chunks.Add(chunk);
            if (t + Skip < horizon) z = model.Rollout(z, chunk)[.., -1];
        }
        return cat(chunks, 1)[.., ..horizon].contiguous();
    }

    /// <summary>
    /// Behaviour cloning with hindsight goals on a batch of every-k-th latents z (B, R + 1, …) and the actions
    /// between them (B, R·k, A): each of the first R states, with every later state of its sequence as the goal,
    /// against the k actions the data took from it (mean squared error). All pairs, no sampling: the loss depends on
    /// the batch alone.
    /// </summary>
    public Tensor Loss(Tensor z, Tensor actions)
    {
        var flat = z.flatten(2);                                             // (B, S, D)
        long b = flat.shape[0], r = flat.shape[1] - 1;
        var chunks = actions.reshape(b, r, Skip, ActionDim);
        var (from, to) = (new List<long>(), new List<long>());
        for (long i = 0; i < r; i++)
            for (long j = i + 1; j <= r; j++) { from.Add(i); to.Add(j); }
        var fromIndex = tensor(from.ToArray(), device: z.device);
        var toIndex = tensor(to.ToArray(), device: z.device);
        var states = flat.index_select(1, fromIndex).flatten(0, 1);           // (B·P, D)
        var goals = flat.index_select(1, toIndex).flatten(0, 1);
        var taken = chunks.index_select(1, fromIndex).flatten(0, 1);          // (B·P, k, A)
        return (Chunk(states, goals) - taken).pow(2).mean();
    }
}
