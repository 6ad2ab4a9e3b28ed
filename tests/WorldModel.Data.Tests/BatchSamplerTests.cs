using WorldModel.Render;
using WorldModel.Render.Cpu;
using WorldModel.Worlds.TwoRooms;

namespace WorldModel.Data.Tests;

public sealed class BatchSamplerTests
{
    private static Dataset Make(TempFolder tmp)
    {
        var config = new DataConfig { Name = "s", Episodes = 200, Steps = 20, ChunkEpisodes = 100 };
        new DatasetGenerator(config).Generate(tmp["d"]);
        return Dataset.Open(tmp["d"]);
    }

    [Fact]
    public void Given_a_seed_Then_batches_are_reproducible_and_differ_between_indices()
    {
        using var tmp = new TempFolder();
        var d = Make(tmp);
        var cpu = new CpuRasterizer(new SceneBuilder(d.Config.World, d.Config.Render).Format);
        var s = new BatchSampler(d, 16, 17, seed: 3, cpu);
        var a = s.Sample(5);
        var b = new BatchSampler(d, 16, 17, seed: 3, cpu).Sample(5);
        Assert.Equal(a.Frames, b.Frames);
        Assert.Equal(a.States, b.States);
        Assert.NotEqual(a.Episodes, s.Sample(6).Episodes);
    }

    [Fact]
    public void Given_a_batch_Then_its_states_actions_and_frames_line_up_with_the_dataset()
    {
        using var tmp = new TempFolder();
        var d = Make(tmp);
        var format = new SceneBuilder(d.Config.World, d.Config.Render).Format;
        var batch = new BatchSampler(d, 8, 6, seed: 9, new CpuRasterizer(format)).Sample(0);
        for (int b = 0; b < 8; b++)
        {
            int e = batch.Episodes[b], s0 = batch.Starts[b];
            Assert.InRange(s0, 0, d.Steps + 1 - 6);
            for (int t = 0; t < 6; t++)
            {
                Assert.Equal(d.State(e, s0 + t).ToArray(), batch.States.AsSpan((b * 6 + t) * 2, 2).ToArray());
                if (t < 5) Assert.Equal(d.Action(e, s0 + t).ToArray(),
                    batch.Actions.AsSpan((b * 5 + t) * 2, 2).ToArray());
                // The agent channel is brightest at the agent's true position.
                var frame = batch.Frames.AsSpan((b * 6 + t) * format.BytesPerFrame, format.BytesPerFrame);
                var st = batch.States.AsSpan((b * 6 + t) * 2, 2);
                int px = (int)st[0], py = (int)st[1];
                Assert.True(frame[(py * 64 + px) * 2] > 100, $"no agent at ({st[0]}, {st[1]}) in frame {b},{t}");
            }
        }
    }

    [Fact]
    public void Given_a_stream_Then_it_yields_the_same_batches_as_sampling_in_order()
    {
        using var tmp = new TempFolder();
        var d = Make(tmp);
        var cpu = new CpuRasterizer(new SceneBuilder(d.Config.World, d.Config.Render).Format);
        var s = new BatchSampler(d, 4, 3, seed: 1, cpu);
        var streamed = s.Stream(first: 10).Take(3).ToList();
        for (int k = 0; k < 3; k++) Assert.Equal(s.Sample(10 + k).States, streamed[k].States);
    }

    [Fact]
    public void Given_a_sequence_longer_than_episodes_Then_the_sampler_says_what_is_allowed()
    {
        using var tmp = new TempFolder();
        var d = Make(tmp);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new BatchSampler(d, 4, 30, 0, null));
        Assert.Contains("1 to 21", e.Message);
    }
}
