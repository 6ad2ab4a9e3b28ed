using WorldModel.Core.Config;

namespace WorldModel.Models.Hierarchy;

/// <summary>
/// A high level trained on top of a finished run (HWM, "Hierarchical Planning with Latent World Models",
/// arXiv 2604.03208, and its code for PLDM): the run's encoder, predictor (and decoder) are loaded and frozen;
/// a macro-action encoder turns each chunk of <see cref="Skip"/> actions into <see cref="MacroActionDim"/>
/// numbers and a second predictor jumps z_t, m → z_t+k. The training rollout (train.rollout) counts jumps.
/// HWM used k = 10, an 8-dimensional macro-action and 6 macro states per training sequence.
/// </summary>
public sealed record HierarchyConfig : IValidatable
{
    /// <summary>
    /// How a chunk of k actions becomes a macro-action: learned (an MLP, HWM's maze models) or their sum
    /// (the net displacement asked for; PLDM's hierarchical code does this for its wall world). A sum has the
    /// actions' own size and covers the space the planner searches, where most of a learned code's box lies
    /// off the codes the data produce.
    /// </summary>
    public MacroActionKind MacroAction { get; init; } = MacroActionKind.Learned;
    /// <summary>
    /// The finished training run it builds on: a run folder, relative to this run's folder or absolute.
    /// </summary>
    public string LowLevel { get; init; } = "";
    /// <summary>Low-level steps per macro-action (k).</summary>
    [Range(2, 256)] public int Skip { get; init; } = 8;
    /// <summary>Size of a learned macro-action (HWM: 8); a sum has the action's size.</summary>
    [Range(1, 64)] public int MacroActionDim { get; init; } = 8;
    /// <summary>Hidden width of the macro-action encoder's MLP (HWM: 32-32).</summary>
    [Range(4, 4096)] public int MacroHidden { get; init; } = 64;
    /// <summary>
    /// Set: the high level also learns a goal-conditioned value over the latent (<see cref="GoalValueConfig"/>),
    /// and the model offers two-level planning whose high level counts jumps to the goal by it ("latent-hier-value").
    /// </summary>
    [AddedKey] public GoalValueConfig? Value { get; init; }
    /// <summary>
    /// Set: the high level also learns a goal-conditioned policy over the latent (<see cref="GoalPolicyConfig"/>),
    /// and the model offers flat planning that starts each search from the policy's proposal ("latent-policy").
    /// </summary>
    [AddedKey] public GoalPolicyConfig? Policy { get; init; }

    public IEnumerable<ConfigError> Validate()
    {
        if (LowLevel.Length == 0)
            yield return new("lowLevel", "is empty; name the finished training run the high level builds on");
    }
}

public enum MacroActionKind
{
    /// <summary>An MLP of the k actions, LayerNorm'd (HWM).</summary>
    Learned,
    /// <summary>The sum of the k actions.</summary>
    Sum,
}
