namespace WorldModel.Experiments.Graph;

/// <summary>
/// Runs a graph's units on this machine: in order in this process, or with <paramref name="processes"/> several at
/// once, each in a process of its own. A finished unit is reused, an unfinished one runs (and resumes its own
/// partial output). Each unit's record goes to units/ and a line to log.txt.
/// </summary>
public sealed class LocalExecutor(UnitProcesses? processes = null) : IExperimentExecutor
{
    public void Launch(ExperimentGraph graph, UnitContext context)
    {
        if (processes is not null)
        {
            processes.Launch(graph, context);
            return;
        }
        foreach (var unit in graph.Units)
        {
            context.Cancel.ThrowIfCancellationRequested();
            var record = unit.IsFinished()
                ? UnitExecution.Reuse(graph, unit, context.Observer)
                : UnitExecution.Run(graph, unit, context);
            graph.Done(record);
            context.Observer.UnitDone(record);
        }
    }

    /// <summary>Nothing to wait for: <see cref="Launch"/> ran every unit.</summary>
    public void Wait(UnitContext context) { }
}
