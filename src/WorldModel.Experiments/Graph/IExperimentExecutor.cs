namespace WorldModel.Experiments.Graph;

/// <summary>
/// Runs an experiment's units: in this process (<see cref="LocalExecutor"/>), or on a cluster
/// (<see cref="Slurm.SlurmExecutor"/>), where each job runs one unit by id. Launching happens while the run
/// folder is locked; waiting happens after, so a cluster's jobs can write the folder meanwhile.
/// </summary>
public interface IExperimentExecutor
{
    /// <summary>
    /// Runs the graph's unfinished units here, or hands them to a cluster; called with the run folder locked.
    /// </summary>
    void Launch(ExperimentGraph graph, UnitContext context);

    /// <summary>
    /// Waits until every unit launched so far has finished or failed, and fills each graph's
    /// <see cref="ExperimentGraph.Records"/>; called after the run folders' locks are released. Throws
    /// <see cref="ExperimentFailedException"/> naming the units that failed.
    /// </summary>
    void Wait(UnitContext context);
}
