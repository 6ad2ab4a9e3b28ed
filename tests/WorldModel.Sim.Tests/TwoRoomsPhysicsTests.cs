using WorldModel.Sim;
using WorldModel.Worlds.PointAgent;
using WorldModel.Worlds.TwoRooms;

namespace WorldModel.Sim.Tests;

public sealed class TwoRoomsPhysicsTests
{
    /// <summary>PLDM's layout with the stop rule, what the exact-contact tests below pin down.</summary>
    private static readonly TwoRoomsConfig Pldm = new() { ContactRule = ContactRule.Stop };

    private static TwoRoomsBatch World(int n, TwoRoomsConfig? config = null) => new(config ?? Pldm, n);

    [Fact]
    public void Given_agent_left_of_wall_When_it_moves_right_into_it_Then_it_stops_exactly_at_the_face()
    {
        var w = World(1);
        w.X[0] = 30f; w.Y[0] = 30f;
        float[] a = [1.8f, 0f];
        w.Step(a);
        Assert.Equal(31f, w.X[0]);
        Assert.Equal(30f, w.Y[0]);
        Assert.True(w.Contact[0]);
    }

    [Fact]
    public void Given_agent_on_the_wall_face_When_it_moves_along_it_Then_it_slides_freely()
    {
        var w = World(1);
        w.X[0] = 31f; w.Y[0] = 30f;
        float[] a = [0f, 1.5f];
        w.Step(a);
        Assert.Equal(31f, w.X[0]);
        Assert.Equal(31.5f, w.Y[0]);
        Assert.False(w.Contact[0]);
    }

    [Fact]
    public void Given_agent_in_front_of_the_door_When_it_moves_through_Then_it_crosses_rooms()
    {
        var w = World(1);
        w.X[0] = 30f; w.Y[0] = 10f;
        for (int i = 0; i < 3; i++) { float[] a = [1.5f, 0f]; w.Step(a); }
        Assert.Equal(34.5f, w.X[0], 4);
        Assert.Equal(1, w.Layouts[0].Room(w.X[0], w.Y[0]));
    }

    [Fact]
    public void Given_a_diagonal_move_into_the_border_Then_it_stops_at_first_contact_on_the_segment()
    {
        var w = World(1);
        w.X[0] = 59f; w.Y[0] = 40f;
        float[] a = [1.2f, 0.6f]; // hits x = 60 at t = 1/1.2
        w.Step(a);
        Assert.Equal(60f, w.X[0]);
        Assert.Equal(40f + 0.6f / 1.2f, w.Y[0], 5);
    }

    [Fact]
    public void Given_an_action_longer_than_maxStep_Then_it_is_clipped_in_place()
    {
        var w = World(1);
        w.X[0] = 10f; w.Y[0] = 30f;
        float[] a = [0f, 10f];
        w.Step(a);
        Assert.Equal(1.85f, a[1], 5);
        Assert.Equal(31.85f, w.Y[0], 4);
    }

    [Fact]
    public void Given_a_non_finite_action_Then_step_fails_naming_the_world()
    {
        var w = World(3);
        float[] a = [0, 0, float.NaN, 0, 0, 0];
        var e = Assert.Throws<ArgumentException>(() => w.Step(a));
        Assert.Contains("world 1", e.Message);
    }

    [Theory]
    [InlineData(false, 0f, ContactRule.Stop)]
    [InlineData(true, 0f, ContactRule.Stop)]
    [InlineData(true, 0.5f, ContactRule.Stop)]
    [InlineData(true, 0f, ContactRule.Slide)]
    [InlineData(true, 0.5f, ContactRule.Slide)]
    [InlineData(true, 0f, ContactRule.Pldm)]
    [InlineData(true, 0.5f, ContactRule.Pldm)]
    public void Given_random_moves_with_any_layout_and_contact_rule_Then_no_agent_ever_tunnels_or_ends_inside_a_wall(
        bool randomLayout, float contactNoise, ContactRule rule)
    {
        var config = Pldm with
        {
            ContactRule = rule,
            ContactNoise = contactNoise,
            MaxStep = 6f, // long steps stress tunnelling through the 2 px wall
            Layout = randomLayout ? new RandomLayoutConfig() : new FixedLayoutConfig(),
        };
        const int n = 2000;
        var w = World(n, config);
        w.Reset(Enumerable.Range(0, n).Select(i => (ulong)i).ToArray());
        ulong rng = 42;
        var actions = new float[2 * n];
        for (int step = 0; step < 200; step++)
        {
            for (int i = 0; i < 2 * n; i++) actions[i] = Rng.Uniform(ref rng, -6f, 6f);
            // Exact zero components too.
            if (step % 7 == 0) for (int i = 0; i < n; i++) actions[2 * i + (i % 2)] = 0f;
            var before = Enumerable.Range(0, n).Select(i => (w.X[i], w.Y[i])).ToArray();
            w.Step(actions);
            for (int i = 0; i < n; i++)
            {
                Assert.False(PointPhysics.Inside(w.X[i], w.Y[i], w.WallPieces(i)),
                    $"world {i} inside a wall at ({w.X[i]}, {w.Y[i]})");
                Assert.InRange(w.X[i], config.BorderLow, config.BorderHigh);
                Assert.InRange(w.Y[i], config.BorderLow, config.BorderHigh);
                // Without noise a stopped agent moves along the segment it was given, never through a wall
                // interior; a sliding one along it and then along a face (both visible legs), a put-back one
                // along it and 0.3 px back.
                if (contactNoise == 0 && rule == ContactRule.Stop)
                    Assert.True(
                        PointVisibility.Visible(before[i].Item1, before[i].Item2, w.X[i], w.Y[i], w.WallPieces(i)),
                        $"world {i} tunnelled");
            }
        }
    }

    [Fact]
    public void Given_the_same_seeds_Then_batched_stepping_is_bit_for_bit_deterministic_whatever_the_batch_split()
    {
        var config = Pldm with { ContactNoise = 0.3f, Layout = new RandomLayoutConfig(), ContactRule = ContactRule.Pldm };
        float[] Run(int n, int offset)
        {
            var w = World(n, config);
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
    public void Given_random_layouts_Then_both_orientations_occur_and_the_door_lies_within_the_border()
    {
        var config = Pldm with { Layout = new RandomLayoutConfig() };
        var w = World(500, config);
        w.Reset(Enumerable.Range(0, 500).Select(i => (ulong)i).ToArray());
        Assert.Contains(w.Layouts, l => l.Orientation == WallOrientation.Horizontal);
        Assert.Contains(w.Layouts, l => l.Orientation == WallOrientation.Vertical);
        Assert.All(w.Layouts, l => { Assert.InRange(l.DoorLow, 4f, 60f); Assert.InRange(l.DoorHigh, 4f, 60f); });
        Assert.True(w.Layouts.Select(l => l.WallLow).Distinct().Count() > 100);
    }
}
