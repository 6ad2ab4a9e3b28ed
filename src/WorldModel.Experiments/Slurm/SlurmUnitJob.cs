using System.Text.Json.Serialization;

namespace WorldModel.Experiments.Slurm;

/// <summary>
/// The Slurm job that runs one unit: job id, array index (the unit's seed, when its seeds run as one array job),
/// the job's log and its batch script.
/// </summary>
public sealed record SlurmUnitJob(string Unit, string JobId, int? ArrayIndex, string Log, string Script)
{
    /// <summary>The id Slurm commands take for this unit alone: "41", or "41_3" for array task 3.</summary>
    [JsonIgnore]
    public string SlurmId => ArrayIndex is { } i ? $"{JobId}_{i}" : JobId;
}
