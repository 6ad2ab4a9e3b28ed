using static TorchSharp.torch;

namespace WorldModel.Experiments.Graph;

/// <summary>
/// One step of an experiment: its inputs (the units it depends on), the folder it writes, and the
/// content key it is cached by. A unit is finished when its output is complete on disk, so any
/// executor (this process, a later invocation, a cluster job) can skip it or resume it.
/// </summary>
public abstract class ExperimentUnit(string id, string folder, IReadOnlyList<ExperimentUnit> dependsOn)
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
