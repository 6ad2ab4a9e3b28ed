using System.Diagnostics;
using WorldModel.Core.IO;
using WorldModel.Experiments.Graph;

namespace WorldModel.Experiments.Slurm;

/// <summary>
/// Runs an experiment on Slurm: each unfinished unit becomes a job that runs `wm run … --unit ID` in the shared
/// run folder, waiting (afterok) for the jobs of its unfinished inputs; a model's seeds share one array job.
/// Finished units are neither submitted nor waited for, so a second submission continues where the first
/// stopped. A dataset another run of the same submission (a sweep) is already making is waited for, not made
/// twice. The jobs are written to RUN/slurm/jobs.json; their logs to RUN/slurm/logs/.
/// </summary>
public sealed class SlurmExecutor(SlurmOptions options) : IExperimentExecutor
{
    /// <summary>How many squeue failures in a row waiting rides out before it gives up.</summary>
    private const int MaxMisses = 5;

    private readonly List<(ExperimentGraph Graph, SlurmSubmission Submission)> _launched = [];

    /// <summary>Units written outside their run folder (a dataset, shared by content hash) → their job.</summary>
    private readonly Dictionary<string, SlurmUnitJob> _shared = [];

    /// <summary>
    /// Submits the graph's unfinished units. With nothing to submit but the report, the report is written here
    /// instead (it is cheap), so a finished run submits nothing.
    /// </summary>
    public void Launch(ExperimentGraph graph, UnitContext context)
    {
        RefuseWhileActive(graph);
        var todo = graph.Units.Where(u => !u.IsFinished()).ToList();
        foreach (var finished in graph.Units.Except(todo))
            UnitExecution.WarnIfMadeOtherwise(graph, finished, UnitRecord.Load(graph.Folder, finished.Id),
                context.Observer);
        if (todo.All(u => u.RunsEveryTime))
        {
            context.Observer.Info($"nothing to submit: every unit of {Paths.Show(graph.Folder)} is finished");
            new LocalExecutor().Launch(graph, context);
            return;
        }
        // A unit's record in units/ is how waiting tells a unit finished from one whose job failed: the records of
        // units about to run are stale.
        foreach (string stale in todo.Select(u => UnitRecord.PathOf(graph.Folder, u.Id)).Where(File.Exists))
            File.Delete(stale);
        var jobs = todo.Where(u => _shared.ContainsKey(u.Folder)).ToDictionary(u => u, u => _shared[u.Folder]);
        var specs = SlurmJobPlan.Plan([.. todo.Where(u => !jobs.ContainsKey(u))]);
        string slurm = Path.Combine(graph.Folder, SlurmSubmission.FolderName);
        Directory.CreateDirectory(Path.Combine(slurm, "logs"));
        var submitted = new List<string>();
        var when = DateTime.UtcNow;
        try
        {
            foreach (var spec in specs)
            {
                var after = spec.Units.SelectMany(u => u.DependsOn).Where(jobs.ContainsKey)
                    .Select(d => jobs[d].JobId).Distinct().ToList();
                string script = Path.Combine(slurm, spec.FileName + ".sbatch");
                AtomicFile.WriteAllText(script, SlurmScript.Text(spec, graph.Folder, JobName(graph, spec), options));
                // afterok on an array job waits for all its tasks: a seed's planning may wait for the slowest seed's
                // training, but never starts on a missing model (aftercorr would pair tasks by index, and fails
                // when a rerun's arrays hold different seeds).
                var args = new List<string>(options.SbatchArgs);
                if (after.Count > 0) args.Insert(0, "--dependency=afterok:" + string.Join(':', after));
                string id = SlurmClient.Submit(script, args);
                submitted.Add(id);
                foreach (var unit in spec.Units)
                {
                    int? index = spec.IsArray ? unit.ReplicaSeed : null;
                    var job = new SlurmUnitJob(unit.Id, id, index, SlurmScript.LogOf(graph.Folder, spec, id, index),
                        script);
                    jobs[unit] = job;
                    if (!Inside(unit.Folder, graph.Folder)) _shared[unit.Folder] = job;
                }
                // Saved after each job: the report's job reads which units ran in this submission.
                new SlurmSubmission(when, [.. todo.Where(jobs.ContainsKey).Select(u => jobs[u])]).Save(graph.Folder);
                context.Observer.Info($"submitted job {id}{(spec.IsArray ? $" (array {spec.ArrayIndices})" : "")}: " +
                    spec.Name + (after.Count > 0 ? $" (after {string.Join(", ", after)})" : ""));
            }
        }
        catch (Exception)
        {
            // Half a graph would run without the rest: take back what was submitted.
            try { SlurmClient.Cancel(submitted); }
            catch (ExperimentFailedException) { } // the first error is the one to show
            throw;
        }
        var submission = new SlurmSubmission(when, [.. todo.Select(u => jobs[u])]);
        submission.Save(graph.Folder);
        _launched.Add((graph, submission));
        context.Observer.Info($"{todo.Count} units in {specs.Count} jobs; Slurm logs in " +
            $"{Paths.Show(Path.Combine(slurm, "logs"))}");
    }

