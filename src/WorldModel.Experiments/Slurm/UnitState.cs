namespace WorldModel.Experiments.Slurm;

/// <summary>Where a unit of a run stands (`wm status`).</summary>
public enum UnitState
{
    /// <summary>Its output is complete (this run made it, or another run made the shared data).</summary>
    Finished,

    /// <summary>Queued on Slurm (waiting for its inputs' jobs, or for resources).</summary>
    Pending,

    Running,

    /// <summary>Its job ended without finishing it (failed, timed out, killed, or no longer known).</summary>
    Failed,

    /// <summary>Its job was cancelled (by `wm cancel`, scancel, or because a job it waited for failed).</summary>
    Cancelled,

    /// <summary>Not finished, and no job of the latest submission runs it.</summary>
    NotStarted,
}
