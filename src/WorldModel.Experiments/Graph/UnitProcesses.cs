using System.Diagnostics;
using WorldModel.Core.IO;
using WorldModel.Experiments.Stages;

namespace WorldModel.Experiments.Graph;

/// <summary>
/// Runs a graph's units several at a time on this machine, each unfinished one in a `wm run … --unit ID` process of
/// its own (as a Slurm job runs it) with an equal share of the CPUs: small models use many threads poorly, so two
/// units on one core each finish sooner than one after the other on two. A unit starts when its inputs are
/// finished; the dataset and the report run in this process (no torch; the report reads every record). Each
/// process's output goes to RUN/local/logs/UNIT.log, and its latest progress line is repeated here now and then.
/// </summary>
/// <param name="jobs">How many units run at once.</param>
/// <param name="threads">Torch threads per unit (null: the machine's cores shared equally, at least one).</param>
/// <param name="command">The executable and leading arguments that start this same wm.</param>
/// <param name="device">The --device each process is given.</param>
public sealed class UnitProcesses(int jobs, int? threads, IReadOnlyList<string> command, string device)
{
    public const string FolderName = "local";
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Torch threads per unit process. Float rounding depends on it: a learned model's episodes equal another run's
    /// where both used the same count.
    /// </summary>
    public int Threads { get; } = threads ?? Math.Max(1, Environment.ProcessorCount / jobs);

    public void Launch(ExperimentGraph graph, UnitContext context)
    {
        var observer = context.Observer;
        var pending = graph.Units.ToList();
        var done = new HashSet<ExperimentUnit>();
        var failed = new Dictionary<string, string>(); // unit id → why
        var running = new Dictionary<ExperimentUnit, (Process Process, StreamWriter Output, string Log)>();
        string logs = Path.Combine(graph.Folder, FolderName, "logs");
        Directory.CreateDirectory(logs);
        observer.Info($"running up to {jobs} units at once, {Threads} torch thread{(Threads == 1 ? "" : "s")} each; " +
            $"their logs in {Paths.Show(logs)}");
        var lastProgress = Stopwatch.StartNew();
        try
        {
            while (pending.Count > 0 || running.Count > 0)
            {
                context.Cancel.ThrowIfCancellationRequested();
                foreach (var unit in pending.ToList())
                {
                    var blocked = unit.DependsOn.Select(d => d.Id).Where(failed.ContainsKey).ToList();
                    if (blocked.Count > 0)
                    {
                        pending.Remove(unit);
                        failed[unit.Id] = $"not run: needs {string.Join(", ", blocked)}";
                        continue;
                    }
                    if (!unit.DependsOn.All(done.Contains)) continue;
                    bool here = unit.RunsEveryTime || unit is DataStage.Unit;
                    if (unit.IsFinished() || (here && running.Count == 0))
                    {
                        pending.Remove(unit);
                        var record = unit.IsFinished()
                            ? UnitExecution.Reuse(graph, unit, observer)
                            : UnitExecution.Run(graph, unit, context);
                        Finish(graph, unit, record, done, observer);
                        continue;
                    }
                    if (here || running.Count >= jobs) continue;
                    pending.Remove(unit);
                    // A stale record would read as this run's result if the process died before writing its own.
                    string stale = UnitRecord.PathOf(graph.Folder, unit.Id);
                    if (File.Exists(stale)) File.Delete(stale);
                    string log = Path.Combine(logs, unit.Id.Replace('/', '_') + ".log");
                    var (process, output) = Start(graph, unit, log);
                    running[unit] = (process, output, log);
                    observer.Info($"{unit.Title}: started (log {Paths.Show(log)})");
                }
                foreach (var (unit, (process, output, log)) in running.ToList())
                {
                    if (!process.HasExited) continue;
                    running.Remove(unit);
                    Stop(process, output);
                    var record = process.ExitCode == 0 ? UnitRecord.Load(graph.Folder, unit.Id) : null;
                    if (record is not null) Finish(graph, unit, record, done, observer);
                    else
                    {
                        failed[unit.Id] = $"{ExitCause(process.ExitCode)}; {Paths.Show(log)} ends: {LastLine(log)}";
                        // Said now, not only at the end: the other units may run for hours.
                        observer.Info($"{unit.Title}: failed, {failed[unit.Id]}; the units that do not need it go on");
                    }
                    process.Dispose();
                }
                if (running.Count > 0 && lastProgress.Elapsed >= ProgressEvery)
                {
                    foreach (var (unit, (_, _, log)) in running) observer.Info($"  {unit.Id}: {LastLine(log)}");
                    lastProgress.Restart();
                }
                if (running.Count > 0) Thread.Sleep(200);
            }
        }
        finally
        {
            // Interrupted (or failed here): the processes stop too; each unit resumes from its own output next time.
            foreach (var (process, output, _) in running.Values)
            {
                try { process.Kill(entireProcessTree: true); }
                catch (InvalidOperationException) { } // already gone
                Stop(process, output);
                process.Dispose();
            }
        }
        if (failed.Count > 0)
            throw new ExperimentFailedException($"{failed.Count} unit{(failed.Count == 1 ? "" : "s")} failed: " +
                string.Join("; ", failed.Select(f => $"{f.Key} ({f.Value})")) +
                ". Read the logs; the same command again reruns only what did not finish");
    }

