using WorldModel.Core.Config;
using WorldModel.Data;
using WorldModel.Models.Objectives;

namespace WorldModel.Models.Training;

/// <summary>A training run: the data it trains on, the model, the objective and the optimisation.</summary>
[ConfigFileKind("training")]
public sealed record RunConfig : IValidatable
{
    /// <summary>Names the run folder: experiments/&lt;name&gt;/&lt;run id&gt;.</summary>
    public string Name { get; init; } = "run";
    public DataConfig Data { get; init; } = new();
    public ModelConfig Model { get; init; } = new();
    public ObjectiveConfig Objective { get; init; } = new JepaObjectiveConfig();
    public TrainConfig Train { get; init; } = new();
    /// <summary>
    /// Set: this run trains a high level on top of a finished run (its train.rollout counts jumps of k steps);
    /// unset: a flat world model.
    /// </summary>
    public Hierarchy.HierarchyConfig? Hierarchy { get; init; }
    /// <summary>
    /// Set: a finished run folder (relative to this run's folder, or absolute) whose final weights this run starts
    /// from, with a fresh optimiser and schedule (a curriculum: an easier world first); unset: random weights. It must
    /// have the same model config.
    /// </summary>
    [AddedKey] public string? InitFrom { get; init; }

    /// <summary>States one training sequence spans: rollout + 1, or rollout jumps of k steps + 1.</summary>
    public int SequenceStates => Train.Rollout * (Hierarchy?.Skip ?? 1) + 1;

    /// <summary>The defaults of both a training and an experiment config (one place for each).</summary>
    public const int DefaultCheckpointEvery = 500, DefaultLogEvery = 25, DefaultKeepCheckpoints = 3;

    /// <summary>Steps between checkpoints (the last step is always saved).</summary>
    [Range(1, 10_000_000)] public int CheckpointEvery { get; init; } = DefaultCheckpointEvery;
    /// <summary>Checkpoints kept: the newest K (the last one is the final step's once finished); 0 keeps all.</summary>
    [Range(0, 1_000_000)] public int KeepCheckpoints { get; init; } = DefaultKeepCheckpoints;
    /// <summary>Steps between lines in metrics.jsonl and on the console.</summary>
    [Range(1, 1_000_000)] public int LogEvery { get; init; } = DefaultLogEvery;

    public IEnumerable<ConfigError> Validate()
    {
        if (InitFrom is { Length: 0 })
            yield return new("initFrom", "is empty; name a finished run folder, or leave the key out");
        if (InitFrom is not null && Hierarchy is not null)
            yield return new("initFrom",
                "is set on a high level, which starts from hierarchy.lowLevel's weights; leave one of them out");
        if (Name.Length == 0 || Name.IndexOfAny(['/', '\\', ' ']) >= 0 || Name.StartsWith('.'))
            yield return new(
                "name", $"\"{Name}\" is not allowed; use letters, digits, '-' and '_' (it names a folder)");
        if (SequenceStates > Data.Steps + 1)
            yield return new(
                "train.rollout",
                Hierarchy is null
                    ? $"{Train.Rollout} needs sequences of {SequenceStates} states, but data episodes hold " +
                      $"{Data.Steps + 1}; lower train.rollout or raise data.steps"
                    : $"{Train.Rollout} jumps of {Hierarchy.Skip} steps need sequences of {SequenceStates} states, " +
                      $"but data episodes hold {Data.Steps + 1}; lower train.rollout or hierarchy.skip, " +
                      "or raise data.steps");
    }
}
