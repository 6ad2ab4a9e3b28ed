using System.Text.Json;
using System.Text.Json.Nodes;
using WorldModel.Core.Config;
using WorldModel.Core.IO;
using WorldModel.Render;
using WorldModel.Sim;
using WorldModel.Sim.Policies;
using WorldModel.Sim.Worlds;

namespace WorldModel.Data;

/// <summary>
/// Generates a dataset folder chunk by chunk, in parallel over cores. Every episode's randomness
/// derives from (seed, episode index), so the content does not depend on chunking or thread count.
/// Chunks are written atomically; a rerun with the same config skips chunks that verify, so an
/// interrupted generation resumes where it stopped.
/// </summary>
public sealed class DatasetGenerator(DataConfig config, IRenderer? frameRenderer = null)
{
    public sealed record Result(string Folder, int ChunksWritten, int ChunksReused, bool AlreadyComplete);

    /// <summary>
    /// Bump when a change to worlds, policies or this generator changes what a config produces:
    /// it is part of the content hash, so cached datasets of older code are not reused.
    /// 2 (2026-12-03): point agents' contact rules (two-rooms contactRule; slide became the default).
    /// </summary>
    public const int Version = 2;

    public static string ChunkName(int index) => $"chunk-{index:D5}.bin";

    /// <summary>Names what a config generates: the config's canonical JSON and the generator version.</summary>
    public static string ContentHash(DataConfig config) => ConfigLoader.Hash(config, $"generator-v{Version}");

    /// <summary>
    /// Generates into <paramref name="folder"/>; reports finished episodes through <paramref name="progress"/>.
    /// </summary>
    public Result Generate(string folder, IProgress<int>? progress = null, CancellationToken cancel = default)
    {
        if (config.CacheFrames && frameRenderer is null)
            throw new InvalidOperationException("cacheFrames needs a renderer: construct the generator with one");
        string hash = ContentHash(config);
        Directory.CreateDirectory(folder);
        string manifestPath = Path.Combine(folder, DatasetManifest.FileName);
        string pendingPath = Path.Combine(folder, DatasetManifest.PendingFileName);

        if (File.Exists(manifestPath))
        {
            DatasetManifest? existing = null;
            try { existing = DatasetManifest.Load(manifestPath); }
            catch (DatasetCorruptException) { } // rewritten below; chunks are checked one by one
            if (existing is not null && existing.ContentHash != hash)
                throw Conflict(folder, existing.ContentHash, hash);
            if (existing is not null && AllChunksValid(folder, existing))
            {
                progress?.Report(config.Episodes);
                return new Result(folder, 0, existing.Chunks.Length, AlreadyComplete: true);
            }
            File.Delete(manifestPath); // incomplete again until the bad chunks are rewritten
        }
        else if (File.Exists(pendingPath))
        {
            string? pending = null;
            try { pending = JsonNode.Parse(File.ReadAllText(pendingPath))?["contentHash"]?.GetValue<string>(); }
            catch (JsonException) { }
            if (pending != hash) throw Conflict(folder, pending ?? "unreadable", hash);
        }
        // Atomic writes' temporary files do not count: another process generating the same dataset into this
        // shared folder may be writing its pending file right now.
        else if (Directory.EnumerateFileSystemEntries(folder).Any(e => !AtomicFile.IsTemporary(e)))
        {
            throw new IOException($"{folder} is not empty and holds no dataset; choose an empty or new --out folder");
        }
        AtomicFile.RemoveAbandoned(folder); // chunks whose writer was killed before the rename
        AtomicFile.WriteAllText(pendingPath,
            new JsonObject { ["contentHash"] = hash, ["config"] = ConfigBinder.Unbind(config) }.ToJsonString());

        var spec = config.World.Spec;
        var entries = new DatasetManifest.ChunkEntry[config.Chunks];
        int written = 0, reused = 0, done = 0;
        var options = new ParallelOptions
        {
            MaxDegreeOfParallelism = Environment.ProcessorCount,
            CancellationToken = cancel
        };
        Parallel.For(0, config.Chunks, options, c =>
        {
            int first = c * config.ChunkEpisodes, count = Math.Min(config.ChunkEpisodes, config.Episodes - first);
            string path = Path.Combine(folder, ChunkName(c));
            DatasetManifest.ChunkEntry entry;
            if (TryReuse(path, count, out var reusedEntry))
            {
                entry = reusedEntry! with { FirstEpisode = first };
                Interlocked.Increment(ref reused);
            }
            else
            {
                var chunk = GenerateChunk(first, count, spec);
                var (bytes, sha) = chunk.Write(path);
                entry = new DatasetManifest.ChunkEntry(ChunkName(c), first, count, bytes, sha);
                Interlocked.Increment(ref written);
            }
            entries[c] = entry;
            progress?.Report(Interlocked.Add(ref done, count));
        });

        var manifest = new DatasetManifest
        {
            ContentHash = hash,
            Config = ConfigBinder.Unbind(config),
            Episodes = config.Episodes,
            Steps = config.Steps,
            Transitions = config.Transitions,
            StateNames = spec.StateNames,
            ActionNames = spec.ActionNames,
            LayoutNames = spec.LayoutNames,
            FrameBytes = config.CacheFrames ? frameRenderer!.Format.BytesPerFrame : 0,
            Chunks = entries,
            CreatedUtc = DateTime.UtcNow.ToString("O"),
            Generator = $"WorldModel dataset generator v{Version}",
        };
        manifest.Save(manifestPath);
        File.Delete(pendingPath);
        return new Result(folder, written, reused, AlreadyComplete: false);
    }

