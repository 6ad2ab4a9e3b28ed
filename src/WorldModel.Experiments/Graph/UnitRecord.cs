using System.Text.Json;
using WorldModel.Core.IO;

namespace WorldModel.Experiments.Graph;

/// <summary>
/// A finished unit's entry in the run folder's units/ (one JSON file each): what it did, how long it
/// took and the key its output was made with. The report's stage table and `wm status` read these.
/// </summary>
public sealed record UnitRecord(
    string Id,
    string Stage,
    string Key,
    string Summary,
    double Seconds,
    DateTime FinishedUtc,
    bool Reused)
{
    public const string FolderName = "units";

    public static string PathOf(string runFolder, string id) =>
        Path.Combine(runFolder, FolderName, id.Replace('/', '_') + ".json");

    public void Save(string runFolder)
    {
        string path = PathOf(runFolder, Id);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this with { Reused = false }, Json));
    }

    /// <summary>The record a finished unit left, or null (none yet, or one from an older build).</summary>
    public static UnitRecord? Load(string runFolder, string id)
    {
        string path = PathOf(runFolder, id);
        if (!File.Exists(path)) return null;
        try { return JsonSerializer.Deserialize<UnitRecord>(File.ReadAllText(path), Json); }
        catch (JsonException) { return null; }
    }

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase
    };
}
