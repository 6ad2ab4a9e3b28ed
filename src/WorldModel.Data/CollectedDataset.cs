using WorldModel.Core.Config;
using WorldModel.Core.IO;

namespace WorldModel.Data;

/// <summary>
/// A dataset grown round by round (active data collection): the previous round's chunks, copied as they are,
/// then this round's new one. Each chunk keeps the content hash of the round that made it, so a chunk from
/// another collection is still refused; the manifest is written last, so a killed round leaves no dataset.
/// </summary>
public static class CollectedDataset
{
    /// <summary>
    /// Writes <paramref name="folder"/>: <paramref name="previous"/>'s chunks (none for a first round) and
    /// <paramref name="added"/>, under the manifest hash <paramref name="hash"/> (this round's key).
    /// <paramref name="config"/> describes the whole dataset (its episode count is the total).
    /// </summary>
    public static Dataset Write(
        string folder,
        DataConfig config,
        Dataset? previous,
        ChunkFile added,
        string hash,
        string generator)
    {
        Directory.CreateDirectory(folder);
        AtomicFile.RemoveAbandoned(folder);
        var entries = new List<DatasetManifest.ChunkEntry>();
        int episodes = 0;
        foreach (var entry in previous?.Manifest.Chunks ?? [])
        {
            string name = DatasetGenerator.ChunkName(entries.Count);
            string target = Path.Combine(folder, name);
            // A copy left by a killed earlier attempt is reused only when it verifies.
            if (!File.Exists(target) || ShaOf(target) != entry.Sha256)
                AtomicFile.WriteAllBytes(target, File.ReadAllBytes(Path.Combine(previous!.Folder, entry.File)));
            entries.Add(entry with
            {
                File = name,
                FirstEpisode = episodes,
                ContentHash = entry.ExpectedHash(previous!.Manifest.ContentHash),
            });
            episodes += entry.Episodes;
        }
        if (added.Steps != (previous?.Steps ?? added.Steps))
            throw new ArgumentException(
                $"a round's episodes have {added.Steps} steps, the dataset's {previous!.Steps}");
        string addedName = DatasetGenerator.ChunkName(entries.Count);
        var (bytes, sha) = added.Write(Path.Combine(folder, addedName));
        entries.Add(new DatasetManifest.ChunkEntry(addedName, episodes, added.Episodes, bytes, sha,
            added.ContentHash == hash ? null : added.ContentHash));
        episodes += added.Episodes;

        var spec = config.World.Spec;
        var whole = config with { Episodes = episodes, Steps = added.Steps };
        new DatasetManifest
        {
            ContentHash = hash,
            Config = ConfigBinder.Unbind(whole),
            Episodes = episodes,
            Steps = added.Steps,
            Transitions = whole.Transitions,
            StateNames = spec.StateNames,
            ActionNames = spec.ActionNames,
            LayoutNames = spec.LayoutNames,
            FrameBytes = added.FrameBytes,
            Chunks = entries.ToArray(),
            CreatedUtc = DateTime.UtcNow.ToString("O"),
            Generator = generator,
        }.Save(Path.Combine(folder, DatasetManifest.FileName));
        return Dataset.Open(folder);
    }

    private static string ShaOf(string path)
    {
        try { return ChunkFile.Read(path).Sha256; }
        catch (DatasetCorruptException) { return ""; }
    }
}
