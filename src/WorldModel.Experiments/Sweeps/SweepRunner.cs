using System.Text.Json;
using System.Text.Json.Nodes;
using WorldModel.Core.Config;
using WorldModel.Core.IO;
using WorldModel.Experiments.Graph;

namespace WorldModel.Experiments.Sweeps;

/// <summary>
/// `wm sweep` (Hydra's multirun): one experiment per grid point, each in its own config-hash run folder, then a
/// table and a plot across the grid in the sweep folder. A local executor runs the points one after the other;
/// Slurm gets every point's jobs submitted before any is waited for.
/// </summary>
public static class SweepRunner
{
    public const string FileName = "sweep.json";

    /// <summary>
    /// The runs of <paramref name="grid"/> over a config file with <paramref name="sets"/>: every point's config is
    /// loaded and checked before anything runs. Runs go to <paramref name="outFolder"/>/run-HASH, or without it to
    /// each config's default folder.
    /// </summary>
    public static IReadOnlyList<SweepRun> Runs(string configPath, IReadOnlyList<string> sets, SweepGrid grid,
        string? outFolder)
    {
        foreach (var key in grid.Keys)
            if (sets.Any(s => s.StartsWith(key + "=", StringComparison.Ordinal)))
                throw new ArgumentException($"{key} is both --set and --grid; keep it in one of them");
        return [.. grid.Points().Select(point =>
        {
            var config = ConfigLoader.LoadFile<ExperimentConfig>(configPath, [.. sets, .. grid.Overrides(point)]);
            string folder = outFolder is null
                ? ExperimentRunner.DefaultFolder(config)
                : Path.Combine(outFolder, ExperimentRunner.RunId(config));
            return new SweepRun(point, config, folder);
        })];
    }

    /// <summary>
    /// Where a sweep's table goes without --out: experiments/NAME/sweep-HASH, the hash of the base config and grid.
    /// </summary>
    public static string DefaultFolder(ExperimentConfig baseConfig, SweepGrid grid) =>
        Path.Combine(Paths.Experiments, baseConfig.Name,
            "sweep-" + ConfigLoader.Hash(baseConfig, "sweep-v1" + JsonSerializer.Serialize(grid.Axes))[..10]);

    /// <summary>
    /// Launches every run with <paramref name="executor"/> (points that resolve to the same run once), saves
    /// sweep.json, and unless <paramref name="wait"/> is false waits for all and writes the combined table and plot.
    /// A point reuses what <paramref name="reuseFrom"/> (run folders, `--reuse-from`) and the points launched before
    /// it finished with the same settings (<see cref="RunReuse"/>): a grid over evaluation keys trains each model
    /// once when the points run here one after the other; on a cluster the points run at once and each trains its own.
    /// </summary>
    public static void Run(SweepGrid grid, IReadOnlyList<SweepRun> runs, string sweepFolder,
        IExperimentExecutor executor, UnitContext context, bool wait, IReadOnlyList<string>? reuseFrom = null)
    {
        reuseFrom ??= [];
        // A bad source is refused before anything is written; one that is a point's own folder is that point's rerun.
        foreach (string source in reuseFrom) RunReuse.CheckIsRunFolder(source);
        Directory.CreateDirectory(sweepFolder);
        AtomicFile.WriteAllText(Path.Combine(sweepFolder, FileName), Describe(grid, runs));
        var folders = new List<string>();
        foreach (var run in runs)
        {
            string folder = Path.GetFullPath(run.Folder);
            if (folders.Contains(folder)) continue;
            context.Observer.Info($"sweep point {string.Join(", ", grid.Overrides(run.Values))} → " +
                Paths.Show(run.Folder));
            var sources = reuseFrom.Concat(folders).Where(s => !SameFolder(s, folder)).ToList();
            ExperimentRunner.Launch(run.Config, run.Folder, executor, context, reuseFrom: sources);
            folders.Add(folder);
        }
        if (!wait) return;
        executor.Wait(context);
        SweepReport.Write(sweepFolder, grid, runs, runs[0].Config.Name);
        context.Observer.Info($"sweep: {runs.Count} points; sweep.md, sweep.csv and success_vs_grid.png in " +
            Paths.Show(sweepFolder));
    }

    private static bool SameFolder(string a, string b) =>
        Path.GetFullPath(a).TrimEnd('/') == Path.GetFullPath(b).TrimEnd('/');

    /// <summary>sweep.json: the grid and each point's overrides and run folder.</summary>
    private static string Describe(SweepGrid grid, IReadOnlyList<SweepRun> runs) => new JsonObject
    {
        ["grid"] = new JsonObject(grid.Axes.Select(a => KeyValuePair.Create(a.Key,
            (JsonNode?)new JsonArray([.. a.Values.Select(v => JsonValue.Create(v))])))),
        ["points"] = new JsonArray([.. runs.Select(r => new JsonObject
        {
            ["set"] = new JsonArray([.. grid.Overrides(r.Values).Select(o => JsonValue.Create(o))]),
            ["run"] = Path.GetFullPath(r.Folder),
        })]),
    }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
}
