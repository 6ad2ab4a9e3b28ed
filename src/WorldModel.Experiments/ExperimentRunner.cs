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
    /// runs every unit.
    /// </summary>
    public static ExperimentGraph Run(
        ExperimentConfig config,
        string folder,
        Device device,
        IExperimentObserver observer,
        CancellationToken cancel,
        bool trainOnly = false)
    {
        // a second run on this folder is refused, not interleaved
        using var running = FolderLock.Acquire(folder, "wm run");
        string configPath = Path.Combine(folder, ConfigFile);
        string json = ConfigLoader.ToJson(config);
        if (File.Exists(configPath) && File.ReadAllText(configPath) != json)
            throw new ArgumentException($"{folder} holds an experiment with another config; choose another --out " +
                "(or leave --out away: each config gets its own run folder)");
        if (!File.Exists(configPath)) AtomicFile.WriteAllText(configPath, json);
        AtomicFile.RemoveAbandoned(folder, recursive: true); // writes a killed invocation left half-done
        var graph = ExperimentGraph.Build(config, folder, trainOnly);
        new LocalExecutor().Run(graph, new UnitContext(device, observer, cancel));
        return graph;
    }
}
