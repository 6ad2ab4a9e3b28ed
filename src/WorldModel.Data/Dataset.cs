using WorldModel.Core.Config;
using WorldModel.Sim.Worlds;

namespace WorldModel.Data;

/// <summary>
/// A dataset read into memory (states, actions and layouts are small: 3M Two-Rooms transitions
/// take ~50 MB). Every chunk is verified against its checksum before any of it is used.
/// </summary>
public sealed class Dataset
{
    private Dataset(
        string folder,
        DatasetManifest manifest,
        DataConfig config,
        float[] states,
        float[] actions,
        float[] layouts,
        byte[] frames)
    {
        Folder = folder;
        Manifest = manifest;
        Config = config;
        States = states;
        Actions = actions;
        Layouts = layouts;
        Frames = frames;
        Spec = config.World.Spec;
    }

    public string Folder { get; }
    public DatasetManifest Manifest { get; }
    public DataConfig Config { get; }
    public WorldSpec Spec { get; }
    public int Episodes => Manifest.Episodes;
    public int Steps => Manifest.Steps;
    /// <summary>Episodes × (Steps + 1) × StateDim.</summary>
    public float[] States { get; }
    /// <summary>Episodes × Steps × ActionDim.</summary>
    public float[] Actions { get; }
    /// <summary>Episodes × LayoutDim.</summary>
    public float[] Layouts { get; }
    /// <summary>Cached frames (Episodes × (Steps + 1) × FrameBytes) or empty.</summary>
    public byte[] Frames { get; }

    public ReadOnlySpan<float> State(int episode, int t) =>
        States.AsSpan((episode * (Steps + 1) + t) * Spec.StateDim, Spec.StateDim);
    public ReadOnlySpan<float> Action(int episode, int t) =>
        Actions.AsSpan((episode * Steps + t) * Spec.ActionDim, Spec.ActionDim);
    public ReadOnlySpan<float> Layout(int episode) => Layouts.AsSpan(episode * Spec.LayoutDim, Spec.LayoutDim);

    /// <summary>
    /// <paramref name="count"/> states drawn uniformly over episodes and time steps from the random stream
    /// <paramref name="rng"/>, with their episodes' layouts: (count × StateDim, count × LayoutDim).
    /// </summary>
    public (float[] States, float[] Layouts) DrawStates(int count, ulong rng)
    {
        int sd = Spec.StateDim, ld = Spec.LayoutDim;
        var states = new float[count * sd];
        var layouts = new float[count * ld];
        for (int i = 0; i < count; i++)
        {
            int e = (int)(Sim.Rng.Next(ref rng) % (ulong)Episodes);
            int t = (int)(Sim.Rng.Next(ref rng) % (ulong)(Steps + 1));
            State(e, t).CopyTo(states.AsSpan(i * sd, sd));
            Layout(e).CopyTo(layouts.AsSpan(i * ld, ld));
        }
        return (states, layouts);
    }

    public static Dataset Open(string folder)
    {
        if (!Directory.Exists(folder)) throw new DatasetCorruptException($"no dataset folder at '{folder}'");
        var manifest = DatasetManifest.Load(Path.Combine(folder, DatasetManifest.FileName));
        DataConfig config;
        try { config = ConfigBinder.Bind<DataConfig>(manifest.Config, Path.Combine(folder, DatasetManifest.FileName)); }
        catch (ConfigException e)
        {
            throw new DatasetCorruptException($"{folder}: the stored config does not load in this build: {e.Message}");
        }

        var spec = config.World.Spec;
        int e0 = manifest.Episodes, T = manifest.Steps;
        var states = new float[(long)e0 * (T + 1) * spec.StateDim];
        var actions = new float[(long)e0 * T * spec.ActionDim];
        var layouts = new float[e0 * spec.LayoutDim];
        var frames = new byte[(long)e0 * (T + 1) * manifest.FrameBytes];
        int covered = 0;
        foreach (var entry in manifest.Chunks)
        {
            var chunk = ChunkFile.Read(Path.Combine(folder, entry.File), entry.Sha256);
            if (chunk.ContentHash != entry.ExpectedHash(manifest.ContentHash))
                throw new DatasetCorruptException(
                    $"{entry.File} belongs to another dataset (hash {chunk.ContentHash}, " +
                    $"this one is {entry.ExpectedHash(manifest.ContentHash)}); " +
                    "delete it and run the command that made the dataset again to rewrite it");
            if (chunk.Episodes != entry.Episodes || chunk.Steps != T || chunk.StateDim != spec.StateDim)
                throw new DatasetCorruptException($"{entry.File} does not match {DatasetManifest.FileName} " +
                    $"(episodes {chunk.Episodes} vs {entry.Episodes}, steps {chunk.Steps} vs {T})");
            int f = entry.FirstEpisode;
            chunk.States.CopyTo(states, (long)f * (T + 1) * spec.StateDim);
            chunk.Actions.CopyTo(actions, (long)f * T * spec.ActionDim);
            chunk.Layouts.CopyTo(layouts, (long)f * spec.LayoutDim);
            if (manifest.FrameBytes > 0) chunk.Frames.CopyTo(frames, (long)f * (T + 1) * manifest.FrameBytes);
            covered += entry.Episodes;
        }
        if (covered != e0)
            throw new DatasetCorruptException($"{folder}: chunks hold {covered} episodes, the manifest says {e0}");
        return new Dataset(folder, manifest, config, states, actions, layouts, frames);
    }
}
