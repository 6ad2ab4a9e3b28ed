using static TorchSharp.torch;

namespace WorldModel.Experiments.Graph;

/// <summary>
/// One step of an experiment: its inputs (the units it depends on), the folder it writes, and the
/// content key it is cached by. A unit is finished when its output is complete on disk, so any
/// executor (this process, a later invocation, a cluster job) can skip it or resume it.
/// </summary>
public abstract class ExperimentUnit(
    string id,
    string folder,
    IReadOnlyList<ExperimentUnit> dependsOn,
    int? replicaSeed = null)
{
    /// <summary>
    /// Unique in its graph and usable as a file name: "data", "train/jepa-seed0",
    /// "plan/jepa-latent-seed0-h16".
    /// </summary>
    public string Id { get; } = id;

    /// <summary>The stage it belongs to: data, train, plan, landscape or report.</summary>
    public string Stage => Id.Split('/')[0];

    /// <summary>Where its output goes.</summary>
    public string Folder { get; } = folder;

    public IReadOnlyList<ExperimentUnit> DependsOn { get; } = dependsOn;

    /// <summary>
    /// The training seed this unit is one replica of (a trained model's training and planning), its id naming it
    /// as "-seed{n}"; null for units made once (data, oracles, landscape, report). Units that differ only by it
    /// can run as one cluster array job.
    /// </summary>
    public int? ReplicaSeed { get; } = replicaSeed;

    /// <summary>
    /// True for a unit that runs in every invocation and is never reused (the report: it is cheap and names the
    /// invocation); <see cref="IsFinished"/> is then always false, and its record says it ran.
    /// </summary>
    public virtual bool RunsEveryTime => false;

    /// <summary>
    /// Whether its folder holds its output alone, so that copying the folder copies the unit (`wm run
    /// --reuse-from`); false for one that writes into a folder other units share (the landscape, into plots/).
    /// </summary>
    public virtual bool OwnsFolder => true;

    /// <summary>What it is, for logs and progress: "train jepa seed 0".</summary>
    public abstract string Title { get; }

    /// <summary>The hash of everything its output depends on; recorded with the output.</summary>
    public abstract string Key { get; }

    public abstract bool IsFinished();

    /// <summary>Produces the output (resuming a partial one); returns a one-line summary of what was done.</summary>
    public abstract string Run(UnitContext context);
}

/// <summary>What a running unit may use.</summary>
public sealed record UnitContext(Device Device, IExperimentObserver Observer, CancellationToken Cancel);
