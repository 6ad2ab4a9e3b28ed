using WorldModel.Data;

namespace WorldModel.Experiments.Graph;

/// <summary>
/// A unit whose output is a dataset that training units read: generated data, or a collection round's.
/// </summary>
public abstract class DatasetUnit(
    string id,
    string folder,
    IReadOnlyList<ExperimentUnit> dependsOn,
    int? replicaSeed = null)
    : ExperimentUnit(id, folder, dependsOn, replicaSeed)
{
    /// <summary>The finished dataset.</summary>
    public abstract Dataset Open();
}
