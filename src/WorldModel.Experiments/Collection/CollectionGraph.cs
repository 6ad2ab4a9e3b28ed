using WorldModel.Experiments.Graph;
using WorldModel.Experiments.Stages;

namespace WorldModel.Experiments.Collection;

/// <summary>
/// The units of an experiment with a collection section, per seed: the initial data; per strategy and round the
/// collector trained on the data so far (active strategies; for gcsl also its high level, which learns the policy)
/// and the round's data; after each evaluated round the experiment's models (and their high levels) trained on the
/// data so far, their planning methods named STRATEGY@TRANSITIONS/MODEL.
/// </summary>
public static class CollectionGraph
{
    public sealed record Parts(
        IReadOnlyList<ExperimentUnit> Units,
        IReadOnlyList<TrainStage.Unit> Trains,
        IReadOnlyList<CollectUnit> Rounds);

    public static Parts Build(ExperimentConfig config, CollectionConfig collection, string folder)
    {
        var units = new List<ExperimentUnit>();
        var trains = new List<TrainStage.Unit>();
        var rounds = new List<CollectUnit>();
        foreach (int seed in config.Seeds)
        {
            var initial = new CollectUnit(config.Data, collection, seed, folder);
            units.Add(initial);
            rounds.Add(initial);
            if (collection.EvaluateAfter.Contains(0)) AddEvaluated(initial, "initial");
            foreach (var strategy in collection.Strategies)
            {
                var previous = initial;
                for (int r = 1; r <= collection.Rounds; r++)
                {
                    TrainStage.Unit? collector = null;
                    if (strategy.NeedsModel)
                    {
                        var entry = collection.Collector;
                        string name = $"{strategy.Label}-seed{seed}";
                        collector = new TrainStage.Unit(entry, seed,
                            config.RunOf(entry, seed) with { Name = $"{config.Name}-collector-{name}-r{r - 1}" },
                            Path.Combine(folder, "collect", name, $"collector-r{r - 1}"), previous,
                            id: $"train/collector-{name}-r{r - 1}");
                        units.Add(collector);
                        if (strategy is GcslStrategyConfig)
                        {
                            // GCSL runs the collector's policy: its high level, on the same data.
                            collector = new TrainStage.Unit(entry, seed,
                                config.HighRunOf(entry, seed, $"collector-r{r - 1}") with
                                {
                                    Name = $"{config.Name}-collector-{name}-r{r - 1}-high",
                                },
                                Path.Combine(folder, "collect", name, $"collector-r{r - 1}-high"), previous, collector,
                                id: $"train/collector-{name}-r{r - 1}-high");
                            units.Add(collector);
                        }
                    }
                    var round =
                        new CollectUnit(config.Data, collection, strategy, seed, r, previous, collector, folder);
                    units.Add(round);
                    rounds.Add(round);
                    if (collection.EvaluateAfter.Contains(r)) AddEvaluated(round, strategy.Label);
                    previous = round;
                }
            }
        }
        return new Parts(units, trains, rounds);

        // The experiment's models trained on a round's data: their methods read "random-walk@8k/jepa/latent".
        void AddEvaluated(CollectUnit data, string label)
        {
            string at = $"{label}@{Transitions(data.Transitions)}";
            foreach (var entry in config.Models)
            {
                string name = $"{entry.Name}-{label}-r{data.Round}-seed{data.Seed}";
                var train = new TrainStage.Unit(entry, data.Seed, config.RunOf(entry, data.Seed),
                    Path.Combine(folder, ExperimentGraph.TrainFolder, name), data,
                    id: $"train/{name}", label: $"{at}/{entry.Name}");
                units.Add(train);
                trains.Add(train);
                if (entry.Hierarchy is null) continue;
                // Its high level on the same data: the two-level methods ("…/latent-hier") plan with both.
                var high = new TrainStage.Unit(entry, data.Seed, config.HighRunOf(entry, data.Seed, name),
                    Path.Combine(folder, ExperimentGraph.TrainFolder, name + "-high"), data, train,
                    id: $"train/{name}-high", label: $"{at}/{entry.Name}");
                units.Add(high);
                trains.Add(high);
            }
        }
    }

    /// <summary>A transition count as results name it: 8000 → "8k", 12500 → "12.5k", 640 → "640".</summary>
    public static string Transitions(long n) =>
        n >= 1000 ? (n / 1000.0).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + "k"
            : n.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
