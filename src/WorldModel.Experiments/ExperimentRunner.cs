using WorldModel.Core.Config;
using WorldModel.Core.IO;
using WorldModel.Experiments.Graph;
using static TorchSharp.torch;

namespace WorldModel.Experiments;

/// <summary>
/// `wm run`: the experiment graph of a config, run by an executor in experiments/&lt;name&gt;/&lt;run-id&gt;/.
/// The run id is the hash of the resolved config, so running the same config again finds the same
/// folder: finished units are reused (data by content hash, training by its final checkpoint,
/// planning by its saved parts) and an interrupted one resumes.
/// </summary>
public static class ExperimentRunner
{
    public const string ConfigFile = "config.json";

    public static string RunId(ExperimentConfig config) => "run-" + ConfigLoader.Hash(config, "experiment-v1")[..10];

    /// <summary>
    /// Where a config's run goes without --out: experiments/&lt;name&gt;/run-&lt;config hash&gt;, so a rerun
    /// finds it.
    /// </summary>
    public static string DefaultFolder(ExperimentConfig config) =>
        Path.Combine(Paths.Experiments, config.Name, RunId(config));

    /// <summary>
    /// Saves the config in <paramref name="folder"/> (refusing a folder that holds another experiment) and
    /// runs every unit in this process.
    /// </summary>
    public static ExperimentGraph Run(
        ExperimentConfig config,
        string folder,
        Device device,
        IExperimentObserver observer,
        CancellationToken cancel,
        bool trainOnly = false) =>
        Run(config, folder, new LocalExecutor(), new UnitContext(device, observer, cancel), trainOnly);

    /// <summary>
    /// Launches every unit with <paramref name="executor"/> and waits until all are done; units that a run folder of
    /// <paramref name="reuseFrom"/> finished with the same key are copied in first (<see cref="RunReuse"/>).
    /// </summary>
    public static ExperimentGraph Run(
        ExperimentConfig config,
        string folder,
        IExperimentExecutor executor,
        UnitContext context,
        bool trainOnly = false,
        IReadOnlyList<string>? reuseFrom = null)
    {
        var graph = Launch(config, folder, executor, context, trainOnly, reuseFrom);
        executor.Wait(context);
        return graph;
    }

    /// <summary>
    /// Saves the config in <paramref name="folder"/> and launches the units with <paramref name="executor"/>, holding
    /// the run folder's lock meanwhile: a local run holds it to the end, a cluster submission only while it submits.
    /// </summary>
    public static ExperimentGraph Launch(
        ExperimentConfig config,
        string folder,
        IExperimentExecutor executor,
        UnitContext context,
        bool trainOnly = false,
        IReadOnlyList<string>? reuseFrom = null)
    {
        if (reuseFrom is { Count: > 0 }) RunReuse.CheckSources(reuseFrom, folder); // before anything is written
        // a second run on this folder is refused, not interleaved
        using var running = FolderLock.Acquire(folder, "wm run");
        CheckConfig(config, folder, create: true);
        AtomicFile.RemoveAbandoned(folder, recursive: true); // writes a killed invocation left half-done
        var graph = ExperimentGraph.Build(config, folder, trainOnly);
        if (reuseFrom is { Count: > 0 }) RunReuse.CopyFinished(graph, reuseFrom, context.Observer);
        executor.Launch(graph, context);
        return graph;
    }

    /// <summary>
    /// Runs one unit of a prepared run, as a cluster job does: without the run folder's lock (the run's other jobs
    /// work beside it; a training unit locks its own folder), refusing while an input is unfinished. The report
    /// lists the units before it, as ran now when <paramref name="launchedTogether"/> names them (one submission),
    /// else as reused.
    /// </summary>
    public static UnitRecord RunUnit(
        ExperimentConfig config,
        string folder,
        string unitId,
        UnitContext context,
        IReadOnlyCollection<string> launchedTogether)
    {
        CheckConfig(config, folder, create: false);
        var graph = ExperimentGraph.Build(config, folder);
        var unit = graph[unitId];
        var unfinished = unit.DependsOn.Where(d => !d.IsFinished()).Select(d => d.Id).ToList();
        if (unfinished.Count > 0)
            throw new ExperimentFailedException(
                $"unit {unit.Id} needs {string.Join(", ", unfinished)}, not finished yet; run " +
                $"{(unfinished.Count == 1 ? "it" : "them")} first (wm run with the same config runs the whole graph)");
        foreach (var before in graph.Units.TakeWhile(u => u != unit))
            graph.Done(UnitExecution.Earlier(graph, before) with { Reused = !launchedTogether.Contains(before.Id) });
        var record = UnitExecution.Run(graph, unit, context);
        context.Observer.UnitDone(record);
        return record;
    }

    /// <summary>
    /// The folder's config.json must be <paramref name="config"/>'s; with <paramref name="create"/>, a folder without
    /// one gets it.
    /// </summary>
    private static void CheckConfig(ExperimentConfig config, string folder, bool create)
    {
        string configPath = Path.Combine(folder, ConfigFile);
        string json = ConfigLoader.ToJson(config);
        if (File.Exists(configPath) && File.ReadAllText(configPath) != json && !SameConfig(configPath, json))
            throw new ArgumentException($"{folder} holds an experiment with another config; choose another --out " +
                "(or leave --out away: each config gets its own run folder)");
        if (File.Exists(configPath)) return;
        if (!create)
            throw new ArgumentException($"{folder} holds no {ConfigFile}: --unit runs one unit of a run that " +
                "`wm run --executor slurm` prepared; start with that");
        AtomicFile.WriteAllText(configPath, json);
    }

    /// <summary>
    /// Whether a folder's config.json, read back, is the config <paramref name="json"/> writes: the text differs
    /// where the folder was written before a key was added (an <see cref="AddedKeyAttribute"/> key at its default).
    /// </summary>
    private static bool SameConfig(string configPath, string json)
    {
        try { return ConfigLoader.ToJson(ConfigLoader.LoadFile<ExperimentConfig>(configPath, [])) == json; }
        catch (ConfigException) { return false; }
    }
}
