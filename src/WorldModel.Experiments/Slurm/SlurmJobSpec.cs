using WorldModel.Experiments.Graph;

namespace WorldModel.Experiments.Slurm;

/// <summary>
/// One sbatch submission: a single unit, or units that differ only by their seed as one array job whose task
/// index is the seed (task 3 runs "train/jepa-seed3"). An array's id is written with the seed between
/// <see cref="SeedPrefix"/> and <see cref="SeedSuffix"/>.
/// </summary>
public sealed record SlurmJobSpec(IReadOnlyList<ExperimentUnit> Units, string? SeedPrefix, string? SeedSuffix)
{
    public bool IsArray => SeedPrefix is not null;

    /// <summary>For messages: "train/jepa-seed{0,1,2}", or the single unit's id.</summary>
    public string Name => IsArray
        ? $"{SeedPrefix}{{{string.Join(',', Units.Select(u => u.ReplicaSeed))}}}{SeedSuffix}"
        : Units[0].Id;

    /// <summary>A file name for its script and logs: "train_jepa-seedN", or the unit id with '/' as '_'.</summary>
    public string FileName => (IsArray ? SeedPrefix + "N" + SeedSuffix : Units[0].Id).Replace('/', '_');

    /// <summary>sbatch --array: the seeds ("0,1,2").</summary>
    public string ArrayIndices => string.Join(',', Units.Select(u => u.ReplicaSeed));
}
