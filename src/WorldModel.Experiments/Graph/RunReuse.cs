using WorldModel.Core.IO;

namespace WorldModel.Experiments.Graph;

/// <summary>
/// `wm run --reuse-from RUN`: before a run starts, every unit another run folder finished with the same key (a model
/// trained with the same settings on the same data, an episode set planned the same way) is copied into this run's
/// folder, so planning one trained model several ways trains it once. A unit this run has begun is resumed, not
/// replaced, and one made with other settings is left, named in the summary.
/// </summary>
public static class RunReuse
{
    /// <summary>What was copied and what was passed over (ids), for the summary line and tests.</summary>
    public sealed record Outcome(IReadOnlyList<string> Copied, IReadOnlyList<string> OtherKey);

    /// <summary>
    /// Copies into <paramref name="graph"/>'s folder each unfinished unit that one of <paramref name="sources"/>
    /// (run folders, tried in order) finished with the same id and key: its folder, then its record.
    /// </summary>
    public static Outcome CopyFinished(ExperimentGraph graph, IReadOnlyList<string> sources,
        IExperimentObserver observer)
    {
        CheckSources(sources, graph.Folder);
        var copied = new List<string>();
        var otherKey = new List<string>();
        foreach (var unit in graph.Units)
        {
            if (!unit.OwnsFolder || unit.RunsEveryTime || unit.IsFinished()) continue;
            string relative = Path.GetRelativePath(graph.Folder, unit.Folder);
            // Data lives beside the run folders (shared by content hash already).
            if (relative == "." || relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative))
                continue;
            // A unit this run began is resumed from its own partial output: nothing written is replaced.
            if (Directory.Exists(unit.Folder)) continue;
            bool sameKeyFound = false, otherKeyFound = false;
            foreach (string source in sources)
            {
                var record = UnitRecord.Load(source, unit.Id);
                string from = Path.Combine(source, relative);
                if (record is null || !Directory.Exists(from)) continue;
                if (record.Key != unit.Key) { otherKeyFound = true; continue; }
                CopyFolder(from, unit.Folder);
                record.Save(graph.Folder);
                copied.Add(unit.Id);
                sameKeyFound = true;
                break;
            }
            if (!sameKeyFound && otherKeyFound) otherKey.Add(unit.Id);
        }
        observer.Info(Summary(sources, copied, otherKey));
        return new Outcome(copied, otherKey);
    }

    /// <summary>Each source must be a run folder, and not <paramref name="target"/> itself.</summary>
    public static void CheckSources(IReadOnlyList<string> sources, string target)
    {
        foreach (string source in sources) CheckSource(source, target);
    }

    /// <summary>A source must be a folder `wm run` wrote (it holds the run's config).</summary>
    public static void CheckIsRunFolder(string source)
    {
        if (!File.Exists(Path.Combine(source, ExperimentRunner.ConfigFile)))
            throw new ArgumentException($"--reuse-from {source}: not a run folder (it holds no " +
                $"{ExperimentRunner.ConfigFile}); give a folder `wm run` wrote, e.g. experiments/<name>/run-<hash>");
    }

    private static void CheckSource(string source, string target)
    {
        CheckIsRunFolder(source);
        if (Path.GetFullPath(source).TrimEnd('/') == Path.GetFullPath(target).TrimEnd('/'))
            throw new ArgumentException($"--reuse-from {source} is this run's own folder; a rerun reuses its " +
                "finished units without the option");
    }

    private static string Summary(IReadOnlyList<string> sources, List<string> copied, List<string> otherKey)
    {
        // A sweep's later points name every earlier one as a source: past two, the count says enough.
        string from = sources.Count <= 2
            ? string.Join(", ", sources.Select(Paths.Show))
            : $"{sources.Count} run folders ({Paths.Show(sources[0])}, …)";
        string what = copied.Count == 0
            ? $"reuse from {from}: no finished unit with this run's settings"
            : $"reused from {from}: {copied.Count} finished unit{(copied.Count == 1 ? "" : "s")} (" +
              string.Join(", ", copied.GroupBy(id => id.Split('/')[0]).Select(g => $"{g.Count()} {g.Key}")) + ")";
        if (otherKey.Count == 0) return what;
        return what + $"; made there with other settings, so run here: {string.Join(", ", otherKey.Take(4))}" +
               (otherKey.Count > 4 ? $" and {otherKey.Count - 4} more" : "");
    }

    /// <summary>
    /// Copies a folder as a whole: into a temporary sibling (".NAME.PID.GUID.tmp", which a later run removes if
    /// this process is killed), then renamed into place, so the target is absent or complete.
    /// </summary>
    private static void CopyFolder(string from, string to)
    {
        string parent = Path.GetDirectoryName(Path.GetFullPath(to))!;
        Directory.CreateDirectory(parent);
        string tmp = Path.Combine(parent,
            $".{Path.GetFileName(to)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(tmp);
            foreach (string dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
                Directory.CreateDirectory(Path.Combine(tmp, Path.GetRelativePath(from, dir)));
            foreach (string file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
            {
                // Another process's half-written file is not part of the finished output, nor is the source's lock.
                if (AtomicFile.IsTemporary(file) || Path.GetFileName(file).StartsWith(FolderLock.FileName,
                        StringComparison.Ordinal)) continue;
                File.Copy(file, Path.Combine(tmp, Path.GetRelativePath(from, file)));
            }
            FaultPoint.Reach("reuse-copy");
            Directory.Move(tmp, to);
        }
        finally
        {
            if (Directory.Exists(tmp)) Directory.Delete(tmp, recursive: true);
        }
    }
}
