using WorldModel.Data;
using WorldModel.Render;
using WorldModel.Render.Cpu;
using WorldModel.Sim.Policies;
using WorldModel.Sim.TwoRooms;

namespace WorldModel.Models.Tests;

/// <summary>A tiny Two-Rooms dataset (made once per test run) and a CPU sampler over it.</summary>
public static class TinyWorld
{
    private static readonly Lazy<Dataset> Data = new(() =>
    {
        string dir = Path.Combine(Path.GetTempPath(), "wm-models-tests-r4-" + Environment.ProcessId);
        var config = new DataConfig
        {
            Name = "tiny-models", Seed = 1, Episodes = 400, Steps = 16, ChunkEpisodes = 400,
            World = new TwoRoomsConfig(), Policy = new RandomWalkPolicyConfig { DoorShare = 0.3f },
            Render = new RenderConfig { Renderer = RendererKind.Cpu, Layout = ObservationLayout.Channels, Size = 32, PointRadius = 4f },
        };
        if (!File.Exists(Path.Combine(dir, DatasetManifest.FileName))) new DatasetGenerator(config).Generate(dir);
        return Dataset.Open(dir);
    });

    public static Dataset Dataset => Data.Value;

    public static BatchSampler Sampler(int batchSize, int length, ulong seed) =>
        new(Dataset, batchSize, length, seed, new CpuRasterizer(new SceneBuilder(Dataset.Config.World, Dataset.Config.Render).Format));
}
