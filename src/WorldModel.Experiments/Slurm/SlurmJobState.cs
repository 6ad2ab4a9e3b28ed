namespace WorldModel.Experiments.Slurm;

/// <summary>
/// What Slurm says of one job or array task: its id ("41", or "41_3" for task 3 of array 41), state
/// (PENDING, RUNNING, COMPLETED, FAILED, CANCELLED, TIMEOUT, …) and the reason squeue gives (Dependency,
/// Resources, DependencyNeverSatisfied, NonZeroExitCode, …).
/// </summary>
public sealed record SlurmJobState(string Id, string State, string Reason)
{
    /// <summary>States a job never leaves; any other (PENDING, RUNNING, COMPLETING, SUSPENDED, …) is active.</summary>
    private static readonly HashSet<string> Ended =
    [
        "COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "OUT_OF_MEMORY", "NODE_FAIL", "BOOT_FAIL", "DEADLINE",
        "PREEMPTED", "REVOKED", "SPECIAL_EXIT",
    ];

    /// <summary>Queued or running: it may still write the run folder.</summary>
    public bool IsActive => !Ended.Contains(State);

    public bool IsPending => State == "PENDING";

    public bool IsCancelled => State == "CANCELLED";
}
