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

    /// <summary>
    /// 0: the chunk is regressed by mean squared error, so where the data goes two ways (around the ball on its
    /// left or its right) the policy learns their mean, which is neither. K ≥ 1: a mixture of K diagonal
    /// Gaussians over the chunk, trained by negative log-likelihood, acting on the mean of its likeliest mode
    /// (robomimic's BC-GMM, Mandlekar et al. 2021, arXiv 2108.03298, used 5 modes).
    /// </summary>
    [AddedKey, Range(0, 64)] public int Modes { get; init; }

    /// <summary>
    /// false: the policy reads the JEPA's frozen latent. true: it reads frames through its own copy of the
    /// JEPA's encoder, started from the JEPA's weights and trained by the policy's loss alone (the JEPA and its
    /// jumps are left as they are), so what the policy needs (the agent's place, beside the ball's) is kept even
    /// where the JEPA's latent let it go. Its plan is then one chunk: later chunks would need frames it cannot
    /// see, so the rest of the horizon stands still (with replanning every step only the first action is taken).
    /// </summary>
    [AddedKey] public bool OwnEncoder { get; init; }
}

/// <summary>
/// π(z, g) → the next k actions (an MLP of both latents). It is only ever asked on encoded frames and on the
/// predictor's rollouts of its own chunks (<see cref="Planning.LearnedPlanningModel"/>'s proposals).
/// </summary>
public sealed class GoalPolicy : Module
{
    private readonly Sequential _net;
    private readonly Nets.ImpalaEncoder? _encoder;

    /// <param name="newEncoder">Makes the policy's own encoder (the JEPA's architecture); used with
    /// <see cref="GoalPolicyConfig.OwnEncoder"/> only.</param>
    public GoalPolicy(
        GoalPolicyConfig config, long latentSize, int skip, int actionDim, Func<Nets.ImpalaEncoder>? newEncoder = null)
        : base(nameof(GoalPolicy))
    {
        Config = config;
        Skip = skip;
        ActionDim = actionDim;
        // Per mode: a weight's logit, then the chunk's mean and log standard deviation.
        long outputs = config.Modes == 0 ? skip * actionDim : config.Modes * (1 + 2L * skip * actionDim);
        _net = Sequential(
            Linear(2 * latentSize, config.Hidden), LayerNorm(config.Hidden), ReLU(),
            Linear(config.Hidden, config.Hidden), LayerNorm(config.Hidden), ReLU(),
            Linear(config.Hidden, outputs));
        // Made after the MLP, so its weights start as they do without an own encoder (the same draws of the seed).
        if (config.OwnEncoder)
            _encoder = (newEncoder ?? throw new ArgumentException("a policy with its own encoder needs one made"))();
        RegisterComponents();
    }

    public GoalPolicyConfig Config { get; }
    /// <summary>Actions per proposed chunk (the high level's k).</summary>
    public int Skip { get; }
    public int ActionDim { get; }

    /// <summary>The parameters gradients train (with an own encoder, its too).</summary>
    public IEnumerable<Parameter> Trainable => _encoder is null ? _net.parameters() : parameters();

    /// <summary>The policy's own encoder (<see cref="GoalPolicyConfig.OwnEncoder"/>); null: it reads the JEPA's latent.
    /// </summary>
    public Nets.ImpalaEncoder? Encoder => _encoder;

    /// <summary>(N, C, H, W) frames → (N, D): the policy's own latents (with an own encoder only).</summary>
    public Tensor EncodeOwn(Tensor frames) =>
        (_encoder ?? throw new InvalidOperationException("this policy reads the JEPA's latent")).call(frames);

    /// <summary>
    /// The plan from each state (its latent, and its frame where the policy has its own encoder) toward its goal
    /// (the same): <see cref="Imagine"/>, or with an own encoder <see cref="PlanFromFrames"/>. (N, horizon, A).
    /// </summary>
    public Tensor Plan(
        LatentWorldModel model, (Tensor Latent, Tensor? Frame) from, (Tensor Latent, Tensor Frame) goal, int horizon) =>
        _encoder is null
            ? Imagine(model, from.Latent, goal.Latent, horizon)
            : PlanFromFrames(from.Frame ?? throw new ArgumentException("a policy with its own encoder reads frames"),
                goal.Frame, horizon);

    /// <summary>
    /// The plan of a policy with its own encoder, from frames (N, C, H, W) toward goal frames: its chunk, then
    /// standing still to the horizon. (N, horizon, A).
    /// </summary>
    public Tensor PlanFromFrames(Tensor frames, Tensor goalFrames, int horizon)
    {
        var chunk = Chunk(EncodeOwn(frames), EncodeOwn(goalFrames));                      // (N, k, A)
        if (horizon <= Skip) return chunk[.., ..horizon].contiguous();
        return cat([chunk, zeros(chunk.shape[0], horizon - Skip, ActionDim, device: chunk.device)], 1);
    }

    /// <summary>(N, …) latents and (N, …) goals → (N, k, A) actions (a mixture's: its likeliest mode).</summary>
    public Tensor Chunk(Tensor z, Tensor goal)
    {
        var output = _net.call(cat([z.flatten(1), goal.flatten(1)], 1));
        if (Config.Modes == 0) return output.reshape(-1, Skip, ActionDim);
        var (logits, means, _) = Mixture(output);
        var likeliest = logits.argmax(1).reshape(-1, 1, 1).expand(-1, 1, means.shape[2]);
        return means.gather(1, likeliest).reshape(-1, Skip, ActionDim);
    }

    /// <summary>
    /// A mixture head's output (N, K·(1 + 2·k·A)) → weight logits (N, K), means and log-stds (N, K, k·A).
    /// </summary>
    private (Tensor Logits, Tensor Means, Tensor LogStds) Mixture(Tensor output)
    {
        long n = output.shape[0], d = (long)Skip * ActionDim;
        var modes = output.reshape(n, Config.Modes, 1 + 2 * d);
        // Standard deviations kept within [e^-5, e^2]: an unbounded one collapses onto a single datum.
        return (modes[.., .., 0], modes[.., .., 1..(int)(1 + d)], modes[.., .., (int)(1 + d)..].clamp(-5, 2));
    }

    /// <summary>
    /// What the policy pays for proposing (N, …) from z toward goal instead of the chunk the data took (N, k, A):
    /// the squared error, or a mixture's negative log-likelihood per action number (constants dropped).
    /// </summary>
    private Tensor ChunkLoss(Tensor z, Tensor goal, Tensor taken)
    {
        if (Config.Modes == 0) return (Chunk(z, goal) - taken).pow(2).mean();
        var (logits, means, logStds) = Mixture(_net.call(cat([z.flatten(1), goal.flatten(1)], 1)));
        var x = taken.flatten(1).unsqueeze(1);                                 // (N, 1, k·A)
        var perMode = (-0.5 * ((x - means) * (-logStds).exp()).pow(2) - logStds).sum(2);   // (N, K)
        var logLikelihood = (perMode + logits.log_softmax(1)).logsumexp(1);
        return -logLikelihood.mean() / x.shape[2];
    }

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
    /// against the k actions the data took from it (<see cref="ChunkLoss"/>). All pairs, no sampling: the loss depends
    /// on the batch alone.
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
        return ChunkLoss(states, goals, taken);
    }
}
