using WorldModel.Worlds.Maze;
using WorldModel.Worlds.PointAgent;

namespace WorldModel.Sim.Tests;

public sealed class MazePhysicsTests
{
    [Theory]
    [InlineData(3, 0f, ContactRule.Stop)]
    [InlineData(4, 0f, ContactRule.Stop)]
    [InlineData(4, 0.5f, ContactRule.Stop)]
    [InlineData(3, 0f, ContactRule.Slide)]
    [InlineData(4, 0f, ContactRule.Slide)]
    [InlineData(4, 0.5f, ContactRule.Slide)]
    [InlineData(4, 0f, ContactRule.Pldm)]
    [InlineData(4, 0.5f, ContactRule.Pldm)]
    public void Given_random_moves_in_random_mazes_and_any_contact_rule_Then_no_agent_tunnels_or_ends_inside_a_wall(
        int cells, float contactNoise, ContactRule rule)
    {
        var config = new MazeConfig
        {
            Cells = cells,
            ContactRule = rule,
            ContactNoise = contactNoise,
            MaxStep = 6f, // long steps stress tunnelling through the 2 px walls
            Layouts = 0,  // a new layout per world
        };
        const int n = 2000;
        var w = new MazeBatch(config, n);
        w.Reset(Enumerable.Range(0, n).Select(i => (ulong)i).ToArray());
        ulong rng = 42;
        var actions = new float[2 * n];
        for (int step = 0; step < 200; step++)
        {
            for (int i = 0; i < 2 * n; i++) actions[i] = Rng.Uniform(ref rng, -6f, 6f);
            // Exact zero components too: moves along faces and along the seams where walls meet.
            if (step % 7 == 0) for (int i = 0; i < n; i++) actions[2 * i + (i % 2)] = 0f;
            var before = Enumerable.Range(0, n).Select(i => (w.X[i], w.Y[i])).ToArray();
            w.Step(actions);
            for (int i = 0; i < n; i++)
            {
                Assert.False(PointPhysics.Inside(w.X[i], w.Y[i], w.WallPieces(i)),
                    $"world {i} inside a wall at ({w.X[i]}, {w.Y[i]})");
                Assert.InRange(w.X[i], config.BorderLow, config.BorderHigh);
                Assert.InRange(w.Y[i], config.BorderLow, config.BorderHigh);
                var (x0, y0) = before[i];
                if (PointVisibility.Visible(x0, y0, w.X[i], w.Y[i], w.WallPieces(i))) continue;
                // Not along one free segment (a slide, a put-back, a jitter): then the way round the walls must be
                // about as short as the move, not the long way through the maze a wall crossing would skip.
                Assert.True(rule != ContactRule.Stop || contactNoise > 0, $"world {i} tunnelled");
                float way = w.Geometry(i).Geodesic(x0, y0, w.X[i], w.Y[i]);
                float allowed = MathF.Sqrt(2) * config.MaxStep + PointPhysics.PldmInset + 8 * contactNoise + 1e-3f;
                Assert.True(way <= allowed,
                    $"world {i} ({w.Layouts[i]}): ({x0}, {y0}) to ({w.X[i]}, {w.Y[i]}), {way} px round the walls");
            }
        }
    }

    [Fact]
    public void Given_an_agent_sliding_along_a_wall_into_a_junction_Then_it_stops_there_not_slipping_between_pieces()
    {
        // A 2×2 maze with every wall closed: the vertical wall x ∈ [31, 33] and the horizontal one y ∈ [31, 33] cross
        // at (32, 32). Moving down the vertical wall's left face meets the horizontal wall's top face at y = 31.
        var config = new MazeConfig { Cells = 2, ContactRule = ContactRule.Slide, Layouts = 0 };
        var w = new MazeBatch(config, 1);
        w.SetLayout(0, MazeLayout.AllClosed(2));
        (w.X[0], w.Y[0]) = (31f, 25f);
        for (int step = 0; step < 10; step++)
        {
            float[] a = [0.5f, 1.5f]; // into the face and along it, towards the junction
            w.Step(a);
        }
        Assert.Equal((31f, 31f), (w.X[0], w.Y[0]));
    }

    [Fact]
    public void Given_the_same_seeds_Then_batched_stepping_is_bit_for_bit_deterministic_whatever_the_batch_split()
    {
        var config = new MazeConfig { ContactNoise = 0.3f, ContactRule = ContactRule.Pldm, Layouts = 0 };
        float[] Run(int n, int offset)
        {
            var w = new MazeBatch(config, n);
            w.Reset(Enumerable.Range(offset, n).Select(i => (ulong)i).ToArray());
            var a = new float[2 * n];
            for (int s = 0; s < 50; s++)
            {
                for (int i = 0; i < n; i++)
                {
                    ulong r = Rng.Derive(99, (ulong)(offset + i), (ulong)s);
                    a[2 * i] = Rng.Uniform(ref r, -3, 3); a[2 * i + 1] = Rng.Uniform(ref r, -3, 3);
                }
                w.Step(a);
            }
            var st = new float[2 * n];
            w.CopyState(st);
            return st;
        }
        var whole = Run(10000, 0);   // parallel path
        var part = Run(100, 5000);   // serial path, worlds 5000..5099
        Assert.Equal(whole.AsSpan(10000, 200).ToArray(), part);
        Assert.Equal(whole, Run(10000, 0));
    }

    [Fact]
    public void Given_a_reset_batch_Then_starts_are_free_and_cells_and_loaded_layouts_round_trip()
    {
        var config = new MazeConfig { Cells = 4 };
        var w = new MazeBatch(config, 300);
        w.Reset(Enumerable.Range(0, 300).Select(i => (ulong)i).ToArray());
        for (int i = 0; i < 300; i++) Assert.True(w.IsFree(i, w.X[i], w.Y[i], config.StartMargin));
        Assert.Equal(0, w.Cell(4, 4));
        Assert.Equal(15, w.Cell(60, 60));
        Assert.Equal(1 * 4 + 2, w.Cell(4 + 2.5f * 14, 4 + 1.5f * 14));
        var states = new float[600];
        var layouts = new float[300 * config.Spec.LayoutDim];
        w.CopyState(states);
        w.CopyLayout(layouts);
        var copy = new MazeBatch(config, 300);
        copy.Load(states, layouts);
        Assert.Equal(w.Layouts, copy.Layouts);
        Assert.Equal(w.X, copy.X);
    }
}
