using TorchSharp;
using WorldModel.Models.Planning;
using WorldModel.Plan.Mpc;
using static TorchSharp.torch;

namespace WorldModel.Models.Tests;

/// <summary>
/// The search on "latents" that are positions in the unit square, split by a wall at x = 0.5 with a door at its top
/// (y ≥ 0.8); a jump moves by the macro-action, and a move through the wall keeps only its part along the wall.
/// </summary>
public class LatentSearchTests
{
    private const float Door = 0.8f;

    private static Tensor Jump(Tensor z, Tensor m)
    {
        var next = (z + m).clamp(0, 1);
        var x = z[.., 0];
        var (nx, ny) = (next[.., 0], next[.., 1]);
        var crosses = (x - 0.5f).sign() != (nx - 0.5f).sign();
        var throughDoor = (z[.., 1] >= Door) & (ny >= Door);
        var blocked = crosses & throughDoor.logical_not();
        return stack([where(blocked, x, nx), ny], 1);
    }

    /// <summary>Eight moves of 0.1 per axis: the edge of the box [−0.1, 0.1]².</summary>
    private static Tensor Moves() => tensor(LatentSearch.Directions(2, 8)) * 0.1f;

    private static float Distance(float[] a, float[] b) => MathF.Sqrt(
        (a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]));

    /// <summary>The move whose result is closest to the goal (what the low level does once aimed at it).</summary>
    private static float[] Greedy(float[] z, float[] goal)
    {
        using var scope = NewDisposeScope();
        var moves = Moves();
        var next = Jump(tensor(z).unsqueeze(0).expand(moves.shape[0], 2), moves);
        var best = (next - tensor(goal)).pow(2).sum(1).argmin().item<long>();
        return next[best].data<float>().ToArray();
    }

    private static (float[] Subgoal, bool AimAtGoal) Search(float[] z, float[] goal, LatentSearchConfig config)
    {
        using var scope = NewDisposeScope();
        var (subgoal, aimAtGoal) = LatentSearch.Run(
            Jump, tensor(z).unsqueeze(0), tensor(goal).unsqueeze(0), Moves(), config);
        return (subgoal[0].data<float>().ToArray(), aimAtGoal[0].item<bool>());
    }

    [Fact]
    public void Moving_straight_at_the_goal_sticks_at_the_wall()
    {
        float[] z = [0.2f, 0.1f], goal = [0.8f, 0.1f];
        for (int i = 0; i < 40; i++) z = Greedy(z, goal);
        Assert.InRange(z[0], 0.35f, 0.5f); // pressed to the wall, the goal 0.4 away on the other side
        Assert.True(Distance(z, goal) > 0.3f, $"greedy reached ({z[0]}, {z[1]})");
    }

    [Fact]
    public void Following_the_first_jumps_of_the_search_goes_through_the_door_to_the_goal()
    {
        float[] z = [0.2f, 0.1f], goal = [0.8f, 0.1f];
        var config = new LatentSearchConfig();
        float highest = 0;
        int jumps = 0;
        for (; jumps < 40 && Distance(z, goal) > 0.01f; jumps++)
        {
            var (subgoal, aimAtGoal) = Search(z, goal, config);
            z = aimAtGoal ? Greedy(z, goal) : subgoal;
            highest = Math.Max(highest, z[1]);
        }
        Assert.True(Distance(z, goal) <= 0.01f, $"stopped at ({z[0]}, {z[1]}) after {jumps} jumps");
        Assert.True(highest >= Door, "reached the goal without passing the door");
        // The way round is about 0.7 up, 0.2 across and 0.7 down: 16 diagonal jumps at best.
        Assert.InRange(jumps, 14, 24);
    }

    [Fact]
    public void A_search_too_shallow_to_reach_the_door_aims_where_it_got_closest()
    {
        // Two jumps deep, nothing found is past the wall: the closest found state is against it.
        var (subgoal, aimAtGoal) = Search([0.2f, 0.1f], [0.8f, 0.1f], new LatentSearchConfig { Depth = 2 });
        Assert.False(aimAtGoal);
        Assert.True(subgoal[0] > 0.25f, $"the first jump went to ({subgoal[0]}, {subgoal[1]})");
    }

    [Fact]
    public void A_goal_within_one_jump_is_aimed_at_directly()
    {
        var (_, aimAtGoal) = Search([0.2f, 0.1f], [0.25f, 0.15f], new LatentSearchConfig());
        Assert.True(aimAtGoal);
    }

    [Fact]
    public void Episodes_are_searched_together_each_toward_its_own_goal()
    {
        using var scope = NewDisposeScope();
        var starts = tensor(new[] { 0.2f, 0.1f, 0.8f, 0.1f }, [2, 2]);
        var goals = tensor(new[] { 0.8f, 0.1f, 0.2f, 0.1f }, [2, 2]);
        var (subgoal, _) = LatentSearch.Run(Jump, starts, goals, Moves(), new LatentSearchConfig());
        var s = subgoal.data<float>().ToArray();
        var one = Search([0.2f, 0.1f], [0.8f, 0.1f], new LatentSearchConfig()).Subgoal;
        var other = Search([0.8f, 0.1f], [0.2f, 0.1f], new LatentSearchConfig()).Subgoal;
        Assert.Equal(one, s[..2]);
        Assert.Equal(other, s[2..]);
        Assert.True(s[1] > 0.1f && s[3] > 0.1f, "both should head up toward the door");
    }

    [Fact]
    public void Directions_lie_on_the_edge_of_the_box()
    {
        var ring = LatentSearch.Directions(2, 8);
        for (int i = 0; i < 8; i++)
            Assert.Equal(1f, Math.Max(Math.Abs(ring[i, 0]), Math.Abs(ring[i, 1])), 5);
        Assert.Equal((1f, 1f), (ring[1, 0], ring[1, 1]));    // a corner at 45°
        var axes = LatentSearch.Directions(3, 8);
        Assert.Equal(6, axes.GetLength(0));
        Assert.Equal((1f, 0f, 0f), (axes[0, 0], axes[0, 1], axes[0, 2]));
        Assert.Equal((0f, 0f, -1f), (axes[5, 0], axes[5, 1], axes[5, 2]));
    }
}
