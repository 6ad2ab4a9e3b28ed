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
    /// <summary>
    /// Set: a high level is trained on each finished seed (its own unit) and the model is also planned in two
    /// levels ("NAME/latent-hier", and for a pixel model "NAME/frames-hier"); unset: flat planning only.
    /// </summary>
    public HierarchyEntry? Hierarchy { get; init; }
    /// <summary>
    /// Set: a curriculum; each seed first trains on <see cref="PretrainEntry.World"/> in its own unit
    /// (train/NAME-seedS-pretrain), and this model's training starts from those weights; unset: from random weights.
    /// </summary>
    [AddedKey] public PretrainEntry? Pretrain { get; init; }
    /// <summary>
    /// The ways to plan with it, out of "latent", "frames" (a pixel model), "latent-hier" and "frames-hier" (with a
    /// hierarchy), "latent-value" and "latent-hier-value" (with a hierarchy that learns a value), "latent-policy"
    /// and "policy" (with a hierarchy that learns a policy: searched from its proposals; executed alone), and
    /// "latent-graph"
    /// (over a graph of the encoded training data; only when listed), "latent-probe" (a diagnostic: the cost is
    /// the distance between positions a linear probe, fitted with the true positions, reads from the latents; only
    /// when listed) and "latent-search" (breadth-first search over the high level's jumps, evaluation.plan.search;
    /// with a hierarchy, only when listed); unset: all it offers but "latent-graph", "latent-probe" and
    /// "latent-search".
    /// Planning in frames costs a decoder pass per candidate, so a quick config may keep only some.
    /// </summary>
    public string[]? Methods { get; init; }

    /// <summary>
    /// The method suffixes this entry can offer ("latent", "frames", "latent-graph", "latent-probe", the "-hier"
    /// versions, "latent-value", "latent-hier-value" and "latent-search").
    /// </summary>
    public IReadOnlyList<string> Offered => [.. FlatMethods, .. ListedOnlyMethods, .. HighLevelMethods];

    /// <summary>The suffixes the trained model plans by itself: "latent", and "frames" for a pixel model.</summary>
    public IReadOnlyList<string> FlatMethods => Objective is PixelObjectiveConfig ? ["frames", "latent"] : ["latent"];

    /// <summary>
    /// The suffix planned over a graph of its encoded training data (evaluation.plan.graph), in its latent; listed
    /// in <see cref="Methods"/> only, so configs written before it plan what they did.
    /// </summary>
    public static IReadOnlyList<string> GraphMethods { get; } = ["latent-graph"];

    /// <summary>
    /// The suffixes planned only when <see cref="Methods"/> lists them: over a data graph, and by a position probe
    /// (a diagnostic that uses the true positions), so configs written before them plan what they did.
    /// </summary>
    public static IReadOnlyList<string> ListedOnlyMethods { get; } = [.. GraphMethods, "latent-probe"];

    /// <summary>
    /// The suffix planned by breadth-first search over the high level's jumps (evaluation.plan.search); listed in
    /// <see cref="Methods"/> only, so configs written before it plan what they did.
    /// </summary>
    public static IReadOnlyList<string> SearchMethods { get; } = ["latent-search"];

    /// <summary>
    /// The suffixes planned with its high level (none without a hierarchy): each flat one in two levels, with a
    /// value "latent-value" and "latent-hier-value", with a policy "latent-policy" and "policy", and "latent-search".
    /// </summary>
    public IReadOnlyList<string> HighLevelMethods => Hierarchy is null
        ? []
        : [
            .. FlatMethods.Select(f => f + "-hier"),
            .. Hierarchy.Value is null ? [] : (string[])["latent-value", "latent-hier-value"],
            .. Hierarchy.Policy is null ? [] : (string[])["latent-policy", "policy"],
            .. SearchMethods,
        ];

    /// <summary>Whether the method with this suffix is planned.</summary>
    public bool Plans(string suffix) =>
        Methods?.Contains(suffix) ?? !(ListedOnlyMethods.Contains(suffix) || SearchMethods.Contains(suffix));
}

