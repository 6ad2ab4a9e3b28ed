using System.Text;

namespace WorldModel.Experiments.Slurm;

/// <summary>
/// The batch script of one job, written to RUN/slurm/NAME.sbatch: its resources as #SBATCH lines (so the file
/// can be resubmitted by hand), then `wm run RUN/config.json --out RUN --unit ID` for its one unit (an array task
/// puts its index, the seed, into the id). Dependencies and extra flags go on the sbatch command line.
/// </summary>
public static class SlurmScript
{
    /// <summary>The log of a job: RUN/slurm/logs/NAME.JOB.log (an array task's NAME holds its seed).</summary>
    public static string LogPattern(string runFolder, SlurmJobSpec spec) =>
        Path.Combine(Path.GetFullPath(runFolder), SlurmSubmission.FolderName, "logs",
            spec.IsArray
                ? $"{spec.SeedPrefix!.Replace('/', '_')}%a{spec.SeedSuffix}.%A.log"
                : $"{spec.FileName}.%j.log");

    /// <summary>The log a unit's job writes, once the job id is known.</summary>
    public static string LogOf(string runFolder, SlurmJobSpec spec, string jobId, int? seed) =>
        LogPattern(runFolder, spec).Replace("%a", seed?.ToString() ?? "").Replace("%A", jobId).Replace("%j", jobId);

    public static string Text(SlurmJobSpec spec, string runFolder, string jobName, SlurmOptions options)
    {
        string run = Path.GetFullPath(runFolder);
        var sb = new StringBuilder("#!/bin/bash\n");
        sb.Append($"# {spec.Name} of {run}: written by `wm run --executor slurm` (resubmit with sbatch)\n");
        sb.Append($"#SBATCH --job-name={jobName}\n");
        // '%' starts a Slurm file-name pattern; a literal one in the folder is written "%%".
        sb.Append($"#SBATCH --output={EscapePattern(run, LogPattern(runFolder, spec))}\n");
        sb.Append($"#SBATCH --chdir={options.WorkingDirectory}\n");
        // A job whose input job failed can never start: cancel it rather than leave it pending forever.
        sb.Append("#SBATCH --kill-on-invalid-dep=yes\n");
        if (spec.IsArray) sb.Append($"#SBATCH --array={spec.ArrayIndices}\n");
        if (options.CpusPerUnit is { } cpus) sb.Append($"#SBATCH --cpus-per-task={cpus}\n");
        if (options.GpusPerUnit is { } gpus) sb.Append($"#SBATCH --gres=gpu:{gpus}\n");
        if (options.Partition is { } partition) sb.Append($"#SBATCH --partition={partition}\n");
        if (options.Time is { } time) sb.Append($"#SBATCH --time={time}\n");
        sb.Append("set -eu\n");
        // torch and .NET use the CPUs the job was given, not the whole node's (threads change float rounding:
        // a run's results equal a local run's when both use the same count).
        sb.Append("threads=${SLURM_CPUS_PER_TASK:-${SLURM_CPUS_ON_NODE:-1}}\n");
        sb.Append("export OMP_NUM_THREADS=$threads DOTNET_PROCESSOR_COUNT=$threads\n");
        string unit = spec.IsArray
            ? Quote(spec.SeedPrefix!) + "\"${SLURM_ARRAY_TASK_ID}\"" + (spec.SeedSuffix is { Length: > 0 } suffix
                ? Quote(suffix)
                : "")
            : Quote(spec.Units[0].Id);
        sb.Append($"exec {options.JobCommand} run {Quote(Path.Combine(run, ExperimentRunner.ConfigFile))} " +
            $"--out {Quote(run)} --unit {unit} --device {Quote(options.Device)}\n");
        return sb.ToString();
    }

    /// <summary>A word for bash: single-quoted unless it is plainly safe ('' for an empty word).</summary>
    public static string Quote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '_' or '-' or ':' or '=')
            ? word
            : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static string EscapePattern(string run, string pattern) =>
        run.Replace("%", "%%", StringComparison.Ordinal) + pattern[run.Length..];
}