    private static IOException Conflict(string folder, string found, string wanted) =>
        new($"{folder} holds a dataset of another config (hash {found}; this config is {wanted}); " +
            "choose another --out folder, or delete that one");

    private static bool AllChunksValid(string folder, DatasetManifest manifest)
    {
        try
        {
            foreach (var entry in manifest.Chunks)
                if (ChunkFile.Read(Path.Combine(folder, entry.File), entry.Sha256).ContentHash
                    != entry.ExpectedHash(manifest.ContentHash))
                    return false;
            return true;
        }
        catch (DatasetCorruptException)
        {
            return false;
        }
    }

    /// <summary>A chunk left by an earlier run is kept when it verifies and belongs to this config.</summary>
    private bool TryReuse(string path, int count, out DatasetManifest.ChunkEntry? entry)
    {
        entry = null;
        if (!File.Exists(path)) return false;
        try
        {
            var chunk = ChunkFile.Read(path);
            if (chunk.ContentHash != ContentHash(config) || chunk.Episodes != count || chunk.Steps != config.Steps)
                return false;
            entry = new DatasetManifest.ChunkEntry(Path.GetFileName(path), 0, count, chunk.Bytes, chunk.Sha256);
            return true;
        }
        catch (DatasetCorruptException)
        {
            return false; // rewritten below
        }
    }

    /// <summary>Rolls out episodes [first, first + count) with the configured policy.</summary>
    public ChunkFile GenerateChunk(int first, int count, WorldSpec spec)
    {
        var world = config.World.CreateBatch(count);
        var policy = config.Policy.Create(world);
        var seeds = new ulong[count];
        for (int i = 0; i < count; i++) seeds[i] = Rng.Derive((ulong)config.Seed, (ulong)(first + i));
        world.Reset(seeds);
        policy.Reset(seeds);

        int T = config.Steps, sd = spec.StateDim, ad = spec.ActionDim;
        var states = new float[(long)count * (T + 1) * sd];
        var actions = new float[(long)count * T * ad];
        var layouts = new float[count * spec.LayoutDim];
        world.CopyLayout(layouts);
        var stepState = new float[count * sd];
        var stepAction = new float[count * ad];
        world.CopyState(stepState);
        Scatter(stepState, states, 0, T + 1, sd, count);
        for (int t = 0; t < T; t++)
        {
            policy.Act(stepAction);
            world.Step(stepAction); // clips in place: we store what was applied
            world.CopyState(stepState);
            Scatter(stepAction, actions, t, T, ad, count);
            Scatter(stepState, states, t + 1, T + 1, sd, count);
        }

        byte[] frames = [];
        if (config.CacheFrames)
        {
            var renderer = frameRenderer!;
            var builder = new SceneBuilder(config.World, config.Render);
            int perEpisode = T + 1;
            var scenes = new SceneBatch(count * perEpisode);
            var repeatedLayouts = new float[count * perEpisode * spec.LayoutDim];
            for (int e = 0; e < count; e++)
                for (int t = 0; t < perEpisode; t++)
                    layouts.AsSpan(e * spec.LayoutDim, spec.LayoutDim)
                        .CopyTo(repeatedLayouts.AsSpan((e * perEpisode + t) * spec.LayoutDim));
            builder.BuildAll(scenes, states, repeatedLayouts);
            frames = new byte[(long)scenes.Count * renderer.Format.BytesPerFrame];
            renderer.Render(scenes, frames);
        }

        return new ChunkFile
        {
            ContentHash = ContentHash(config),
            Episodes = count, Steps = T, StateDim = sd, ActionDim = ad, LayoutDim = spec.LayoutDim,
            FrameBytes = config.CacheFrames ? frameRenderer!.Format.BytesPerFrame : 0,
            States = states, Actions = actions, Layouts = layouts, Frames = frames,
        };
    }

    /// <summary>Copies one time step of every world (count × dim) into episode-major storage.</summary>
    private static void Scatter(float[] step, float[] dst, int t, int perEpisode, int dim, int count)
    {
        for (int e = 0; e < count; e++)
            step.AsSpan(e * dim, dim).CopyTo(dst.AsSpan(checked((e * perEpisode + t) * dim), dim));
    }
}