/// <summary>
/// A curriculum's first phase: the model trains for <see cref="Train"/>'s steps on data of an easier world (the
/// experiment's data with <see cref="World"/> instead of its world), then for its own steps on the experiment's data,
/// starting from those weights with a fresh optimiser and schedule. Why: on random layouts the encoder learns the
/// agent's motion only after ~2,000 steps, on the fixed layout within ~500 (the ablations' levers/); there a
/// curriculum gave the motion at once but not more crossings (docs/results.md).
/// </summary>
public sealed record PretrainEntry
{
    /// <summary>
    /// The first phase's world (the same kind, so frames and actions match); unset: the experiment's world.
    /// </summary>
    public Sim.Worlds.WorldConfig? World { get; init; }
    public TrainConfig Train { get; init; } = new() { Steps = 1000 };
}

/// <summary>
/// A model's high level (HWM, arXiv 2604.03208): jumps of <see cref="Skip"/> steps driven by macro-actions of
/// <see cref="MacroActionDim"/> numbers, trained on the frozen low level for its own <see cref="Train"/> budget
/// (train.rollout counts jumps).
/// </summary>
public sealed record HierarchyEntry
{
    public Models.Hierarchy.MacroActionKind MacroAction { get; init; } = Models.Hierarchy.MacroActionKind.Learned;
    [Range(2, 256)] public int Skip { get; init; } = 8;
    [Range(1, 64)] public int MacroActionDim { get; init; } = 8;
    [Range(4, 4096)] public int MacroHidden { get; init; } = 64;
    public TrainConfig Train { get; init; } = new() { Rollout = 4 };
    /// <summary>
    /// Set: the high level also learns a goal-conditioned value ("NAME/latent-value" and "NAME/latent-hier-value"
    /// plan by it).
    /// </summary>
    [AddedKey] public Models.Hierarchy.GoalValueConfig? Value { get; init; }
    /// <summary>
    /// Set: the high level also learns a goal-conditioned policy ("NAME/latent-policy" plans from its proposals).
    /// </summary>
    [AddedKey] public Models.Hierarchy.GoalPolicyConfig? Policy { get; init; }
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
    /// <summary>
    /// Set: the models train on data collected round by round by each strategy (active data collection) instead of
    /// on <see cref="Data"/>'s episodes (whose world, steps and frames the rounds use).
    /// </summary>
    public Collection.CollectionConfig? Collection { get; init; }

    /// <summary>
    /// The high level's training run of one model and seed, on the low run in the sibling folder
    /// <paramref name="lowFolderName"/>.
    /// </summary>
    public RunConfig HighRunOf(ModelEntry entry, int seed, string lowFolderName)
    {
        var h = entry.Hierarchy ?? throw new ArgumentException($"model {entry.Name} has no hierarchy section");
        return RunOf(entry, seed) with
        {
            Name = $"{Name}-{entry.Name}-seed{seed}-high",
            Train = h.Train with { Seed = seed },
            Hierarchy = new Models.Hierarchy.HierarchyConfig
            {
                LowLevel = Path.Combine("..", lowFolderName),
                MacroAction = h.MacroAction,
                Skip = h.Skip,
                MacroActionDim = h.MacroActionDim,
                MacroHidden = h.MacroHidden,
                Value = h.Value,
                Policy = h.Policy,
            },
        };
    }

    /// <summary>The data of a model's first phase (its pretrain section): the experiment's, in its world.</summary>
    public DataConfig PretrainDataOf(PretrainEntry pretrain) => Data with { World = pretrain.World ?? Data.World };

