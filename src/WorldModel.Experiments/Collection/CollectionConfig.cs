using WorldModel.Core.Config;
using WorldModel.Sim.Policies;

namespace WorldModel.Experiments.Collection;

/// <summary>
/// Active data collection (issue: make the rare event frequent): every strategy starts from the same passive
/// data (<see cref="Initial"/>, <see cref="InitialEpisodes"/>), then adds <see cref="RoundEpisodes"/> episodes
/// per round for <see cref="Rounds"/> rounds, so every strategy ends with the same number of transitions. An
/// active strategy trains <see cref="Collector"/> on the data so far before each round and plans with it. After
/// each evaluated round the experiment's models are trained on the data so far and planned as usual: success
/// against transitions collected, per strategy.
/// </summary>
public sealed record CollectionConfig : IValidatable
{
    public StrategyConfig[] Strategies { get; init; } =
        [new PassiveStrategyConfig(), new DisagreementStrategyConfig(), new NoveltyStrategyConfig()];
    /// <summary>The policy of the data every strategy starts from.</summary>
    public PolicyConfig Initial { get; init; } = PolicyConfig.Default();
    [Range(1, 10_000_000)] public int InitialEpisodes { get; init; } = 250;
    [Range(1, 100)] public int Rounds { get; init; } = 3;
    [Range(1, 10_000_000)] public int RoundEpisodes { get; init; } = 250;
    /// <summary>
    /// The model an active strategy trains before each round (a small JEPA; disagreement needs heads).
    /// </summary>
    public ModelEntry Collector { get; init; } = new()
    {
        Name = "collector",
        Objective = new Models.Objectives.JepaObjectiveConfig { EnsembleHeads = 5 },
    };
    /// <summary>Rounds after which the experiment's models are trained and planned (0 is the initial data).</summary>
    public int[] EvaluateAfter { get; init; } = [0, 1, 2, 3];

    public IEnumerable<ConfigError> Validate()
    {
        if (Strategies.Length == 0) yield return new("strategies", "is empty; list at least one strategy");
        var labels = new HashSet<string>();
        for (int i = 0; i < Strategies.Length; i++)
        {
            string label = Strategies[i].Label;
            if (label.Length == 0 || label.Any(ch => !(char.IsAsciiLetterOrDigit(ch) || ch == '-')))
                yield return new($"strategies[{i}].name", $"\"{label}\" is not allowed; use letters, digits and '-'");
            else if (!labels.Add(label))
                yield return new($"strategies[{i}].name",
                    $"\"{label}\" is used twice; give one of them a name, e.g. \"name\": \"{label}-2\"");
        }
        for (int i = 0; i < EvaluateAfter.Length; i++)
            if (EvaluateAfter[i] < 0 || EvaluateAfter[i] > Rounds)
                yield return new($"evaluateAfter[{i}]",
                    $"{EvaluateAfter[i]} is not allowed; allowed: 0 to rounds ({Rounds})");
        if (EvaluateAfter.Distinct().Count() != EvaluateAfter.Length)
            yield return new("evaluateAfter", "lists a round twice");
        if (Strategies.OfType<DisagreementStrategyConfig>().Any()
            && Collector.Objective is not Models.Objectives.JepaObjectiveConfig { EnsembleHeads: > 1 })
            yield return new("collector.objective.ensembleHeads",
                "the disagreement strategy needs a collector trained with at least 2 ensemble heads; set it to e.g. 5");
        if (Strategies.OfType<GcslStrategyConfig>().Any() && Collector.Hierarchy?.Policy is null)
            yield return new("collector.hierarchy.policy",
                "the gcsl strategy runs the collector's goal-conditioned policy; give the collector a hierarchy " +
                "that learns one, e.g. \"hierarchy\": { \"policy\": {} }");
    }
}
