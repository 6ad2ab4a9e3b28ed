using WorldModel.Core.Config;
using WorldModel.Render;
using WorldModel.Render.Cpu;
using WorldModel.Sim.Policies;
using WorldModel.Worlds.PushBall;
using WorldModel.Worlds.TwoRooms;

namespace WorldModel.Data.Tests;

public sealed class DatasetTests
{
    private static DataConfig Small(int episodes = 300, int chunk = 64) => new()
    {
        Name = "test", Seed = 5, Episodes = episodes, Steps = 12, ChunkEpisodes = chunk,
        World = new TwoRoomsConfig(), Policy = new RandomWalkPolicyConfig(),
    };

    [Fact]
    public void Given_a_generated_dataset_When_read_back_Then_states_actions_and_layouts_round_trip_and_replay_in_the_simulator()
    {
        using var tmp = new TempFolder();
        var config = Small();
        var gen = new DatasetGenerator(config);
        gen.Generate(tmp["d"]);
        var d = Dataset.Open(tmp["d"]);
        Assert.Equal(300, d.Episodes);
        Assert.Equal(12, d.Steps);
        Assert.Equal(config, d.Config);
        var direct = gen.GenerateChunk(64, 64, d.Spec); // chunk 1
        Assert.Equal(direct.States, d.States.AsSpan(64 * 13 * 2, 64 * 13 * 2).ToArray());

        // Replaying stored actions from stored starts reproduces stored states exactly.
        var world = new TwoRoomsBatch((TwoRoomsConfig)config.World, d.Episodes);
        var s0 = new float[d.Episodes * 2];
        for (int e = 0; e < d.Episodes; e++) d.State(e, 0).CopyTo(s0.AsSpan(e * 2));
        world.Load(s0, d.Layouts);
        var a = new float[d.Episodes * 2];
        for (int t = 0; t < d.Steps; t++)
        {
            for (int e = 0; e < d.Episodes; e++) d.Action(e, t).CopyTo(a.AsSpan(e * 2));
            world.Step(a);
            for (int e = 0; e < d.Episodes; e++)
                Assert.Equal(d.State(e, t + 1).ToArray(), new[] { world.X[e], world.Y[e] });
        }
    }

    [Fact]
    public void Given_the_same_config_with_another_chunk_size_Then_the_data_are_identical()
    {
        using var tmp = new TempFolder();
        new DatasetGenerator(Small(chunk: 64)).Generate(tmp["a"]);
        new DatasetGenerator(Small(chunk: 1000)).Generate(tmp["b"]);
        var a = Dataset.Open(tmp["a"]);
        var b = Dataset.Open(tmp["b"]);
        Assert.Equal(a.States, b.States);
        Assert.Equal(a.Actions, b.Actions);
        Assert.Equal(a.Layouts, b.Layouts);
    }

    [Fact]
    public void Given_an_interrupted_generation_When_run_again_Then_it_keeps_finished_chunks_and_completes()
    {
        using var tmp = new TempFolder();
        var config = Small();
        new DatasetGenerator(config).Generate(tmp["d"]);
        var reference = Dataset.Open(tmp["d"]).States;
        // Simulate an interruption: no manifest yet, one chunk missing, one half-written temp file.
        File.Move(tmp["d/dataset.json"], tmp["d/dataset.json.bak"]);
        File.Delete(tmp["d/dataset.json.bak"]);
        File.WriteAllText(tmp["d/generation.json"], $"{{\"contentHash\":\"{DatasetGenerator.ContentHash(config)}\"}}");
        File.Delete(tmp["d/" + DatasetGenerator.ChunkName(2)]);
        var result = new DatasetGenerator(config).Generate(tmp["d"]);
        Assert.Equal(1, result.ChunksWritten);
        Assert.Equal(config.Chunks - 1, result.ChunksReused);
        Assert.Equal(reference, Dataset.Open(tmp["d"]).States);
        Assert.True(new DatasetGenerator(config).Generate(tmp["d"]).AlreadyComplete);
    }

    [Fact]
    public void Given_a_folder_with_another_configs_dataset_Then_generation_refuses_and_names_both_hashes()
    {
        using var tmp = new TempFolder();
        new DatasetGenerator(Small()).Generate(tmp["d"]);
        var e = Assert.Throws<IOException>(() => new DatasetGenerator(Small() with { Seed = 6 }).Generate(tmp["d"]));
        Assert.Contains("another config", e.Message);
    }

    [Fact]
    public void Given_a_folder_with_another_process_half_way_through_its_first_write_Then_generation_proceeds_but_a_foreign_file_is_refused()
    {
        using var tmp = new TempFolder();
        // What a concurrent generator of the same dataset leaves before its pending file's rename (the CI
        // failure mode: two test processes sharing experiments/tiny/data-<hash>). Process 1 (init) always runs.
        Directory.CreateDirectory(tmp["d"]);
        File.WriteAllText(Path.Combine(tmp["d"], $".{DatasetManifest.PendingFileName}.1.{Guid.NewGuid():N}.tmp"), "{");
        var result = new DatasetGenerator(Small()).Generate(tmp["d"]);
        Assert.Equal(5, result.ChunksWritten); // 300 episodes in chunks of 64
        Assert.Equal(300, Dataset.Open(tmp["d"]).Episodes);

        Directory.CreateDirectory(tmp["e"]);
        File.WriteAllText(Path.Combine(tmp["e"], "notes.txt"), "mine");
        var e = Assert.Throws<IOException>(() => new DatasetGenerator(Small()).Generate(tmp["e"]));
        Assert.Contains("is not empty and holds no dataset", e.Message);
    }

