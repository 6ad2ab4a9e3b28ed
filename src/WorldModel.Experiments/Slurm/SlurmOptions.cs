namespace WorldModel.Experiments.Slurm;

/// <summary>
/// How `wm run --executor slurm` submits a run's units: the resources each job asks for, and the command that
/// starts this same `wm` build inside a job.
/// </summary>
public sealed record SlurmOptions
{
    /// <summary>
    /// A shell command prefix that starts `wm` in a job (quoted as the shell needs): jobs run
    /// <c>COMMAND run RUN/config.json --out RUN --unit ID --device DEVICE</c>.
    /// </summary>
    public required string JobCommand { get; init; }

    /// <summary>The torch device each job asks for: cpu, cuda or auto (`wm run --device`).</summary>
    public string Device { get; init; } = "auto";

    /// <summary>sbatch --partition; null: the cluster's default partition.</summary>
    public string? Partition { get; init; }

    /// <summary>sbatch --time (e.g. 2:00:00); null: the partition's default limit.</summary>
    public string? Time { get; init; }

    /// <summary>
    /// sbatch --cpus-per-task; null: Slurm's default (one). A job's torch uses this many threads, and float
    /// rounding depends on the thread count: results equal a local run's when it equals that run's threads.
    /// </summary>
    public int? CpusPerUnit { get; init; }

    /// <summary>GPUs per job (sbatch --gres=gpu:N); null: none.</summary>
    public int? GpusPerUnit { get; init; }

    /// <summary>Further sbatch flags, given to every submission as they are (e.g. --mem=8G, --qos=long).</summary>
    public IReadOnlyList<string> SbatchArgs { get; init; } = [];

    /// <summary>
    /// The folder jobs start in (sbatch --chdir): the submitting command's, so that relative paths in the config
    /// and the shared data folder (experiments/ at the repository root) resolve alike in every job.
    /// </summary>
    public string WorkingDirectory { get; init; } = Directory.GetCurrentDirectory();

    /// <summary>How often waiting asks Slurm for the jobs' states.</summary>
    public TimeSpan Poll { get; init; } = TimeSpan.FromSeconds(2);
}
