using System.Globalization;
using WorldModel.Core.Config;
using WorldModel.Experiments.Collection;
using WorldModel.Experiments.Evaluation;
using WorldModel.Experiments.Stages;
using WorldModel.Models.Planning;
using WorldModel.Plan.Evaluation;
using WorldModel.Plan.Models;
using WorldModel.Plan.Mpc;
using WorldModel.Worlds;

namespace WorldModel.Experiments.Graph;

/// <summary>
/// An experiment as units in dependency order: data → train (model × seed) → plan (method × seed ×
/// planner horizon; oracles once) → landscape (worlds that draw them) → report. Planned rows are collected in
/// unit order, so results.csv lists oracles first, then each model, seed and horizon.
/// </summary>
public sealed class ExperimentGraph
{
    /// <summary>The run's subfolder of training units: train/&lt;model&gt;-seed&lt;s&gt;.</summary>
    public const string TrainFolder = "train";

    private readonly List<UnitRecord> _records = [];

    private ExperimentGraph(string folder, IReadOnlyList<ExperimentUnit> units)
    {
        Folder = folder;
        Units = units;
    }

    /// <summary>The run folder every unit writes under (data is shared by content hash, outside it).</summary>
    public string Folder { get; }

    public IReadOnlyList<ExperimentUnit> Units { get; }

    /// <summary>What this invocation did with each unit so far, in order.</summary>
    public IReadOnlyList<UnitRecord> Records => _records;

    internal void Done(UnitRecord record) => _records.Add(record);

    public ExperimentUnit this[string id] => Units.FirstOrDefault(u => u.Id == id)
        ?? throw new ArgumentException(
            $"no unit '{id}' in this experiment; units: {string.Join(", ", Units.Select(u => u.Id))}");

    /// <summary>
    /// The graph of <paramref name="config"/> in <paramref name="folder"/>; with <paramref name="trainOnly"/>,
    /// data and training only.
    /// </summary>
    public static ExperimentGraph Build(ExperimentConfig config, string folder, bool trainOnly = false)
    {
        var world = config.Data.World;
        var eval = config.Evaluation;
        var units = new List<ExperimentUnit>();
        var trains = new List<TrainStage.Unit>();
        CollectionGraph.Parts? collection = null;
        if (config.Collection is { } c)
        {
            collection = CollectionGraph.Build(config, c, folder);
            units.AddRange(collection.Units);
            trains.AddRange(collection.Trains);
        }
        var data = new DataStage.Unit(config.Data);
        if (collection is null) units.Add(data);
        // A curriculum's first-phase data, one unit per distinct config (the experiment's own when it is the same).
        var pretrainData = new Dictionary<string, DataStage.Unit> { [data.Key] = data };
        foreach (var entry in collection is null ? config.Models : [])
            foreach (int seed in config.Seeds)
            {
                string name = $"{entry.Name}-seed{seed}";
                var run = config.RunOf(entry, seed);
                TrainStage.Unit? first = null;
                if (entry.Pretrain is { } p)
                {
                    var firstData = config.PretrainDataOf(p);
                    string key = Data.DatasetGenerator.ContentHash(firstData);
                    if (!pretrainData.TryGetValue(key, out var firstUnit))
                    {
                        firstUnit = new DataStage.Unit(firstData, $"data/pretrain-{key[..8]}");
                        units.Add(pretrainData[key] = firstUnit);
                    }
                    string firstName = ExperimentConfig.PretrainFolderName(name);
                    first = new TrainStage.Unit(entry, seed, config.PretrainRunOf(entry, seed),
                        Path.Combine(folder, TrainFolder, firstName), firstUnit, pretraining: true);
                    trains.Add(first);
                    run = run with { InitFrom = Path.Combine("..", firstName) };
                }
                var low = new TrainStage.Unit(entry, seed, run, Path.Combine(folder, TrainFolder, name), data,
                    initFrom: first);
                trains.Add(low);
                if (entry.Hierarchy is not null)
                    trains.Add(new TrainStage.Unit(entry, seed, config.HighRunOf(entry, seed, name),
                        Path.Combine(folder, TrainFolder, name + "-high"), data, low));
            }
        if (collection is null) units.AddRange(trains);
        if (trainOnly) return new ExperimentGraph(folder, units);

        var episodes = PlanStage.Episodes(eval, world);
        var stage = new PlanStage(eval, world, config.Data.Render, episodes, Path.Combine(folder, "plan"));
        // The data graph's and the search's settings, defaults included, key only the methods planned with them
        // (recorded with each part, so a part says which graph or search it was planned by).
        string evalKey = ConfigLoader.Hash(eval with { Plan = eval.Plan with { Graph = new(), Search = new() } },
            "plan-v1" + PlanEpisodes.ToJson(episodes, world));
        string graphKey = "+graph-" + ConfigLoader.Hash(eval.Plan.Graph, "graph-v1")[..10];
        string searchKey = "+search-" + ConfigLoader.Hash(eval.Plan.Search, "search-v1")[..10];
        var plans = new List<PlanStage.Unit>();
        foreach (var (name, create) in eval.OracleMethods(world))
            foreach (int h in eval.PlannerHorizons)
                plans.Add(new PlanStage.Unit(stage, name, 0, h, _ => create(), evalKey, []));
        foreach (var train in trains)
            foreach (string method in train.Methods)
                foreach (int h in eval.PlannerHorizons)
                    plans.Add(new PlanStage.Unit(stage, method, train.Seed, h,
                        device => Trained(train, method, device, eval.Plan),
                        evalKey + train.Key + (method.EndsWith("-graph", StringComparison.Ordinal) ? graphKey : "")
                            + (method.EndsWith("-search", StringComparison.Ordinal) ? searchKey : ""),
                        [train]));
        units.AddRange(plans);

        if (world is ICostLandscapeWorld landscapes && collection is null)
        {
            var firstSeed = trains.Where(t => t.Seed == config.Seeds[0] && !t.IsHighLevel && !t.IsPretraining).ToList();
            // High levels with a learned value add its landscape (the jumps it counts to the goal).
            var values = trains.Where(t => t.Seed == config.Seeds[0] && t.LearnsValue).ToList();
            units.Add(new LandscapeUnit(landscapes, (ulong)config.Data.Seed, config.Data.Render, eval.LandscapeCell,
                Path.Combine(folder, "plots"),
                device => eval.OraclesFor(world).Select(c => PlanningModels.Oracle(world, c, CostShape.Sum))
                    .Concat(firstSeed.SelectMany(t =>
                        TrainedPlanningModels.FromRun(t.Folder, device, CostShape.Sum, CostShape.Sum, t.Entry.Name)))
                    .Concat(values.SelectMany(t => ValueCosts(t, device)))
                    .Concat(firstSeed.SelectMany(t => BlurredCosts(t, device, eval.Plan.LatentBlur))),
                string.Join(",", firstSeed.Concat(values).Select(t => t.Key)) + BlurKey(eval.Plan.LatentBlur),
                [.. firstSeed, .. values]));
        }
        var graph = new ExperimentGraph(folder, units);
        units.Add(new ReportUnit(config, graph, plans, episodes, [.. units], collection?.Rounds ?? []));
        return graph;
    }

