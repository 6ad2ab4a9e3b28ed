using System.Diagnostics;
using WorldModel.Core.IO;

namespace WorldModel.Experiments.Graph;

/// <summary>
/// What every executor does with one unit: run it (saving its record to units/) or reuse it, and log a line to
/// the run's log.txt. A cluster job does the same for its one unit, so the run folder reads alike either way.
/// </summary>
internal static class UnitExecution
{
    public const string LogFile = "log.txt";

    /// <summary>Runs <paramref name="unit"/> (resuming its partial output), saves its record and logs it.</summary>
    public static UnitRecord Run(ExperimentGraph graph, ExperimentUnit unit, UnitContext context)
    {
        var sw = Stopwatch.StartNew();
        string summary = unit.Run(context);
        var record = new UnitRecord(
            Id: unit.Id,
            Stage: unit.Stage,
            Key: unit.Key,
            Summary: summary,
            Seconds: sw.Elapsed.TotalSeconds,
            FinishedUtc: DateTime.UtcNow,
            Reused: false);
        record.Save(graph.Folder);
        Log(graph.Folder, record);
        return record;
    }

    /// <summary>A finished unit found on disk: its earlier record (or a stand-in for another run's output).</summary>
    public static UnitRecord Reuse(ExperimentGraph graph, ExperimentUnit unit, IExperimentObserver observer)
    {
        observer.Info($"{unit.Title}: reusing {Paths.Show(unit.Folder)}");
        var earlier = Earlier(graph, unit);
        WarnIfMadeOtherwise(graph, unit, earlier, observer);
        var record = earlier with { Reused = true };
        Log(graph.Folder, record);
        return record;
    }

    /// <summary>
    /// Warns when a finished unit's record holds another key than the unit has now: its output was made from other
    /// settings, or by a build that derives them otherwise (a run folder is named by its config's hash, so the same
    /// config meets outputs of older builds there). The output is reused as it is; the warning says how to redo it.
    /// </summary>
    public static void WarnIfMadeOtherwise(
        ExperimentGraph graph, ExperimentUnit unit, UnitRecord? earlier, IExperimentObserver observer)
    {
        if (earlier is null || earlier.Key == unit.Key) return;
        observer.Warning(
            $"{unit.Title}: {Paths.Show(unit.Folder)} was made with key {earlier.Key}, and this config and build " +
            $"give {unit.Key} (its settings, or how this build reads them, changed since it ran). Reused as it is; " +
            $"to redo it, delete that folder and {Paths.Show(UnitRecord.PathOf(graph.Folder, unit.Id))}");
    }

    /// <summary>The record a finished unit left, or a stand-in if this run has none (another run's data).</summary>
    public static UnitRecord Earlier(ExperimentGraph graph, ExperimentUnit unit) =>
        UnitRecord.Load(graph.Folder, unit.Id) ?? new UnitRecord(
            Id: unit.Id,
            Stage: unit.Stage,
            Key: unit.Key,
            Summary: unit.Title,
            Seconds: 0,
            FinishedUtc: DateTime.UtcNow,
            Reused: true);

    /// <summary>One line per unit and invocation; jobs of one run append side by side, whole lines each.</summary>
    private static void Log(string runFolder, UnitRecord record) =>
        LineLog.Append(Path.Combine(runFolder, LogFile),
            $"{DateTime.Now:yyyy-MM-dd HH:mm:ss} {record.Id}: {record.Summary}: " +
            $"{(record.Reused ? "reused" : $"{record.Seconds:F0} s")}");
}
