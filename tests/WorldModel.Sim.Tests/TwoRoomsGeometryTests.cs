using WorldModel.Sim.TwoRooms;

namespace WorldModel.Sim.Tests;

public sealed class TwoRoomsGeometryTests
{
    private static readonly TwoRoomsBatch World = new(new TwoRoomsConfig(), 1);

    [Fact]
    public void Given_start_and_goal_in_one_room_Then_the_shortest_path_is_the_straight_line()
    {
        var p = TwoRoomsGeometry.ShortestPath(World.Layouts[0], World.WallPieces(0), 10, 10, 20, 40);
        Assert.Equal(MathF.Sqrt(100 + 900), p.Length, 4);
        Assert.Equal((20f, 40f), (p.NextX, p.NextY));
    }

    [Fact]
    public void Given_goal_in_the_other_room_Then_the_path_goes_round_the_door_corner()
    {
        // From (20, 50) to (44, 50): via the door's top corners (31, 14) and (33, 14).
        var p = TwoRoomsGeometry.ShortestPath(World.Layouts[0], World.WallPieces(0), 20, 50, 44, 50);
        float expected = MathF.Sqrt(11 * 11 + 36 * 36) + 2 + MathF.Sqrt(11 * 11 + 36 * 36);
        Assert.Equal(expected, p.Length, 3);
        Assert.Equal((31f, 14f), (p.NextX, p.NextY));
    }

    [Fact]
    public void Given_an_expert_following_next_waypoints_Then_it_reaches_a_goal_across_the_wall_in_the_task_horizon()
    {
        var w = new TwoRoomsBatch(new TwoRoomsConfig(), 1);
        w.X[0] = 10; w.Y[0] = 50;
        int horizon = TwoRoomsGeometry.TaskHorizon(w.Layouts[0], w.WallPieces(0), 10, 50, 50, 50, 1.85f);
        for (int t = 0; t < horizon; t++)
        {
            var p = TwoRoomsGeometry.ShortestPath(w.Layouts[0], w.WallPieces(0), w.X[0], w.Y[0], 50, 50);
            float dx = p.NextX - w.X[0], dy = p.NextY - w.Y[0], d = MathF.Sqrt(dx * dx + dy * dy);
            float len = MathF.Min(1.85f, d);
            float[] a = d > 0 ? [dx / d * len, dy / d * len] : [0, 0];
            w.Step(a);
        }
        float dist = MathF.Sqrt((w.X[0] - 50) * (w.X[0] - 50) + (w.Y[0] - 50) * (w.Y[0] - 50));
        Assert.True(dist < 1.85f * 2, $"ended {dist} px from the goal");
        Assert.True(horizon > 40, "a cross-room task must take longer than the straight line");
    }
}
