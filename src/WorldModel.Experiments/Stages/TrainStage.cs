using System.Text.Json.Nodes;
using WorldModel.Core.Config;
using WorldModel.Experiments.Graph;
using WorldModel.Models.Training;
using WorldModel.Render;
using WorldModel.Report;

namespace WorldModel.Experiments.Stages;

/// <summary>Training one model on one seed: a TrainingRun in its own folder, resumed from its checkpoints.</summary>
public static class TrainStage
{
    /// <summary>
    /// Trains (or continues) <paramref name="run"/> on <paramref name="data"/>: a progress bar in steps,
    /// a note with the losses every LogEvery steps, loss.png at the end. Returns the step it started from.
    /// Frames are drawn with <paramref name="renderer"/>, or one made for the data when null.
    /// </summary>
    public static int Train(
        TrainingRun run,
        Data.Dataset data,
        string task,
        UnitContext context,
        IRenderer? renderer = null)
    {
        var config = run.Config;
        int steps = config.Train.Steps;
        using var own = renderer is null
            ? RendererFactory.Create(data.Config.Render.Renderer,
                new SceneBuilder(data.Config.World, data.Config.Render).Format).Renderer
            : null;
        renderer ??= own!;
        // A resumed run's bar counts the steps left, so its rate and ETA are this invocation's, not inflated
        // by the steps already done.
        int from = run.CompletedSteps();
        string title = from > 0 ? $"{task} (from step {from:N0})" : task;
        int start = context.Observer.Track(title, steps - from, "steps",
            progress => run.Run(data, renderer, context.Device, m =>
            {
                progress.Report(m.Step + 1 - from);
                if (m.Step % config.LogEvery == 0 || m.Step + 1 == steps)
                    progress.Note($"step {m.Step + 1,7}/{steps}  loss {m.Loss:F4}  " +
                                  string.Join("  ", m.Terms.Select(t => $"{t.Key} {t.Value:F4}")) +
                                  $"  {config.Train.BatchSize / m.Seconds:F0} sequences/s");
            }, context.Cancel, context.Observer.Warning));
        PlotLosses(run);
        return start;
    }

    /// <summary>loss.png/.svg: the total and each term against the step, log scale.</summary>
    public static void PlotLosses(TrainingRun run)
    {
        string path = Path.Combine(run.Folder, TrainingRun.MetricsFile);
        if (!File.Exists(path)) return;
        var rows = File.ReadAllLines(path).Where(l => l.Length > 0).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        if (rows.Count < 2) return;
        var keys = rows[0].Select(p => p.Key).Where(k => k is not ("step" or "lr" or "seconds")).ToList();
        var steps = rows.Select(r => (double)r["step"]!.GetValue<int>()).ToArray();
        var series = keys.Select(k => new LinePlot.Series(k, steps,
            rows.Select(r => r[k] is { } v ? v.GetValue<double>() : double.NaN).ToArray()));
        LinePlot.Save(Path.Combine(run.Folder, "loss"), $"{run.Config.Name}: training loss",
            "step", "loss (log scale)", series, logY: true);
    }

    /// <summary>
    /// One model × seed of an experiment, in train/NAME-seedS; or, given the finished <paramref name="lowLevel"/>
    /// unit it builds on, that model's high level, in train/NAME-seedS-high; or, with <paramref name="pretraining"/>,
    /// a curriculum's first phase, in train/NAME-seedS-pretrain, which the model's unit starts from
    /// (<paramref name="initFrom"/>).
    /// </summary>
    public sealed class Unit(
        ModelEntry entry,
        int seed,
        RunConfig config,
        string folder,
        DatasetUnit data,
        Unit? lowLevel = null,
        string? id = null,
        string? label = null,
        Unit? initFrom = null,
        bool pretraining = false)
        : ExperimentUnit(id ?? $"train/{entry.Name}-seed{seed}{Suffix(lowLevel is not null, pretraining)}", folder,
            new ExperimentUnit?[] { data, lowLevel, initFrom }.OfType<ExperimentUnit>().ToList(),
            replicaSeed: seed)
    {
        private static string Suffix(bool high, bool pretraining) => high ? "-high" : pretraining ? "-pretrain" : "";

        /// <summary>What its planning methods are called before "/latent" ("jepa", or "passive@8k/jepa").</summary>
        public string Label => label ?? entry.Name;
        public ModelEntry Entry => entry;
        /// <summary>The data it trains on (a latent method planned over a data graph encodes it).</summary>
        public DatasetUnit Data => data;
        public int Seed => seed;
        /// <summary>
        /// Whether this unit trains a high level (on <see cref="ExperimentUnit.DependsOn"/>'s low level).
        /// </summary>
        public bool IsHighLevel => lowLevel is not null;
        /// <summary>
        /// Whether this unit is a curriculum's first phase (never planned with; a later unit starts from it).
        /// </summary>
        public bool IsPretraining => pretraining;
        /// <summary>Whether this unit's high level also learns a goal-conditioned value (hierarchy.value).</summary>
        public bool LearnsValue => lowLevel is not null && config.Hierarchy?.Value is not null;
        public override string Title => $"train {entry.Name} seed {seed}"
            + (lowLevel is not null ? " high level" : pretraining ? " first phase" : "");
        // A high level's output depends on the low level it was trained on, not only on its own settings; a
        // curriculum's second phase on the weights it starts from.
        public override string Key => TrainingRun.ContentHash(config) + (lowLevel is null ? "" : "+" + lowLevel.Key)
            + (initFrom is null ? "" : "+init-" + initFrom.Key)
            // Generated data is named by config.data already; collected data only by its unit's key.
            + (data is DataStage.Unit ? "" : "+" + data.Key);
        public override bool IsFinished() => new TrainingRun(config, Folder).CompletedSteps() >= config.Train.Steps;

        public override string Run(UnitContext context)
        {
            Train(new TrainingRun(config, Folder), data.Open(), Title, context);
            if (pretraining)
                return $"{entry.Name} seed {seed} first phase: {config.Train.Steps:N0} steps of " +
                       $"{config.Train.BatchSize} × {config.Train.Rollout + 1} frames in " +
                       config.Data.World.Describe();
            return config.Hierarchy is { } h
                ? $"{entry.Name} seed {seed} high level: {config.Train.Steps:N0} steps of " +
                  $"{config.Train.BatchSize} × {config.Train.Rollout} jumps of {h.Skip}"
                : $"{entry.Name} seed {seed}: {config.Train.Steps:N0} steps of " +
                  $"{config.Train.BatchSize} × {config.Train.Rollout + 1} frames";
        }

        /// <summary>
        /// The planning methods this run adds, by result name, before it is trained: the low level's flat ones, or a
        /// high level's two-level ones.
        /// </summary>
        public IReadOnlyList<string> Methods
        {
            get
            {
                if (pretraining) return [];
                IReadOnlyList<string> suffixes = lowLevel is null
                    ? [.. entry.FlatMethods, .. ModelEntry.ListedOnlyMethods]
                    : entry.HighLevelMethods;
                return [.. suffixes.Where(entry.Plans).Select(x => $"{Label}/{x}")];
            }
        }
    }
}
