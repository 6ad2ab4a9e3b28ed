using System.Diagnostics;
using WorldModel.Experiments.Graph;

namespace WorldModel.Experiments.Slurm;

/// <summary>
/// The Slurm commands `wm` uses (sbatch, squeue, scancel), run as programs: what a user would type, so a failure
/// reads as Slurm's own message. States come from squeue, which knows ended jobs for the cluster's MinJobAge
/// (300 s by default) and nothing older; accounting (sacct) is not needed.
/// </summary>
public static class SlurmClient
{
    /// <summary>Submits <paramref name="script"/> with <paramref name="args"/>; returns the job id.</summary>
    public static string Submit(string script, IEnumerable<string> args)
    {
        var (code, output, error) = Exec("sbatch", ["--parsable", .. args, script]);
        // --parsable prints "ID" or "ID;CLUSTER".
        string id = output.Trim().Split(';')[0];
        if (code != 0 || id.Length == 0 || !id.All(char.IsAsciiDigit))
            throw Failed("sbatch", [.. args, script], code, error + output);
        return id;
    }

    /// <summary>
    /// The state of every job and array task of <paramref name="jobIds"/> that Slurm still knows, by id ("41",
    /// "41_3"); ids it has forgotten are absent.
    /// </summary>
    public static IReadOnlyDictionary<string, SlurmJobState> Query(IEnumerable<string> jobIds)
    {
        var ids = jobIds.Select(Master).Distinct().ToList();
        var states = new Dictionary<string, SlurmJobState>();
        if (ids.Count == 0) return states;
        string[] args = ["--noheader", "--array", "--states=all", "--jobs=" + string.Join(',', ids),
            "--format=%i|%T|%r"];
        var (code, output, error) = Exec("squeue", args);
        // squeue fails when it knows none of the ids (all ended long ago): that is an empty answer.
        if (code != 0 && error.Contains("Invalid job id", StringComparison.Ordinal)) return states;
        if (code != 0) throw Failed("squeue", args, code, error + output);
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = line.Split('|');
            if (parts.Length == 3) states[parts[0]] = new SlurmJobState(parts[0], parts[1], parts[2]);
        }
        return states;
    }

    /// <summary>
    /// The state of a unit's job in <paramref name="states"/>: its array task's own, else its array's (squeue lists
    /// an array cancelled before it started under the array's id alone).
    /// </summary>
    public static SlurmJobState? StateOf(IReadOnlyDictionary<string, SlurmJobState> states, SlurmUnitJob job) =>
        states.GetValueOrDefault(job.SlurmId) ?? states.GetValueOrDefault(job.JobId);

    /// <summary>Cancels jobs or array tasks by id ("41", "41_3").</summary>
    public static void Cancel(IEnumerable<string> ids)
    {
        var list = ids.ToList();
        if (list.Count == 0) return;
        var (code, output, error) = Exec("scancel", list);
        if (code != 0) throw Failed("scancel", list, code, error + output);
    }

    /// <summary>The job an id belongs to: "41" for array task "41_3".</summary>
    public static string Master(string id) => id.Split('_')[0];

    private static (int Code, string Output, string Error) Exec(string program, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new InvalidOperationException($"{program} did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new ExperimentFailedException(
                $"{program} could not be started ({e.Message}): --executor slurm needs the Slurm commands on PATH, " +
                "on a cluster's login node; scripts/slurm-cluster.sh start starts a single-node cluster on this " +
                "machine");
        }
        using (process)
        {
            var error = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output, error.Result);
        }
    }

    /// <summary>A Slurm command that failed: the command as typed and what it said.</summary>
    private static ExperimentFailedException Failed(string program, IEnumerable<string> args, int code, string said) =>
        new($"{program} failed (exit {code}): {said.Trim()}\n  command: {program} {string.Join(' ', args)}");
}
