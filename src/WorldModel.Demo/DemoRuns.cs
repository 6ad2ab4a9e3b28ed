using WorldModel.Models.Training;

namespace WorldModel.Demo;

/// <summary>
/// The training runs in a demo's model folder: flat runs (the models) and high levels (runs with a hierarchy
/// section), each high level paired with the flat run its hierarchy.lowLevel names. A high level whose low level
/// lies outside the folder brings that run in, so a high level's folder alone is enough.
/// </summary>
internal sealed class DemoRuns
{
    private readonly (string Folder, RunConfig Config, string Low)[] _high;

    private DemoRuns((string, RunConfig)[] flat, (string, RunConfig, string)[] high)
    {
        Flat = flat;
        _high = high;
    }

    /// <summary>Runs without a hierarchy section, in folder order (full paths).</summary>
    public (string Folder, RunConfig Config)[] Flat { get; }

    /// <summary>The runs in <paramref name="folder"/>: itself or run folders up to three levels below.</summary>
    public static DemoRuns Find(string folder)
    {
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"checkpoint folder '{folder}' does not exist; "
                + "pass a training run folder or an experiment run folder (…/run-<id>)");
        var runs = RunFolders(folder).Select(r => (Folder: Full(r), Config: TrainingRun.LoadConfig(r))).ToArray();
        if (runs.Length == 0)
            throw new ArgumentException($"'{folder}' holds no training runs "
                + "(folders with config.json and checkpoints/); pass one made by 'wm train' or 'wm run'");
        var flat = runs.Where(r => r.Config.Hierarchy is null).ToList();
        var high = runs.Where(r => r.Config.Hierarchy is not null)
            .Select(r => (r.Folder, r.Config, Low: Full(new TrainingRun(r.Config, r.Folder).LowLevelFolder())))
            .ToArray();
        foreach (var h in high)
            if (!flat.Any(f => f.Folder == h.Low) && File.Exists(Path.Combine(h.Low, TrainingRun.ConfigFile)))
                flat.Add((h.Low, TrainingRun.LoadConfig(h.Low)));
        if (flat.Count == 0)
            throw new ArgumentException($"'{folder}' holds only high levels, and the runs they build on are missing "
                + $"({string.Join(", ", high.Select(h => h.Low).Distinct())}); pass a folder with those runs");
        return new DemoRuns(flat.ToArray(), high);
    }

    /// <summary>The first high level trained on the run in <paramref name="lowFolder"/>, if any.</summary>
    public (string Folder, RunConfig Config)? HighLevelOf(string lowFolder) =>
        _high.FirstOrDefault(h => h.Low == Full(lowFolder)) is { Folder: not null } h ? (h.Folder, h.Config) : null;

    private static string Full(string folder) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));

    private static IEnumerable<string> RunFolders(string folder, int depth = 0)
    {
        if (File.Exists(Path.Combine(folder, TrainingRun.ConfigFile))
            && Directory.Exists(Path.Combine(folder, TrainingRun.CheckpointsFolder)))
        {
            yield return folder;
            yield break;
        }
        if (depth == 3) yield break;
        foreach (var sub in Directory.GetDirectories(folder).Order(StringComparer.Ordinal))
            foreach (var run in RunFolders(sub, depth + 1)) yield return run;
    }
}
