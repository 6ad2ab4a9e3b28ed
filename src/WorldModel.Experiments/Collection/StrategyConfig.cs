using WorldModel.Core.Config;
using WorldModel.Plan.Mpc;
using WorldModel.Plan.Planners;
using WorldModel.Sim.Policies;

namespace WorldModel.Experiments.Collection;

/// <summary>
/// How a collection round chooses its data: <c>{"kind": "passive", ...}</c> (a policy that ignores what was
/// collected), or an active strategy that plans, with a model trained on the data so far, toward what that
/// data lacks: <c>disagreement</c>, <c>novelty</c>, <c>goal-directed</c>; or <c>gcsl</c>, which runs the
/// collector's goal-conditioned policy so that its own attempts become its next demonstrations.
/// </summary>
[ConfigUnion(typeof(PassiveStrategyConfig), typeof(DisagreementStrategyConfig), typeof(NoveltyStrategyConfig),
    typeof(GoalDirectedStrategyConfig), typeof(GcslStrategyConfig))]
public abstract record StrategyConfig
{
    /// <summary>Names the strategy in results, folders and plots (letters, digits, '-').</summary>
    public string Name { get; init; } = "";

    /// <summary>The name results use: the given one, or the kind (a passive one: its policy's kind).</summary>
    public virtual string Label => Name.Length > 0 ? Name : ConfigNames.Kind(GetType());

    /// <summary>Whether each round first trains a model on the data so far.</summary>
    public virtual bool NeedsModel => true;
}

/// <summary>
/// Data from a fixed policy, round after round (random walk, uniform, noisy expert). With
/// <see cref="WithoutRareEvents"/>, episodes in which the world's rare event happens (a door crossing) are
/// left out and drawn again: PLDM's "no door crossing" data, the worst case.
/// </summary>
[ConfigName("passive")]
public sealed record PassiveStrategyConfig : StrategyConfig
{
    public PolicyConfig Policy { get; init; } = PolicyConfig.Default();
    public bool WithoutRareEvents { get; init; }
    public override string Label => Name.Length > 0 ? Name
        : ConfigNames.Kind(Policy.GetType()) + (WithoutRareEvents ? "-no-events" : "");
    public override bool NeedsModel => false;
}

/// <summary>What every active strategy plans with: MPC in the real world with the round's model.</summary>
public abstract record ActiveStrategyConfig : StrategyConfig, IValidatable
{
    public IEnumerable<ConfigError> Validate()
    {
        if (ReplanEvery > PlannerHorizon)
            yield return new("replanEvery", $"{ReplanEvery} is more than plannerHorizon ({PlannerHorizon}); " +
                "a plan must cover the steps executed before the next one");
    }

    public PlannerConfig Planner { get; init; } = new MppiConfig { Samples = 64, Iterations = 2, NoiseColour = 2 };
    /// <summary>Steps each plan looks ahead.</summary>
    [Range(1, 256)] public int PlannerHorizon { get; init; } = 16;
    [Range(1, 256)] public int ReplanEvery { get; init; } = 4;
}

/// <summary>
/// Plan2Explore (Sekar et al. 2020): go where the ensemble of one-step predictors disagrees most (the model's
/// objective must train heads: objective.ensembleHeads &gt; 0).
/// </summary>
[ConfigName("disagreement")]
public sealed record DisagreementStrategyConfig : ActiveStrategyConfig;

/// <summary>Go where imagined latents are farthest from every latent collected so far (nearest neighbour).</summary>
[ConfigName("novelty")]
public sealed record NoveltyStrategyConfig : ActiveStrategyConfig
{
    /// <summary>Collected states the novelty is measured against (a seeded sample of the data so far).</summary>
    [Range(16, 65_536)] public int Memory { get; init; } = 2048;
}

/// <summary>
/// Plan to states that are rare in the data so far: each episode's goal is one of the rarest collected states
/// (largest distance to its nearest neighbours in latent space), reached with the usual latent cost, or, with
/// <see cref="Graph"/>, over a graph of the data so far (Go-Explore's "return to a rare state", Ecoffet et al.
/// 2021, with the way back found by Search on the Replay Buffer instead of a recorded trajectory).
/// </summary>
[ConfigName("goal-directed")]
public sealed record GoalDirectedStrategyConfig : ActiveStrategyConfig
{
    /// <summary>Collected states the rarest are chosen from.</summary>
    [Range(16, 65_536)] public int Memory { get; init; } = 2048;
    /// <summary>
    /// When set, the collector plans toward each goal over a graph of its encoded data so far (subgoals among
    /// recorded states), so a rare state behind the wall is reached through the door the data already crossed;
    /// unset, it plans step by step in its latent.
    /// </summary>
    [AddedKey] public DataGraphConfig? Graph { get; init; }
}

/// <summary>
/// Goal-conditioned supervised learning (GCSL, Ghosh et al. 2019, arXiv 1912.06088): the collector's own
/// goal-conditioned policy (<c>collector.hierarchy.policy</c>) is run toward states drawn from the data so far, and
/// what it did joins the data. Relabelled with the states it did reach (the policy's hindsight goals), its attempts
/// become demonstrations from where the policy itself goes, mistakes included, which an expert's data never shows.
/// The policy's plan of <c>plannerHorizon</c> steps is executed as it is (no search: <c>planner</c> is not used),
/// re-proposed every <c>replanEvery</c> steps.
/// </summary>
[ConfigName("gcsl")]
public sealed record GcslStrategyConfig : ActiveStrategyConfig;
