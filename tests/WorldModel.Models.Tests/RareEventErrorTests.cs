using WorldModel.Models.Evaluation;
using WorldModel.Worlds.TwoRooms;

namespace WorldModel.Models.Tests;

/// <summary>`wm eval-model`'s split of held-out sequences by what happens in them.</summary>
public sealed class RareEventErrorTests
{
    [Fact]
    public void Every_sequence_is_sorted_as_the_simulator_saw_it_a_crossing_a_stop_at_a_wall_or_free_motion()
    {
        var data = TinyWorld.Dataset;
        var world = (TwoRoomsConfig)data.Config.World;
        const int steps = 8;
        var sampler = TinyWorld.Sampler(64, steps + 1, seed: 4);
        var counts = new int[3];
        for (int b = 0; b < 4; b++)
        {
            var sample = sampler.Sample(b);
            var kinds = RareEventError.Kinds(world, world.ActionLimit, data, sample, steps);
            int sd = data.Spec.StateDim, perSequence = sample.States.Length / sample.Size;
            for (int i = 0; i < sample.Size; i++)
            {
                // The simulator replays the sequence from its first state and says where a wall stopped the agent.
                var states = sample.States.AsSpan(i * perSequence, (steps + 1) * sd);
                var layout = data.Layout(sample.Episodes[i]);
                var sim = new TwoRoomsBatch(world, 1);
                sim.Load(states[..sd], layout);
                bool stopped = false;
                for (int t = 0; t < steps; t++)
                {
                    var action = sample.Actions.AsSpan(i * (sample.Actions.Length / sample.Size) + 2 * t, 2).ToArray();
                    sim.Step(action);
                    stopped |= sim.Contact[0];
                    Assert.Equal(states[(t + 1) * sd], sim.X[0], 3);
                }
                int expected = world.CountRareEvents(states, steps, layout) > 0 ? 0 : stopped ? 1 : 2;
                Assert.Equal(expected, kinds[i]);
                counts[expected]++;
            }
        }
        Assert.All(counts, c => Assert.True(c > 0, $"kinds {string.Join(", ", counts)}: one never happened"));
    }

    [Fact]
    public void Each_kind_is_scored_on_its_own_sequences_and_one_kind_alone_gives_nothing_to_compare()
    {
        double[,] truth = { { 0, 0 }, { 0, 0 }, { 0, 0 } };
        double[,] imagined = { { 3, 4 }, { 1, 1 }, { 0, 2 } };
        double[,] still = { { 0, 0 }, { 2, 2 }, { 0, 0 } };
        var result = RareEventError.Measure("door crossings", 8, [0, 1, 1], imagined, still, truth)!;
        Assert.Equal(["door crossings", RareEventError.Stopped], result.Parts.Select(p => p.Name));
        Assert.Equal(Math.Sqrt(12.5), result.Parts[0].Imagined, 9);   // (9 + 16) / 2
        Assert.Equal(Math.Sqrt(1.5), result.Parts[1].Imagined, 9);    // (1 + 1 + 0 + 4) / 4
        Assert.Equal([1, 2], result.Parts.Select(p => p.Sequences));
        Assert.Equal(Math.Sqrt(2), result.Parts[1].Still, 9);  // (4 + 4 + 0 + 0) / 4
        Assert.Null(RareEventError.Measure("door crossings", 8, [2, 2, 2], imagined, still, truth));
    }
}
