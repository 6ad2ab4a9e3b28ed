using WorldModel.Worlds.PushBall;
using WorldModel.Worlds.TwoRooms;
using WorldModel.Sim.Worlds;

namespace WorldModel.Sim.Tests;

public sealed class SuccessTrackerTests
{
    [Fact]
    public void Given_an_agent_passing_its_goal_Then_success_is_recorded_at_the_first_step_within_each_threshold_and_kept()
    {
        var w = new TwoRoomsBatch(new TwoRoomsConfig(), 1);
        w.X[0] = 10; w.Y[0] = 30;
        var tracker = new SuccessTracker(w, [20f, 30f]);
        for (int t = 1; t <= 13; t++)
        {
            float[] a = [1.2f, 0f]; // x = 10 + 1.2 t: passes the goal at x = 20, then moves on
            w.Step(a);
            tracker.Update(t);
        }
        // Distance |10 − 1.2 t|: 4.0 after step 5 (< 4.5), 1.6 after step 7 (> √2),
        // 0.4 after step 8, 5.6 after step 13.
        Assert.Equal(5, tracker.LooseStep[0]);
        Assert.Equal(8, tracker.StrictStep[0]);
        Assert.True(tracker.Distance[0] > 4.5f, "it has moved on, yet success stays recorded");
        Assert.True(tracker.Strict(0) && tracker.Loose(0));
    }

    [Fact]
    public void Given_push_ball_Then_the_ball_is_measured_against_its_own_target()
    {
        var w = new PushBallBatch(new PushBallConfig(), 2);
        w.Load([10, 10, 0, 0, 30, 30, 0, 0, 10, 10, 0, 0, 30, 30, 0, 0], [31f, 30f, 50f, 50f]);
        var tracker = new SuccessTracker(w, w.Target);
        Assert.True(tracker.Strict(0));
        Assert.False(tracker.Loose(1));
        Assert.Equal(1f, tracker.Distance[0], 5);
    }

    [Fact]
    public void Given_push_ball_When_the_ball_rolls_through_its_target_Then_it_is_not_a_success_until_it_stops_there()
    {
        var w = new PushBallBatch(new PushBallConfig(), 2);
        // World 0: the ball crosses its target at 1.5 px per step. World 1: it is on its target, nearly at rest.
        w.Load([10, 10, 0, 0, 30, 30, 1.5f, 0, 10, 10, 0, 0, 30, 30, 0.05f, 0], [30f, 30f, 30f, 30f]);
        var tracker = new SuccessTracker(w, w.Target);
        Assert.False(tracker.Strict(0));
        Assert.False(tracker.Loose(0));
        Assert.True(tracker.Strict(1));
    }
}
