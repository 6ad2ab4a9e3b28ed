using WorldModel.Worlds.PointAgent;
using WorldModel.Worlds.TwoRooms;

namespace WorldModel.Sim.Tests;

/// <summary>
/// What each contact rule means, on PLDM's fixed layout (the wall's left face at x = 31, the door y ∈ [6, 14]).
/// </summary>
public sealed class ContactRuleTests
{
    private static TwoRoomsBatch World(ContactRule rule, float noise = 0, int n = 1)
    {
        var w = new TwoRoomsBatch(new TwoRoomsConfig { ContactRule = rule, ContactNoise = noise }, n);
        w.Reset(Enumerable.Range(0, n).Select(i => (ulong)i).ToArray()); // each world its own noise stream
        return w;
    }

    private static (float X, float Y) Move(ContactRule rule, float x, float y, float dx, float dy)
    {
        var w = World(rule);
        (w.X[0], w.Y[0]) = (x, y);
        float[] a = [dx, dy];
        w.Step(a);
        Assert.True(w.Contact[0]);
        return (w.X[0], w.Y[0]);
    }

    [Fact]
    public void Given_a_diagonal_move_into_the_wall_When_the_rule_is_stop_Then_the_rest_of_the_move_is_lost()
    {
        var (x, y) = Move(ContactRule.Stop, 30f, 20f, 1.6f, -0.8f); // meets x = 31 at t = 0.625
        Assert.Equal(31f, x);
        Assert.Equal(19.5f, y, 5);
    }

    [Fact]
    public void Given_a_diagonal_move_into_the_wall_When_the_rule_is_slide_Then_the_part_along_the_wall_is_kept()
    {
        var (x, y) = Move(ContactRule.Slide, 30f, 20f, 1.6f, -0.8f);
        Assert.Equal(31f, x);
        Assert.Equal(19.2f, y, 5);
    }

    [Fact]
    public void Given_a_move_into_a_corner_When_the_rule_is_slide_Then_it_slides_into_the_corner_and_stops()
    {
        var (x, y) = Move(ContactRule.Slide, 59f, 58f, 1.2f, 1.2f); // x = 60 at t = 5/6, then 0.2 along y
        Assert.Equal(60f, x);
        Assert.Equal(59.2f, y, 5);
        (x, y) = Move(ContactRule.Slide, 59.5f, 59f, 1f, 1.5f); // x = 60 at t = 0.5, then y = 60 on the slide
        Assert.Equal((60f, 60f), (x, y));
    }

    [Theory]
    [InlineData(ContactRule.Stop, 0)]
    [InlineData(ContactRule.Slide, 1)]
    public void Given_an_agent_pressed_against_the_wall_When_it_pushes_into_it_and_towards_the_door_Then_only_slide_reaches_the_other_room(
        ContactRule rule, int room)
    {
        var w = World(rule);
        (w.X[0], w.Y[0]) = (31f, 24f); // on the wall's left face, 10 px above the door
        for (int step = 0; step < 20; step++)
        {
            float[] a = [1.2f, -1.2f]; // into the face and towards the door, as a greedy planner pushes
            w.Step(a);
        }
        Assert.Equal(room, w.Layouts[0].Room(w.X[0], w.Y[0]));
    }

    [Fact]
    public void Given_a_move_into_the_wall_When_the_rule_is_pldm_without_noise_Then_the_agent_is_put_back_0_3_px_off_the_face()
    {
        var (x, y) = Move(ContactRule.Pldm, 30f, 20f, 1.6f, -0.8f);
        Assert.Equal(31f - PointPhysics.PldmInset, x, 5);
        Assert.Equal(19.5f, y, 5);
        (x, y) = Move(ContactRule.Pldm, 30f, 58.5f, 0f, 3f); // the top border at y = 60
        Assert.Equal((30f, 60f - PointPhysics.PldmInset), (x, y));
    }

    [Fact]
    public void Given_many_contacts_When_the_rule_is_pldm_with_noise_Then_offsets_follow_PLDM_s_distribution()
    {
        const int n = 20000;
        const float sigma = 0.5f;
        var w = World(ContactRule.Pldm, sigma, n);
        var a = new float[2 * n];
        for (int i = 0; i < n; i++) { (w.X[i], w.Y[i]) = (30f, 30f); a[2 * i] = 1.8f; }
        w.Step(a);
        var off = Enumerable.Range(0, n).Select(i => (double)(31f - w.X[i])).ToArray();
        var along = Enumerable.Range(0, n).Select(i => (double)(w.Y[i] - 30f)).ToArray();
        Assert.All(off, o => Assert.True(o > 0, "every agent is back inside the room"));
        // |N(0, σ²)| has mean σ√(2/π) ≈ 0.399 and sd σ√(1 − 2/π) ≈ 0.301 (standard error here ≈ 0.002).
        Assert.Equal(sigma * Math.Sqrt(2 / Math.PI), off.Average(), 0.015);
        Assert.Equal(sigma * Math.Sqrt(1 - 2 / Math.PI), StdDev(off), 0.015);
        // Along the face N(0, σ²): mean 0, sd σ.
        Assert.Equal(0, along.Average(), 0.015);
        Assert.Equal(sigma, StdDev(along), 0.015);
    }

    private static double StdDev(double[] v)
    {
        double m = v.Average();
        return Math.Sqrt(v.Sum(x => (x - m) * (x - m)) / (v.Length - 1));
    }
}