    /// <summary>
    /// Polls squeue until every submitted unit's job has ended; prints each finished unit with the rate and ETA,
    /// and each failed one with its log.
    /// </summary>
    public void Wait(UnitContext context)
    {
        var waiting = _launched.SelectMany(l => l.Submission.Units.Select(job => (l.Graph, Job: job))).ToList();
        int total = waiting.Count, done = 0;
        var failed = new List<string>();
        var running = new HashSet<string>();
        var clock = Stopwatch.StartNew();
        int misses = 0;
        try
        {
            while (waiting.Count > 0)
            {
                IReadOnlyDictionary<string, SlurmJobState> states;
                try
                {
                    states = SlurmClient.Query(waiting.Select(w => w.Job.JobId));
                    misses = 0;
                }
                catch (ExperimentFailedException e) when (++misses < MaxMisses)
                {
                    // slurmctld restarting or busy: the jobs go on meanwhile, so ask again.
                    context.Observer.Warning($"{e.Message.Split('\n')[0]}; asking again");
                    if (context.Cancel.WaitHandle.WaitOne(options.Poll)) break;
                    continue;
                }
                foreach (var (graph, job) in waiting.ToList())
                {
                    var state = SlurmClient.StateOf(states, job);
                    if (state is { IsActive: true })
                    {
                        if (!state.IsPending && running.Add(graph.Folder + " " + job.Unit))
                            context.Observer.Info($"running {job.Unit} (job {job.SlurmId})");
                        continue;
                    }
                    waiting.Remove((graph, job));
                    var unit = graph[job.Unit];
                    var record = UnitRecord.Load(graph.Folder, job.Unit);
                    if (record is null && (unit.RunsEveryTime || !unit.IsFinished()))
                    {
                        failed.Add(Failure(graph, job, state));
                        context.Observer.Warning($"{job.Unit} failed ({Describe(state)}, job {job.SlurmId}); " +
                            $"log: {Paths.Show(job.Log)}");
                        continue;
                    }
                    done++;
                    context.Observer.Info(Progress(done, total, clock.Elapsed, job,
                        record?.Summary ?? unit.Title, record?.Seconds));
                    if (record is not null) context.Observer.UnitDone(record);
                }
                if (waiting.Count > 0 && context.Cancel.WaitHandle.WaitOne(options.Poll)) break;
            }
            context.Cancel.ThrowIfCancellationRequested();
        }
        catch (OperationCanceledException)
        {
            context.Observer.Info("stopped waiting; the jobs go on: `wm status RUN` shows them, `wm cancel RUN` " +
                "stops them");
            throw;
        }
        var launched = _launched.ToList();
        _launched.Clear();
        foreach (var (graph, submission) in launched) Record(graph, submission);
        if (failed.Count > 0)
            throw new ExperimentFailedException(
                $"{failed.Count} of {total} units did not finish:\n  {string.Join("\n  ", failed)}\n" +
                "Fix what the logs say and run the same command again: finished units are reused. " +
                "`wm status RUN` shows every unit.");
        foreach (var (graph, _) in launched)
            if (UnitRecord.Load(graph.Folder, "report") is { } report)
                context.Observer.Info($"done: {report.Summary}; results.csv, results.json, plots/ and report.md " +
                    $"in {Paths.Show(graph.Folder)}");
    }

