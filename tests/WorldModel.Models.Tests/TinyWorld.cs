using WorldModel.Data;
using WorldModel.Render;
using WorldModel.Render.Cpu;
using WorldModel.Sim.Policies;
using WorldModel.Worlds.TwoRooms;

namespace WorldModel.Models.Tests;

/// <summary>Tiny Two-Rooms datasets (training and held-out, made once per test run) and CPU samplers
/// over them.</summary>
public static class TinyWorld
{
    private static readonly DataConfig Config = new()
    {
        Name = "tiny-models", Seed = 1, Episodes = 400, Steps = 16, ChunkEpisodes = 400,
        World = new TwoRoomsConfig(), Policy = new RandomWalkPolicyConfig { DoorShare = 0.3f },
        // 32×32 frames with the agent drawn 2 px wide: at 1 px a pixel model learned the walls and no agent.
        Render = new RenderConfig
        {
            Renderer = RendererKind.Cpu,
            Layout = ObservationLayout.Channels,
            Size = 32,
            PointRadius = 4f
        },
    };

    private static readonly string Root = Path.Combine(Path.GetTempPath(), $"wm-models-tests-{Environment.ProcessId}");
    private static readonly Lazy<Dataset> Data = new(() => Make("train", Config));
    private static readonly Lazy<Dataset> HeldOutData =
        new(() => Make("heldout", Config with { Seed = 1_000_004, Episodes = 200 }));

    static TinyWorld() =>
        AppDomain.CurrentDomain.ProcessExit +=
            (_, _) => { try { Directory.Delete(Root, true); } catch (IOException) { } };

    private static Dataset Make(string name, DataConfig config)
    {
        string dir = Path.Combine(Root, name);
        if (!File.Exists(Path.Combine(dir, DatasetManifest.FileName))) new DatasetGenerator(config).Generate(dir);
        return Dataset.Open(dir);
    }

    public static Dataset Dataset => Data.Value;
    public static Dataset HeldOut => HeldOutData.Value;

    public static BatchSampler Sampler(int batchSize, int length, ulong seed) =>
        new(Dataset, batchSize, length, seed,
            new CpuRasterizer(new SceneBuilder(Dataset.Config.World, Dataset.Config.Render).Format));
}
