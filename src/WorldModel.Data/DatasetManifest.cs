using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Nodes;
using WorldModel.Core.IO;

namespace WorldModel.Data;

/// <summary>dataset.json: what a dataset folder holds. Written last, so its presence means "complete".</summary>
public sealed record DatasetManifest
{
    public const string FileName = "dataset.json";
    public const string PendingFileName = "generation.json";
    public const int CurrentFormatVersion = 2;

    public int FormatVersion { get; init; } = CurrentFormatVersion;
    /// <summary>Hash of the resolved config and the generator version: same hash, same data.</summary>
    public string ContentHash { get; init; } = "";
    public JsonNode? Config { get; init; }
    public int Episodes { get; init; }
    public int Steps { get; init; }
    public long Transitions { get; init; }
    public string[] StateNames { get; init; } = [];
    public string[] ActionNames { get; init; } = [];
    public string[] LayoutNames { get; init; } = [];
    public int FrameBytes { get; init; }
    public ChunkEntry[] Chunks { get; init; } = [];
    public string CreatedUtc { get; init; } = "";
    public string Generator { get; init; } = "";
    /// <summary>
    /// SHA-256 of this file as written with this field null: a changed or damaged dataset.json (a flipped
    /// bit in a name or a count) is refused instead of read. Files written before it existed have none.
    /// </summary>
    public string? Sha256 { get; init; }

    /// <param name="ContentHash">
    /// The content hash the chunk carries when it is not the manifest's: a collected dataset holds chunks made by
    /// several rounds (absent, the usual case, it is the manifest's).
    /// </param>
    public sealed record ChunkEntry(
        string File,
        int FirstEpisode,
        int Episodes,
        long Bytes,
        string Sha256,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ContentHash = null)
    {
        /// <summary>
        /// The content hash its chunk must carry in a dataset whose manifest hash is <paramref name="manifest"/>.
        /// </summary>
        public string ExpectedHash(string manifest) => ContentHash ?? manifest;
    }

    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase
    };

    public void Save(string path) =>
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this with { Sha256 = SelfHash() }, Options));

    private string SelfHash() => AtomicFile.Sha256(
        System.Text.Encoding.UTF8.GetBytes(JsonSerializer.Serialize(this with { Sha256 = null }, Options)));

    public static DatasetManifest Load(string path)
    {
        if (!File.Exists(path))
            throw new DatasetCorruptException(
                $"{path} is missing: the folder is not a complete dataset (an interrupted 'wm data generate' " +
                "resumes when run again with the same config and --out)");
        DatasetManifest? m;
        try { m = JsonSerializer.Deserialize<DatasetManifest>(File.ReadAllText(path), Options); }
        catch (JsonException e)
        {
            throw new DatasetCorruptException($"{path} is corrupted ({e.Message}); regenerate the dataset");
        }
        if (m is null) throw new DatasetCorruptException($"{path} is empty; regenerate the dataset");
        if (m.Sha256 is { } recorded && recorded != m.SelfHash())
            throw new DatasetCorruptException(
                $"{path} does not match its own checksum (the file was changed or damaged); regenerate the dataset");
        if (m.FormatVersion != CurrentFormatVersion)
            throw new DatasetCorruptException($"{path} has format version {m.FormatVersion}; " +
                $"this build reads version {CurrentFormatVersion}; regenerate the dataset");
        return m;
    }
}
