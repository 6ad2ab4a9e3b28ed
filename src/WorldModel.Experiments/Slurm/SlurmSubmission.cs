using System.Text.Json;
using WorldModel.Core.IO;

namespace WorldModel.Experiments.Slurm;

/// <summary>
/// RUN/slurm/jobs.json: the jobs of a run's latest submission, one entry per unit (unit id → job id, array
/// index, log), for `wm status`, `wm cancel` and the waiting submitter. A submission that submits nothing
/// leaves the earlier file.
/// </summary>
public sealed record SlurmSubmission(DateTime SubmittedUtc, IReadOnlyList<SlurmUnitJob> Units)
{
    /// <summary>The run's subfolder for Slurm: jobs.json, batch scripts and logs/.</summary>
    public const string FolderName = "slurm";

    public const string FileName = "jobs.json";

    public static string PathOf(string runFolder) => Path.Combine(runFolder, FolderName, FileName);

    public SlurmUnitJob? this[string unitId] => Units.FirstOrDefault(u => u.Unit == unitId);

    public void Save(string runFolder) =>
        AtomicFile.WriteAllText(PathOf(runFolder), JsonSerializer.Serialize(this, Json));

    /// <summary>The run's latest submission, or null when it was never submitted to Slurm.</summary>
    public static SlurmSubmission? Load(string runFolder)
    {
        string path = PathOf(runFolder);
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<SlurmSubmission>(File.ReadAllText(path), Json)
                ?? throw new InvalidDataException($"{path} holds JSON null; expected the run's Slurm jobs");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a Slurm jobs file ({e.Message}); " +
                "delete it if no job of this run is queued or running");
        }
    }

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    };
}
