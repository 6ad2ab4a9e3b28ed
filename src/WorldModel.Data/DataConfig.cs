using WorldModel.Core.Config;
using WorldModel.Render;
using WorldModel.Sim.Policies;
using WorldModel.Sim.Worlds;

namespace WorldModel.Data;

/// <summary>An offline dataset: which world, which policy, how many episodes of how many steps.</summary>
[ConfigFileKind("data")]
public sealed record DataConfig : IValidatable
{
    /// <summary>Names the default output folder: experiments/&lt;name&gt;/data-&lt;hash&gt;.</summary>
    public string Name { get; init; } = "dataset";
    [Range(0, long.MaxValue)] public long Seed { get; init; } = 0;
    [Range(1, 100_000_000)] public int Episodes { get; init; } = 1000;
    /// <summary>Actions per episode; an episode holds Steps + 1 states.</summary>
    [Range(1, 10_000)] public int Steps { get; init; } = 16;
    /// <summary>Episodes per chunk file: the unit of parallel work, checksumming and resuming.</summary>
    [Range(1, 1_000_000)] public int ChunkEpisodes { get; init; } = 4096;
    public WorldConfig World { get; init; } = WorldConfig.Default();
    public PolicyConfig Policy { get; init; } = PolicyConfig.Default();
    public RenderConfig Render { get; init; } = new();
    /// <summary>
    /// Also store rendered frames (by default frames are rendered on the fly when batches are drawn, as PLDM does).
    /// </summary>
    public bool CacheFrames { get; init; }

    public IEnumerable<ConfigError> Validate()
    {
        if (Name.Length == 0 || Name.IndexOfAny(['/', '\\', ' ']) >= 0 || Name.StartsWith('.'))
            yield return new("name",
                $"\"{Name}\" is not allowed; use letters, digits, '-' and '_' (it names a folder)");
        string world = World.Spec.Kind;
        if (!Policy.Worlds.Contains(world))
            yield return new("policy.kind",
                $"\"{ConfigNames.Kind(Policy.GetType())}\" cannot drive world \"{world}\"; " +
                $"it works with: {string.Join(", ", Policy.Worlds)}");
        if (CacheFrames && (long)Episodes * (Steps + 1) * Render.Size * Render.Size * 3 > 8L << 30)
            yield return new("cacheFrames",
                "cached frames would exceed 8 GiB; render on the fly (cacheFrames: false) or make fewer episodes");
    }

    public long Transitions => (long)Episodes * Steps;
    public int Chunks => (Episodes + ChunkEpisodes - 1) / ChunkEpisodes;
}
