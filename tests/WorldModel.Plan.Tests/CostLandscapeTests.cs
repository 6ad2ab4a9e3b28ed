using WorldModel.Plan.Evaluation;
using WorldModel.Plan.Models;
using WorldModel.Render;
using WorldModel.Render.Cpu;
using WorldModel.Worlds.TwoRooms;

namespace WorldModel.Plan.Tests;

/// <summary>The cost landscape: oracle costs have the shapes geometry says they must.</summary>
public class CostLandscapeTests
{
    private static readonly TwoRoomsConfig World = new();

    private static CostLandscape Measure(OracleCost cost, float goalX = 46.5f, float goalY = 32f)
    {
        var scenes = new SceneBuilder(World,
            new RenderConfig { Layout = ObservationLayout.Channels, Size = 32, PointRadius = 4f });
        using var renderer = new CpuRasterizer(scenes.Format);
        using var model = PlanningModels.Oracle(World, cost, CostShape.Sum);
        var layout = new TwoRoomsBatch(World, 1).Layouts[0];
        return CostLandscape.Measure(model, World, layout, renderer, scenes, goalX, goalY, cell: 2f);
    }

    [Fact]
    public void Geodesic_cost_leads_every_cell_to_the_goal_and_straight_cost_traps_the_other_room_at_the_wall()
    {
        var geodesic = Measure(OracleCost.Geodesic);
        var straight = Measure(OracleCost.Straight);
        Assert.Equal(1.0, geodesic.SpearmanGeodesic, 3);
        Assert.Equal(1.0, straight.SpearmanStraight, 3);
        Assert.True(geodesic.DescentReach > 0.99, $"geodesic descent reached the goal from {geodesic.DescentReach:P0}");
        // Behind the wall, straight-line descent ends against it except near the door.
        Assert.True(straight.DescentReachAcross < 0.25,
            $"straight descent crossed from {straight.DescentReachAcross:P0} of the other room");
        Assert.True(straight.DescentReach > 0.45, "every cell of the goal's own room descends to it");
        // Walls and the margin are left out; the wall column is blank.
        int wallColumn = (int)((32 - World.BorderLow) / 2);
        Assert.True(Enumerable.Range(0, geodesic.Size).Count(j => double.IsNaN(geodesic.Cost[j, wallColumn]))
            > geodesic.Size / 2);
    }

    [Fact]
    public void A_goal_inside_the_wall_is_refused_with_what_is_allowed()
    {
        var e = Assert.Throws<ArgumentException>(() => Measure(OracleCost.Straight, goalX: 32, goalY: 40));
        Assert.Contains("inside a wall", e.Message);
        Assert.Contains("allowed", e.Message);
    }
}