    [Fact]
    public void Given_a_corrupted_chunk_Then_opening_fails_naming_the_file()
    {
        using var tmp = new TempFolder();
        new DatasetGenerator(Small()).Generate(tmp["d"]);
        string chunk = tmp["d/" + DatasetGenerator.ChunkName(3)];
        var bytes = File.ReadAllBytes(chunk);
        bytes[bytes.Length / 2] ^= 0x10;
        File.WriteAllBytes(chunk, bytes);
        var e = Assert.Throws<DatasetCorruptException>(() => Dataset.Open(tmp["d"]));
        Assert.Contains("chunk-00003.bin", e.Message);
        Assert.Contains("checksum", e.Message);
    }

    [Fact]
    public void Given_a_complete_dataset_with_a_corrupted_chunk_When_generate_runs_again_Then_only_that_chunk_is_rewritten()
    {
        using var tmp = new TempFolder();
        new DatasetGenerator(Small()).Generate(tmp["d"]);
        var reference = Dataset.Open(tmp["d"]).Actions;
        string chunk = tmp["d/" + DatasetGenerator.ChunkName(1)];
        var bytes = File.ReadAllBytes(chunk);
        bytes[^40] ^= 0xFF;
        File.WriteAllBytes(chunk, bytes);
        var result = new DatasetGenerator(Small()).Generate(tmp["d"]);
        Assert.False(result.AlreadyComplete);
        Assert.Equal(1, result.ChunksWritten);
        Assert.Equal(reference, Dataset.Open(tmp["d"]).Actions);
    }

    [Fact]
    public void Given_a_chunk_of_another_dataset_copied_in_Then_opening_fails_and_generation_does_not_reuse_it()
    {
        using var tmp = new TempFolder();
        new DatasetGenerator(Small()).Generate(tmp["a"]);
        new DatasetGenerator(Small() with { Seed = 99 }).Generate(tmp["b"]);
        File.Copy(tmp["b/" + DatasetGenerator.ChunkName(0)], tmp["a/" + DatasetGenerator.ChunkName(0)],
            overwrite: true);
        var e = Assert.Throws<DatasetCorruptException>(() => Dataset.Open(tmp["a"]));
        Assert.Contains("chunk-00000.bin", e.Message);
        var result = new DatasetGenerator(Small()).Generate(tmp["a"]);
        Assert.Equal(1, result.ChunksWritten);
        Dataset.Open(tmp["a"]);
    }

    [Fact]
    public void Given_a_truncated_chunk_Then_opening_fails_naming_the_file_and_sizes()
    {
        using var tmp = new TempFolder();
        new DatasetGenerator(Small()).Generate(tmp["d"]);
        string chunk = tmp["d/" + DatasetGenerator.ChunkName(0)];
        var bytes = File.ReadAllBytes(chunk);
        File.WriteAllBytes(chunk, bytes[..(bytes.Length - 100)]);
        var e = Assert.Throws<DatasetCorruptException>(() => Dataset.Open(tmp["d"]));
        Assert.Contains("chunk-00000.bin", e.Message);
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void Given_a_truncated_manifest_Then_opening_fails_and_says_to_regenerate()
    {
        using var tmp = new TempFolder();
        new DatasetGenerator(Small()).Generate(tmp["d"]);
        var text = File.ReadAllText(tmp["d/dataset.json"]);
        File.WriteAllText(tmp["d/dataset.json"], text[..(text.Length / 2)]);
        var e = Assert.Throws<DatasetCorruptException>(() => Dataset.Open(tmp["d"]));
        Assert.Contains("dataset.json", e.Message);
    }

    [Fact]
    public void Given_cached_frames_Then_sampled_frames_equal_frames_rendered_on_the_fly()
    {
        using var tmp = new TempFolder();
        var config = Small(episodes: 40) with
        {
            CacheFrames = true,
            World = new PushBallConfig(),
            Policy = new NoisyPusherPolicyConfig()
        };
        var format = new SceneBuilder(config.World, config.Render).Format;
        var cpu = new CpuRasterizer(format);
        new DatasetGenerator(config, cpu).Generate(tmp["d"]);
        var d = Dataset.Open(tmp["d"]);
        Assert.Equal(format.BytesPerFrame, d.Manifest.FrameBytes);
        var cached = new BatchSampler(d, 8, 5, seed: 1, renderer: null).Sample(3);
        var scenes = new SceneBatch(8 * 5);
        var layouts = cached.Episodes.SelectMany(e => Enumerable.Repeat(d.Layout(e).ToArray(), 5))
            .SelectMany(l => l).ToArray();
        new SceneBuilder(config.World, config.Render).BuildAll(scenes, cached.States, layouts);
        var live = new byte[cached.Frames.Length];
        cpu.Render(scenes, live);
        Assert.Equal(live, cached.Frames);
        Assert.Contains(live, v => v == 255);
    }
}
