namespace WorldModel.Experiments.Slurm;

/// <summary>One unit's line of `wm status`: its state, its job and log if submitted, what it did or why not.</summary>
public sealed record UnitStatus(string Unit, UnitState State, SlurmUnitJob? Job, string Detail)
{
    /// <summary>Failed or cancelled: the run cannot finish until it is submitted again.</summary>
    public bool NeedsRerun => State is UnitState.Failed or UnitState.Cancelled;
}
