using System.Diagnostics;

namespace WorldModel.Experiments.Graph;

/// <summary>
/// Runs a graph's units in order in this process: a finished unit is reused, an unfinished one runs
/// (and resumes its own partial output). Each unit's record goes to units/ and a line to log.txt.
/// </summary>
public sealed class LocalExecutor : IExperimentExecutor
{
    public void Run(ExperimentGraph graph, UnitContext context)
    {
        foreach (var unit in graph.Units)
        {
            context.Cancel.ThrowIfCancellationRequested();
            UnitRecord record;
            if (unit.IsFinished())
            {
                var earlier = UnitRecord.Load(graph.Folder, unit.Id);
                context.Observer.Info($"{unit.Title}: reusing {Paths.Show(unit.Folder)}");
                record = (earlier ?? new UnitRecord(
                    Id: unit.Id,
                    Stage: unit.Stage,
                    Key: unit.Key,
                    Summary: unit.Title,
                    Seconds: 0,
                    FinishedUtc: DateTime.UtcNow,
                    Reused: true)) with { Reused = true };
            }
            else
            {
                var sw = Stopwatch.StartNew();
                string summary = unit.Run(context);
                record = new UnitRecord(
                    Id: unit.Id,
                    Stage: unit.Stage,
                    Key: unit.Key,
                    Summary: summary,
                    Seconds: sw.Elapsed.TotalSeconds,
                    FinishedUtc: DateTime.UtcNow,
                    Reused: false);
                record.Save(graph.Folder);
            }
            File.AppendAllText(Path.Combine(graph.Folder, "log.txt"),
                $"{DateTime.Now:yyyy-MM-dd HH:mm:ss} {unit.Id}: {record.Summary}: " +
                $"{(record.Reused ? "reused" : $"{record.Seconds:F0} s")}\n");
            graph.Done(record);
            context.Observer.UnitDone(record);
        }
    }
}

/// <summary>
/// Runs an experiment's units: in this process (<see cref="LocalExecutor"/>), or elsewhere (a cluster)
/// by unit id.
/// </summary>
public interface IExperimentExecutor
{
    void Run(ExperimentGraph graph, UnitContext context);
}
