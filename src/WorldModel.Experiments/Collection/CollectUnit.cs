using WorldModel.Data;
using WorldModel.Experiments.Graph;
using WorldModel.Experiments.Stages;
using WorldModel.Models.Exploration;
using WorldModel.Models.Planning;
using WorldModel.Plan.Models;
using WorldModel.Render;
using WorldModel.Sim;

namespace WorldModel.Experiments.Collection;

/// <summary>
/// One round of one strategy for one seed, in collect/STRATEGY-seedS/round-R/: the previous round's data plus
/// <c>roundEpisodes</c> new episodes (round 0: the passive data every strategy starts from, in
/// collect/initial-seedS/). An active round plans with the collector trained on the previous round's data.
/// Deterministic in (config, seed, round), so a killed round collects the same bytes when run again.
/// </summary>
public sealed class CollectUnit : DatasetUnit
{
    private readonly DataConfig _data;
    private readonly CollectionConfig _collection;
    private readonly StrategyConfig? _strategy; // null: the initial data
    private readonly CollectUnit? _previous;
    private readonly TrainStage.Unit? _collector;
    private readonly int _seed;
    private Dataset? _opened;

    /// <summary>The initial data of <paramref name="seed"/>.</summary>
    public CollectUnit(DataConfig data, CollectionConfig collection, int seed, string runFolder)
        : base($"collect/initial-seed{seed}", Path.Combine(runFolder, "collect", $"initial-seed{seed}"), [], seed)
    {
        (_data, _collection, _seed) = (data, collection, seed);
        Round = 0;
        Label = "initial";
    }

    /// <summary>Round <paramref name="round"/> ≥ 1 of <paramref name="strategy"/>.</summary>
    public CollectUnit(
        DataConfig data,
        CollectionConfig collection,
        StrategyConfig strategy,
        int seed,
        int round,
        CollectUnit previous,
        TrainStage.Unit? collector,
        string runFolder)
        : base($"collect/{strategy.Label}-seed{seed}-r{round}",
            Path.Combine(runFolder, "collect", $"{strategy.Label}-seed{seed}", $"round-{round}"),
            collector is null ? [previous] : [previous, collector], seed)
    {
        (_data, _collection, _strategy, _previous, _collector, _seed) =
            (data, collection, strategy, previous, collector, seed);
        Round = round;
        Label = strategy.Label;
    }

    public int Round { get; }
    public string Label { get; }
    public int Seed => _seed;
    public int Episodes => _collection.InitialEpisodes + Round * _collection.RoundEpisodes;
    public long Transitions => (long)Episodes * _data.Steps;

    public override string Title => Round == 0 ? $"collect initial data seed {_seed}"
        : $"collect {Label} seed {_seed} round {Round}";

    /// <summary>
    /// What the round's data depends on: the data settings, the initial data, the round size, the strategy, seed
    /// and round, and the units it builds on (other strategies and later rounds do not count).
    /// </summary>
    public override string Key => Core.IO.AtomicFile.Sha256(System.Text.Encoding.UTF8.GetBytes(string.Join("|",
        "collect-v1", ToJson(_data), ToJson(_collection.Initial), _collection.InitialEpisodes,
        _collection.RoundEpisodes, _strategy is null ? "" : ToJson(_strategy), _seed, Round,
        _previous?.Key ?? "", _collector?.Key ?? "")))[..16];

    private static string ToJson(object config) => Core.Config.ConfigLoader.ToJson(config);

    public override bool IsFinished()
    {
        string manifest = Path.Combine(Folder, DatasetManifest.FileName);
        if (!File.Exists(manifest)) return false;
        try { return DatasetManifest.Load(manifest).ContentHash == Key; }
        catch (DatasetCorruptException) { return false; }
    }

    public override Dataset Open() => _opened ??= Dataset.Open(Folder);

    /// <summary>
    /// The seed of a round's new episodes, the same for every strategy: active rounds start alike. A passive round's
    /// generator takes it without its top bit, so its starts match theirs only where that bit is clear (half the
    /// seeds); left so, since aligning them would change every collected reference.
    /// </summary>
    private ulong RoundSeed => Rng.Derive((ulong)_data.Seed, (ulong)_seed, stream: 51 + (ulong)Round);

    public override string Run(UnitContext context)
    {
        var initial = _data with { Policy = _collection.Initial, Episodes = _collection.InitialEpisodes };
        if (_strategy is null)
        {
            var first = new DatasetGenerator(initial with { Seed = (long)(RoundSeed & long.MaxValue) })
                .GenerateChunk(0, _collection.InitialEpisodes, _data.World.Spec) ;
            CollectedDataset.Write(Folder, initial, null, first, Key, "WorldModel collection: initial data");
            return $"initial data seed {_seed}: {_collection.InitialEpisodes:N0} episodes";
        }
        var previous = _previous!.Open();
        var chunk = _strategy switch
        {
            PassiveStrategyConfig p => Passive(p),
            ActiveStrategyConfig a => Active(a, previous, context),
            _ => throw new InvalidOperationException($"unknown strategy {_strategy.GetType().Name}"),
        };
        CollectedDataset.Write(Folder, initial, previous, chunk, Key, $"WorldModel collection: {Label}, round {Round}");
        return $"{Label} seed {_seed} round {Round}: " +
            $"{_collection.RoundEpisodes:N0} episodes added, {Episodes:N0} in all";
    }