    /// <summary>A high level's value as a cost over the arena; its other planning models are disposed.</summary>
    private static IEnumerable<IPlanningModel> ValueCosts(TrainStage.Unit high, TorchSharp.torch.Device device)
    {
        var all = TrainedPlanningModels.FromRun(high.Folder, device, CostShape.Sum, CostShape.Sum, high.Entry.Name);
        var costs = all.OfType<HierarchicalPlanningModel>().Select(m => m.ValueCost).OfType<IPlanningModel>().ToList();
        foreach (var other in all.Where(m => m is not HierarchicalPlanningModel { ValueCost: not null }))
            other.Dispose();
        return costs;
    }

    /// <summary>
    /// With plan.latentBlur, a spatial latent's cost as it plans it ("NAME-blurred/latent"), beside the plain one;
    /// nothing for a flat latent (its planning refuses the key) or without blur.
    /// </summary>
    private static IEnumerable<IPlanningModel> BlurredCosts(
        TrainStage.Unit train,
        TorchSharp.torch.Device device,
        double[] widths)
    {
        if (widths.Length == 0) return [];
        var all = TrainedPlanningModels.FromRun(train.Folder, device, CostShape.Sum, CostShape.Sum,
            train.Entry.Name + "-blurred");
        var blurred = all.OfType<LearnedPlanningModel>()
            .Where(m => m.Name.EndsWith("/latent", StringComparison.Ordinal) && m.WhyNoMap is null).ToList();
        foreach (var m in blurred) m.LatentBlur = widths;
        foreach (var other in all.Except(blurred)) other.Dispose();
        return blurred;
    }

    /// <summary>What keys the landscape by the blur widths; empty without blur, so earlier keys stay.</summary>
    private static string BlurKey(double[] widths) => widths.Length == 0
        ? ""
        : "+blur-" + string.Join("-", widths.Select(w => w.ToString("R", CultureInfo.InvariantCulture)));

    /// <summary>One planning method of a trained run (a pixel run offers two); the other is disposed.</summary>
    private static IPlanningModel Trained(
        TrainStage.Unit train,
        string method,
        TorchSharp.torch.Device device,
        MpcConfig plan)
    {
        var graph = new TrainedPlanningModels.DataGraphSource(plan.Graph, () => train.Data.Open());
        var all = TrainedPlanningModels.FromRun(train.Folder, device, plan.Cost, plan.PixelCost, train.Label, graph,
            () => train.Data.Open(), plan.Search);
        foreach (var other in all.Where(m => m.Name != method)) other.Dispose();
        return all.Single(m => m.Name == method);
    }

    /// <summary>
    /// results.csv/json, plots and report.md from every plan part; always rewritten (it is cheap and names
    /// this invocation). It depends on every other unit: it reads the landscapes and lists every stage.
    /// </summary>
    private sealed class ReportUnit(
        ExperimentConfig config,
        ExperimentGraph graph,
        IReadOnlyList<PlanStage.Unit> plans,
        PlanEpisode[] episodes,
        IReadOnlyList<ExperimentUnit> all,
        IReadOnlyList<CollectUnit> rounds)
        : ExperimentUnit("report", graph.Folder, all)
    {
        public override string Title => "report";
        public override string Key => "";
        public override bool IsFinished() => false;
        public override bool RunsEveryTime => true;

        public override string Run(UnitContext context)
        {
            var rows = plans.SelectMany(p => p.Rows()).ToList();
            var collected = rounds.Count == 0 ? null : CollectionReport.Write(config, graph.Folder, rounds, rows);
            ExperimentReport.Write(config, graph.Folder, rows, episodes, graph.Records, collected);
            context.Observer.Info($"done: {rows.Count:N0} planned episodes; " +
                $"results.csv, results.json, plots/ and report.md in {Paths.Show(graph.Folder)}");
            return $"{rows.Count:N0} planned episodes";
        }
    }
}
