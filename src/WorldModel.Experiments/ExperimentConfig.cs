using WorldModel.Core.Config;
using WorldModel.Data;
using WorldModel.Models;
using WorldModel.Models.Objectives;
using WorldModel.Models.Training;
using WorldModel.Plan.Evaluation;

namespace WorldModel.Experiments;

/// <summary>One model an experiment trains (once per seed) and plans with.</summary>
public sealed record ModelEntry
{
    /// <summary>
    /// Names the model in results ("jepa" gives "jepa/latent"; a pixel model gives "NAME/frames" and
    /// "NAME/latent").
    /// </summary>
    public string Name { get; init; } = "jepa";
    public ModelConfig Model { get; init; } = new();
    public ObjectiveConfig Objective { get; init; } = new JepaObjectiveConfig();
    public TrainConfig Train { get; init; } = new();
}

/// <summary>
/// A whole experiment: data → train (each model × each seed) → plan → report. Every model trains on
/// the same data for the same steps, and is planned with the same planner on the same episodes.
/// </summary>
[ConfigFileKind("experiment")]
public sealed record ExperimentConfig : IValidatable
{
    public string Name { get; init; } = "experiment";
    public DataConfig Data { get; init; } = new();
    public ModelEntry[] Models { get; init; } =
    [
        new ModelEntry(),
        new ModelEntry { Name = "pixel", Objective = new PixelObjectiveConfig() }
    ];
    /// <summary>Training seeds; results give the mean and spread across them.</summary>
    public int[] Seeds { get; init; } = [0];
    [Range(1, 10_000_000)] public int CheckpointEvery { get; init; } = RunConfig.DefaultCheckpointEvery;
    [Range(1, 1_000_000)] public int LogEvery { get; init; } = RunConfig.DefaultLogEvery;
    /// <summary>Checkpoints each training unit keeps (newest first; 0: all).</summary>
    [Range(0, 1_000_000)] public int KeepCheckpoints { get; init; } = RunConfig.DefaultKeepCheckpoints;
    public PlanEvalConfig Evaluation { get; init; } = new();

    /// <summary>The training run of one model and seed, as `wm train` would take it.</summary>
    public RunConfig RunOf(ModelEntry entry, int seed) => new()
    {
        Name = $"{Name}-{entry.Name}-seed{seed}",
        Data = Data,
        Model = entry.Model,
        Objective = entry.Objective,
        Train = entry.Train with { Seed = seed },
        CheckpointEvery = CheckpointEvery,
        LogEvery = LogEvery,
        KeepCheckpoints = KeepCheckpoints,
    };

    public IEnumerable<ConfigError> Validate()
    {
        if (Name.Length == 0 || Name.IndexOfAny(['/', '\\', ' ']) >= 0 || Name.StartsWith('.'))
            yield return new("name",
                $"\"{Name}\" is not allowed; use letters, digits, '-' and '_' (it names a folder)");
        foreach (var e in Evaluation.ValidateFor(Data.World))
            yield return e with { KeyPath = "evaluation." + e.KeyPath };
        if (Models.Length == 0)
            yield return new("models", "is empty; list at least one model, e.g. [{\"name\": \"jepa\"}]");
        if (Seeds.Length == 0) yield return new("seeds", "is empty; give at least one training seed, e.g. [0]");
        if (Seeds.Distinct().Count() != Seeds.Length) yield return new("seeds", "lists a seed twice");
        for (int i = 0; i < Seeds.Length; i++)
            if (Seeds[i] < 0) yield return new($"seeds[{i}]", $"{Seeds[i]} is not allowed; allowed: 0 or more");
        var names = new HashSet<string>();
        for (int i = 0; i < Models.Length; i++)
        {
            var m = Models[i];
            if (m.Name.Length == 0 || m.Name.Any(ch => !(char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_')))
                yield return new($"models[{i}].name", $"\"{m.Name}\" is not allowed; use letters, digits, '-' and '_'");
            else if (!names.Add(m.Name))
                yield return new($"models[{i}].name", $"\"{m.Name}\" is used twice; model names must differ");
            if (m.Train.Rollout > Data.Steps)
                yield return new($"models[{i}].train.rollout",
                    $"{m.Train.Rollout} needs sequences of {m.Train.Rollout + 1} states, " +
                    $"but data episodes hold {Data.Steps + 1}; lower it or raise data.steps");
        }
    }
}
