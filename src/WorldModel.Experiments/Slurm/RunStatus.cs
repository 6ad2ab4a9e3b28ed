using WorldModel.Experiments.Graph;

namespace WorldModel.Experiments.Slurm;

/// <summary>
/// `wm status RUN` and `wm cancel RUN`: each unit's state from the run folder (units/*.json, the outputs) and, for
/// units of the latest Slurm submission, from squeue.
/// </summary>
public static class RunStatus
{
    /// <summary>Every unit of <paramref name="graph"/>, in order.</summary>
    public static IReadOnlyList<UnitStatus> Of(ExperimentGraph graph)
    {
        var submission = SlurmSubmission.Load(graph.Folder);
        var states = submission is null
            ? new Dictionary<string, SlurmJobState>()
            : SlurmClient.Query(submission.Units.Select(u => u.JobId));
        return [.. graph.Units.Select(unit => Of(graph, unit, submission?[unit.Id], states))];
    }

    private static UnitStatus Of(ExperimentGraph graph, ExperimentUnit unit, SlurmUnitJob? job,
        IReadOnlyDictionary<string, SlurmJobState> states)
    {
        var record = UnitRecord.Load(graph.Folder, unit.Id);
        var state = job is null ? null : SlurmClient.StateOf(states, job);
        // The report is remade by every invocation: its record says it was made (a submission deletes the records
        // of the units it submits).
        bool finished = unit.RunsEveryTime ? record is not null && state is not { IsActive: true } : unit.IsFinished();
        if (finished)
            return new UnitStatus(unit.Id, UnitState.Finished, job,
                record is null ? "made by another run" : $"{record.Summary} ({record.Seconds:F0} s)");
        if (job is null) return new UnitStatus(unit.Id, UnitState.NotStarted, null, "not submitted");
        return state switch
        {
            { IsPending: true } => new UnitStatus(unit.Id, UnitState.Pending, job, $"waiting: {state.Reason}"),
            { IsActive: true } => new UnitStatus(unit.Id, UnitState.Running, job, state.State.ToLowerInvariant()),
            { IsCancelled: true } => new UnitStatus(unit.Id, UnitState.Cancelled, job, SlurmExecutor.Describe(state)),
            _ => new UnitStatus(unit.Id, UnitState.Failed, job, SlurmExecutor.Describe(state)),
        };
    }

    /// <summary>Cancels each job of the run's latest submission still queued or running; returns them.</summary>
    public static IReadOnlyList<SlurmUnitJob> Cancel(string runFolder)
    {
        if (SlurmSubmission.Load(runFolder) is not { } submission) return [];
        var states = SlurmClient.Query(submission.Units.Select(u => u.JobId));
        var active = submission.Units.Where(u => SlurmClient.StateOf(states, u) is { IsActive: true })
            .DistinctBy(u => u.SlurmId).ToList();
        SlurmClient.Cancel(active.Select(u => u.SlurmId));
        return active;
    }
}