    /// <summary>
    /// A passive round: the policy's episodes (without the rare event, when asked: drawn until enough).
    /// </summary>
    private ChunkFile Passive(PassiveStrategyConfig strategy)
    {
        int count = _collection.RoundEpisodes;
        var config = _data with
        {
            Policy = strategy.Policy,
            Seed = (long)(RoundSeed & long.MaxValue),
            Episodes = count,
        };
        var generator = new DatasetGenerator(config);
        var spec = _data.World.Spec;
        if (!strategy.WithoutRareEvents) return generator.GenerateChunk(0, count, spec);
        var world = (IDatasetWorld)_data.World;
        var kept = new List<(ChunkFile Chunk, int Episode)>();
        for (int first = 0; kept.Count < count; first += count)
        {
            if (first > 1000 * count)
                throw new InvalidOperationException(
                    $"{Label}: fewer than 1 in 1,000 episodes of this policy avoid {world.RareEvent}; " +
                    "withoutRareEvents cannot fill a round");
            var batch = generator.GenerateChunk(first, count, spec);
            int sd = spec.StateDim, perEpisode = (_data.Steps + 1) * sd;
            for (int e = 0; e < count && kept.Count < count; e++)
                if (world.CountRareEvents(batch.States.AsSpan(e * perEpisode, perEpisode), _data.Steps,
                        batch.Layouts.AsSpan(e * spec.LayoutDim, spec.LayoutDim)) == 0)
                    kept.Add((batch, e));
        }
        return Gather(kept, spec);
    }

    /// <summary>An active round: MPC in the real world with the collector trained on the data so far.</summary>
    private ChunkFile Active(ActiveStrategyConfig strategy, Dataset previous, UnitContext context)
    {
        var (_, model) = TrainedPlanningModels.LoadTrained(_collector!.Folder, context.Device);
        using var _ = model;
        var scenes = new SceneBuilder(_data.World, _data.Render);
        using var renderer = RendererFactory.Create(_data.Render.Renderer, scenes.Format).Renderer;
        int count = _collection.RoundEpisodes;
        float[]? goals = null;
        IPlanningModel planning;
        switch (strategy)
        {
            case DisagreementStrategyConfig:
                planning = new ExplorationModel(Label, model, context.Device, ExplorationObjective.Disagreement);
                break;
            case NoveltyStrategyConfig n:
            {
                using var seen =
                    CollectedLatents.Encode(model, previous, renderer, n.Memory, RoundSeed, context.Device);
                planning = new ExplorationModel(Label, model, context.Device, ExplorationObjective.Novelty,
                    seen.Latents.clone());
                break;
            }
            case GoalDirectedStrategyConfig g:
            {
                using var seen =
                    CollectedLatents.Encode(model, previous, renderer, g.Memory, RoundSeed, context.Device);
                // Spread the goals: no two closer than the median rarity.
                var picked = seen.Rarest(count, seen.Rarity.Order().ElementAt(seen.Count / 2));
                goals = picked
                    .SelectMany(i => seen.States.AsSpan(i * seen.StateDim, seen.StateDim).ToArray()).ToArray();
                var toGoal = new LearnedPlanningModel(Label, model, context.Device, CostSpace.Latent, CostShape.Min);
                planning = g.Graph is { } graph ? new GraphPlanningModel(Label, toGoal, graph, () => previous) : toGoal;
                break;
            }
            case GcslStrategyConfig:
            {
                var policy = model.HighLevel?.Policy ?? throw new InvalidOperationException(
                    $"{Label}: the collector in {_collector.Folder} learned no policy (collector.hierarchy.policy)");
                goals = GcslGoals(previous);
                planning = new LearnedPlanningModel(Label, model, context.Device, CostSpace.Latent, CostShape.Min,
                    policy: policy, executesProposal: true);
                break;
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(strategy), strategy.GetType().Name, "unknown strategy");
        }
        using (planning)
            return context.Observer.Track(Title, _data.Steps, "steps", progress =>
                new CollectionLoop(_data, renderer, strategy).Collect(planning, count, RoundSeed, Key, goals,
                    t => progress.Report(t), context.Cancel));
    }

    /// <summary>
    /// The states a gcsl round's episodes head for (RoundEpisodes × StateDim): drawn uniformly from the data so far,
    /// <paramref name="previous"/>, with the round's seed, so every run of the round draws the same.
    /// </summary>
    public float[] GcslGoals(Dataset previous) =>
        previous.DrawStates(_collection.RoundEpisodes, Rng.Derive(RoundSeed, 0, stream: 61)).States;

    /// <summary>The chosen episodes of several chunks as one chunk.</summary>
    private ChunkFile Gather(List<(ChunkFile Chunk, int Episode)> episodes, Sim.Worlds.WorldSpec spec)
    {
        int T = _data.Steps, n = episodes.Count, sd = spec.StateDim, ad = spec.ActionDim, ld = spec.LayoutDim;
        var states = new float[(long)n * (T + 1) * sd];
        var actions = new float[(long)n * T * ad];
        var layouts = new float[n * ld];
        for (int i = 0; i < n; i++)
        {
            var (c, e) = episodes[i];
            c.States.AsSpan(e * (T + 1) * sd, (T + 1) * sd).CopyTo(states.AsSpan(i * (T + 1) * sd));
            c.Actions.AsSpan(e * T * ad, T * ad).CopyTo(actions.AsSpan(i * T * ad));
            c.Layouts.AsSpan(e * ld, ld).CopyTo(layouts.AsSpan(i * ld));
        }
        return new ChunkFile
        {
            ContentHash = Key,
            Episodes = n, Steps = T, StateDim = sd, ActionDim = ad, LayoutDim = ld,
            States = states, Actions = actions, Layouts = layouts,
        };
    }
}