    /// <summary>The graph's records in unit order, like a local run's; units not submitted are reused.</summary>
    private static void Record(ExperimentGraph graph, SlurmSubmission submission)
    {
        foreach (var unit in graph.Units)
        {
            var record = UnitRecord.Load(graph.Folder, unit.Id);
            if (record is null && !unit.IsFinished()) continue; // failed: it has no record
            graph.Done(record is not null
                ? record with { Reused = submission[unit.Id] is null }
                : UnitExecution.Earlier(graph, unit));
        }
    }

    /// <summary>
    /// Refuses to submit while jobs of the run's earlier submission are queued or running for unfinished units (a
    /// job whose unit is finished may still be exiting: it writes nothing more).
    /// </summary>
    private static void RefuseWhileActive(ExperimentGraph graph)
    {
        if (SlurmSubmission.Load(graph.Folder) is not { } earlier) return;
        var states = SlurmClient.Query(earlier.Units.Select(u => u.JobId));
        var active = earlier.Units.Where(u => SlurmClient.StateOf(states, u) is { IsActive: true } && Unfinished(u))
            .Select(u => $"{u.Unit} (job {u.SlurmId})").ToList();
        string run = Paths.Show(graph.Folder);
        if (active.Count > 0)
            throw new ExperimentFailedException(
                $"{run} has jobs of an earlier submission queued or running: {string.Join(", ", active)}; wait for " +
                $"them (`wm status {run}`) or cancel them (`wm cancel {run}`), then submit again");

        bool Unfinished(SlurmUnitJob job) =>
            graph.Units.FirstOrDefault(u => u.Id == job.Unit) is not { } unit
            || unit.RunsEveryTime
            || !unit.IsFinished();
    }

    private static string JobName(ExperimentGraph graph, SlurmJobSpec spec) =>
        $"wm/{Path.GetFileName(Path.GetFullPath(graph.Folder))}/" +
        (spec.IsArray ? spec.SeedPrefix + "N" + spec.SeedSuffix : spec.Units[0].Id);

    private static bool Inside(string path, string folder) =>
        !Path.GetRelativePath(Path.GetFullPath(folder), Path.GetFullPath(path))
            .StartsWith("..", StringComparison.Ordinal);

    private static string Failure(ExperimentGraph graph, SlurmUnitJob job, SlurmJobState? state) =>
        $"{job.Unit} of {Paths.Show(graph.Folder)}: {Describe(state)}, job {job.SlurmId}, log {Paths.Show(job.Log)}";

    /// <summary>How a job ended, in words: "FAILED", "CANCELLED: an input's job failed", …</summary>
    public static string Describe(SlurmJobState? state) => state switch
    {
        null => "ended without finishing its unit (Slurm no longer lists the job)",
        { Reason: "DependencyNeverSatisfied" } => $"{state.State}: a job it waited for failed",
        { State: "COMPLETED" } => "the job completed but left its unit unfinished",
        { Reason: "None" or "" } => state.State,
        _ => $"{state.State} ({state.Reason})",
    };

    private static string Progress(int done, int total, TimeSpan elapsed, SlurmUnitJob job, string summary,
        double? seconds)
    {
        double perMinute = done / Math.Max(1e-9, elapsed.TotalMinutes);
        string eta = done < total
            ? $", ETA {TimeSpan.FromMinutes((total - done) / perMinute):hh\\:mm\\:ss}"
            : "";
        return $"[{done}/{total}] {job.Unit}: {summary}" +
            (seconds is { } s ? $" ({s:F0} s, job {job.SlurmId})" : $" (job {job.SlurmId})") +
            $"; {perMinute:F1} units/min{eta}";
    }
}