    private static void Finish(
        ExperimentGraph graph,
        ExperimentUnit unit,
        UnitRecord record,
        HashSet<ExperimentUnit> done,
        IExperimentObserver observer)
    {
        graph.Done(record);
        observer.UnitDone(record);
        done.Add(unit);
    }

    /// <summary>
    /// A failed unit's exit code in words. 137 is SIGKILL, and with several units at once it was the kernel's
    /// out-of-memory killer (the random-layouts run: three pixel planning units of 13–14 GB each on 24 GiB).
    /// </summary>
    public static string ExitCause(int exitCode) => exitCode switch
    {
        137 => "exit code 137: killed (SIGKILL), most often by the kernel for lack of memory; run fewer units " +
               "at once (--jobs) or where there is more memory",
        > 128 and < 160 => $"exit code {exitCode}: killed by signal {exitCode - 128}",
        _ => $"exit code {exitCode}",
    };

    /// <summary>Waits for the process's last output lines, then closes its log.</summary>
    private static void Stop(Process process, StreamWriter output)
    {
        process.WaitForExit();
        lock (output) output.Dispose();
    }

    private (Process, StreamWriter) Start(ExperimentGraph graph, ExperimentUnit unit, string log)
    {
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in command.Skip(1)) start.ArgumentList.Add(arg);
        foreach (string arg in (string[])["run", Path.Combine(graph.Folder, ExperimentRunner.ConfigFile),
                     "--out", graph.Folder, "--unit", unit.Id, "--device", device])
            start.ArgumentList.Add(arg);
        // Torch and .NET use this unit's share of the CPUs (as a Slurm job uses the CPUs it was given).
        start.Environment["OMP_NUM_THREADS"] = Threads.ToString();
        start.Environment["DOTNET_PROCESSOR_COUNT"] = Threads.ToString();
        var output = new StreamWriter(log, append: false) { AutoFlush = true };
        var process = new Process { StartInfo = start };
        void Write(string? line)
        {
            if (line is null) return;
            lock (output) output.WriteLine(line); // stdout and stderr arrive on two threads
        }
        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return (process, output);
    }

    /// <summary>The log's last non-empty line (a unit's latest progress, or its error).</summary>
    private static string LastLine(string log)
    {
        try
        {
            using var stream = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd().Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.Length > 0)
                   ?? "(no output)";
        }
        catch (IOException) { return "(no log)"; }
    }
}
