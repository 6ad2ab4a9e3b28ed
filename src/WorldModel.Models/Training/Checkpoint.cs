using WorldModel.Core.Config;
using System.Security.Cryptography;
using System.Text.Json;
using TorchSharp;
using WorldModel.Core.IO;

namespace WorldModel.Models.Training;

/// <summary>
/// Thrown when a checkpoint is missing, truncated, corrupted or from another config; names the file.
/// </summary>
public sealed class CheckpointException(string message) : Exception(message);

/// <summary>
/// A checkpoint folder: model weights, optimiser state, and meta.json (step, content hash of the run's
/// config, torch RNG state, SHA-256 of each file). Written into a temporary folder that is renamed
/// when complete, so a checkpoint is either whole or absent.
/// </summary>
public static class Checkpoint
{
    public const string ModelFile = "model.bin", OptimizerFile = "optimizer.bin", RngFile = "rng.bin",
        MetaFile = "meta.json";

    /// <param name="Config">
    /// The run's canonical config when the checkpoint was written (absent in older checkpoints): names what changed
    /// since.
    /// </param>
    public sealed record Meta(
        int FormatVersion,
        int Step,
        string ContentHash,
        Dictionary<string, string> Sha256,
        string? Config = null);

    /// <summary>
    /// What a checkpoint is bound to: its run's config. <paramref name="Hash"/> is of the canonical text
    /// (parsed and re-written: whitespace, comments and a trailing newline do not count);
    /// <paramref name="LegacyHash"/> of the file's bytes, which checkpoints of earlier builds hold.
    /// </summary>
    public sealed record RunIdentity(string Hash, string LegacyHash, string CanonicalConfig)
    {
        /// <summary>An identity from a bare hash (tests, callers that have no config file).</summary>
        public static implicit operator RunIdentity(string hash) => new(hash, hash, "");
    }

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase
    };

    public static string FolderName(int step) => $"step-{step:D7}";

    /// <summary>
    /// Saves after <paramref name="step"/> steps into <paramref name="folder"/> (replaced if present).
    /// </summary>
    public static void Save(
        string folder,
        int step,
        RunIdentity run,
        LatentWorldModel model,
        TorchSharp.Modules.OptimizerHelper optimizer)
    {
        var full = Path.GetFullPath(folder);
        var tmp = full + $".{Environment.ProcessId}.tmp";
        if (Directory.Exists(tmp)) Directory.Delete(tmp, true);
        Directory.CreateDirectory(tmp);
        model.save(Path.Combine(tmp, ModelFile));
        FaultPoint.Reach("checkpoint");
        optimizer.save_state_dict(Path.Combine(tmp, OptimizerFile));
        using (var rng = torch.get_rng_state()) rng.save(Path.Combine(tmp, RngFile));
        var hashes = new[] { ModelFile, OptimizerFile, RngFile }.ToDictionary(f => f, f => Sha(Path.Combine(tmp, f)));
        AtomicFile.WriteAllText(
            Path.Combine(tmp, MetaFile),
            JsonSerializer.Serialize(
                new Meta(
                    FormatVersion: 1,
                    Step: step,
                    ContentHash: run.Hash,
                    Sha256: hashes,
                    Config: run.CanonicalConfig.Length > 0 ? run.CanonicalConfig : null),
                Json));
        if (Directory.Exists(full)) Directory.Delete(full, true);
        Directory.Move(tmp, full);
    }

    /// <summary>
    /// Verifies and loads a checkpoint into <paramref name="model"/> and <paramref name="optimizer"/>; returns its
    /// step.
    /// </summary>
    public static int Load(
        string folder,
        RunIdentity run,
        LatentWorldModel model,
        TorchSharp.Modules.OptimizerHelper? optimizer)
    {
        var meta = Verify(folder);
        if (meta.ContentHash != run.Hash && meta.ContentHash != run.LegacyHash)
        {
            string changed = meta.Config is { } then && run.CanonicalConfig.Length > 0
                ? "; config.json changed since it was written: " + ConfigDiff.Describe(then, run.CanonicalConfig)
                : $" (hash {meta.ContentHash}, this run's config.json is {run.Hash})";
            throw new CheckpointException(
                $"{folder} was written by a run of another config{changed}; " +
                $"put config.json back as it was, or start a new run");
        }
        model.load(Path.Combine(folder, ModelFile));
        optimizer?.load_state_dict(Path.Combine(folder, OptimizerFile));
        using (var rng = torch.Tensor.load(Path.Combine(folder, RngFile))) torch.set_rng_state(rng);
        return meta.Step;
    }

    /// <summary>Checks that every file is present and matches its checksum.</summary>
    public static Meta Verify(string folder)
    {
        string metaPath = Path.Combine(folder, MetaFile);
        if (!File.Exists(metaPath))
            throw new CheckpointException($"{metaPath} is missing: '{folder}' is not a complete checkpoint");
        Meta? meta;
        try { meta = JsonSerializer.Deserialize<Meta>(File.ReadAllText(metaPath), Json); }
        catch (JsonException e) { throw new CheckpointException($"{metaPath} is corrupted ({e.Message})"); }
        if (meta is null || meta.FormatVersion != 1)
            throw new CheckpointException($"{metaPath} is not a checkpoint this build reads");
        foreach (var (file, sha) in meta.Sha256)
        {
            string path = Path.Combine(folder, file);
            if (!File.Exists(path)) throw new CheckpointException($"{path} is missing from the checkpoint");
            if (Sha(path) != sha)
                throw new CheckpointException(
                    $"{path} failed its checksum: the checkpoint is corrupted; resume from an earlier one");
        }
        return meta;
    }

    private static string Sha(string path)
    {
        using var s = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(s));
    }
}