    /// <summary>
    /// The first phase of one model and seed (its pretrain section), in the sibling folder of the run it starts.
    /// </summary>
    public RunConfig PretrainRunOf(ModelEntry entry, int seed)
    {
        var p = entry.Pretrain ?? throw new ArgumentException($"model {entry.Name} has no pretrain section");
        return RunOf(entry, seed) with
        {
            Name = $"{Name}-{entry.Name}-seed{seed}-pretrain",
            Data = PretrainDataOf(p),
            Train = p.Train with { Seed = seed },
        };
    }

    /// <summary>The run folder name of a model's first phase, beside its own.</summary>
    public static string PretrainFolderName(string runFolderName) => runFolderName + "-pretrain";

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
            foreach (var (suffix, j) in (m.Methods ?? []).Select((x, j) => (x, j)))
                if (!m.Offered.Contains(suffix))
                    yield return new($"models[{i}].methods[{j}]",
                        $"\"{suffix}\" is not a way to plan this model; allowed: {string.Join(", ", m.Offered)}");
            if (m.Hierarchy is { } h && h.Train.Rollout * h.Skip > Data.Steps)
                yield return new($"models[{i}].hierarchy.train.rollout",
                    $"{h.Train.Rollout} jumps of {h.Skip} steps need sequences of {h.Train.Rollout * h.Skip + 1} " +
                    $"states, but data episodes hold {Data.Steps + 1}; lower it or hierarchy.skip, " +
                    "or raise data.steps");
            if (Evaluation.Plan.LatentBlur.Length > 0 && m.Model.Latent == LatentKind.Flat
                && (m.Plans("latent") || m.Plans("latent-hier")))
                yield return new("evaluation.plan.latentBlur",
                    $"blurs latent maps, but models[{i}] (\"{m.Name}\") has a flat latent (model.latent = flat); " +
                    "set it to [] or give the model a spatial latent");
            // Each model trains once per entry of seeds; a seed set on the model itself would be silently replaced.
            if (m.Train.Seed != 0)
                yield return new($"models[{i}].train.seed", SeedAdvice(m.Train.Seed));
            if (m.Hierarchy is { } hs && hs.Train.Seed != 0)
                yield return new($"models[{i}].hierarchy.train.seed", SeedAdvice(hs.Train.Seed));
            foreach (var e in PretrainErrors(m))
                yield return e with { KeyPath = $"models[{i}].pretrain." + e.KeyPath };
            if (m.Hierarchy is { } hw && hw.Train.WarmupSteps >= hw.Train.Steps)
                yield return new($"models[{i}].hierarchy.train.warmupSteps",
                    $"{hw.Train.WarmupSteps} is not below steps ({hw.Train.Steps})");
        }
    }

    private IEnumerable<ConfigError> PretrainErrors(ModelEntry m)
    {
        if (m.Pretrain is not { } p) yield break;
        if (Collection is not null)
            yield return new("", "is not supported with collection (rounds train on collected data); leave it out");
        if (p.World is { } w && w.GetType() != Data.World.GetType())
            yield return new("world",
                $"is a {ConfigNames.Kind(w.GetType())} world, the experiment's a " +
                $"{ConfigNames.Kind(Data.World.GetType())}; " +
                "the first phase must be the same kind (the same frames and actions)");
        if (p.Train.Seed != 0) yield return new("train.seed", SeedAdvice(p.Train.Seed));
        if (p.Train.WarmupSteps >= p.Train.Steps)
            yield return new("train.warmupSteps", $"{p.Train.WarmupSteps} is not below steps ({p.Train.Steps})");
        if (p.Train.Rollout > Data.Steps)
            yield return new("train.rollout",
                $"{p.Train.Rollout} needs sequences of {p.Train.Rollout + 1} states, " +
                $"but data episodes hold {Data.Steps + 1}; lower it or raise data.steps");
    }

    private static string SeedAdvice(long seed) =>
        $"{seed} has no effect in an experiment: each model trains once per entry of seeds (both levels with " +
        $"the same seed); set seeds instead, e.g. --set 'seeds=[{seed}]'";
}
