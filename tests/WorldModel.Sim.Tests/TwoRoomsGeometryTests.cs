using WorldModel.Worlds.TwoRooms;

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
        int horizon = TwoRoomsGeometry.TaskSteps(w.Layouts[0], w.WallPieces(0), 10, 50, 50, 50, 1.85f);
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

    [Fact]
    public void Given_random_layouts_and_agents_pushed_against_walls_and_corners_Then_every_goal_has_a_finite_path()
    {
        // Grazing a door corner must count as visible: float rounding of the segment once made
        // corners look blocked, so a few random-layout positions had no path (an infinite task horizon).
        const int worlds = 4000;
        var w = new TwoRoomsBatch(new TwoRoomsConfig { Layout = new RandomLayoutConfig() }, worlds);
        w.Reset(Enumerable.Range(0, worlds).Select(i => (ulong)i * 7919 + 3).ToArray());
        ulong rng = 12345;
        var actions = new float[worlds * 2];
        var failures = new List<string>();
        for (int t = 0; t < 40; t++)
        {
            for (int i = 0; i < worlds; i++)
            {
                // Biased walks that end up sliding along walls and into the door's corners.
                actions[2 * i] = 1.85f * (Rng.Uniform(ref rng) < 0.5f ? 1 : -1) * Rng.Uniform(ref rng);
                actions[2 * i + 1] = 1.85f * (Rng.Uniform(ref rng) - 0.5f);
            }
            w.Step(actions);
            for (int i = 0; i < worlds; i++)
            {
                var (gx, gy) = w.SampleFreePoint(i, ref rng, 1f);
                var p = TwoRoomsGeometry.ShortestPath(w.Layouts[i], w.WallPieces(i), w.X[i], w.Y[i], gx, gy);
                float straight = MathF.Sqrt((gx - w.X[i]) * (gx - w.X[i]) + (gy - w.Y[i]) * (gy - w.Y[i]));
                if (!float.IsFinite(p.Length) || p.Length < straight - 1e-3f)
                    failures.Add($"world {i} {w.Layouts[i]}: ({w.X[i]:R}, {w.Y[i]:R}) → "
                        + $"({gx:R}, {gy:R}) = {p.Length}");
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} paths wrong, e.g. " + string.Join("; ", failures.Take(3)));
    }
}
