using WorldModel.Sim;
using WorldModel.Sim.Policies;
using WorldModel.Worlds.PushBall;
using WorldModel.Worlds.TwoRooms;
using WorldModel.Sim.Worlds;

namespace WorldModel.Sim.Tests;

public sealed class PolicyTests
{
    private static (IWorldBatch World, float[] Start) Roll(WorldConfig wc, PolicyConfig pc, int n, int steps)
    {
        var w = wc.CreateBatch(n);
        var p = pc.Create(w);
        var seeds = Enumerable.Range(0, n).Select(i => (ulong)i).ToArray();
        w.Reset(seeds);
        p.Reset(seeds);
        var start = new float[n * w.Spec.StateDim];
        w.CopyState(start);
        var a = new float[n * w.Spec.ActionDim];
        for (int t = 0; t < steps; t++) { p.Act(a); w.Step(a); }
        return (w, start);
    }

    [Fact]
    public void Given_random_walk_with_door_share_Then_about_that_share_of_short_episodes_cross_rooms()
    {
        var (w, start) = Roll(new TwoRoomsConfig(), new RandomWalkPolicyConfig { DoorShare = 0.6f }, 1000, 16);
        var tr = (TwoRoomsBatch)w;
        int crossed = Enumerable.Range(0, 1000).Count(i =>
            tr.Layouts[i].Room(start[2 * i], start[2 * i + 1]) != tr.Layouts[i].Room(tr.X[i], tr.Y[i]));
        Assert.InRange(crossed / 1000.0, 0.4, 0.7);
    }

    [Fact]
    public void Given_no_forced_door_episodes_Then_crossings_are_rare()
    {
        var (w, start) = Roll(new TwoRoomsConfig(), new RandomWalkPolicyConfig { DoorShare = 0f }, 1000, 16);
        var tr = (TwoRoomsBatch)w;
        int crossed = Enumerable.Range(0, 1000).Count(i =>
            tr.Layouts[i].Room(start[2 * i], start[2 * i + 1]) != tr.Layouts[i].Room(tr.X[i], tr.Y[i]));
        Assert.True(crossed < 60, $"{crossed} of 1000 crossed");
    }

    [Fact]
    public void Given_the_expert_Then_it_reaches_its_goals_repeatedly()
    {
        var wc = new TwoRoomsConfig();
        var w = new TwoRoomsBatch(wc, 50);
        var p = new ExpertPolicy(new ExpertPolicyConfig { Noise = 0.1f }, w);
        var seeds = Enumerable.Range(0, 50).Select(i => (ulong)i).ToArray();
        w.Reset(seeds); p.Reset(seeds);
        var goals = p.Goals.ToArray();
        var a = new float[100];
        for (int t = 0; t < 150; t++) { p.Act(a); w.Step(a); }
        int newGoals = Enumerable.Range(0, 50).Count(i => p.Goals[2 * i] != goals[2 * i]);
        Assert.True(newGoals >= 45, $"only {newGoals} of 50 experts reached their first goal in 150 steps");
    }

    [Fact]
    public void Given_the_noisy_pusher_Then_it_moves_balls_closer_to_their_targets_than_random_pushes()
    {
        static double MeanDistance(PolicyConfig pc)
        {
            var (w, _) = Roll(new PushBallConfig(), pc, 300, 150);
            var pb = (PushBallBatch)w;
            return Enumerable.Range(0, 300).Average(i =>
                Math.Sqrt(Math.Pow(pb.State[i * 8 + 4] - pb.Target[2 * i], 2)
                    + Math.Pow(pb.State[i * 8 + 5] - pb.Target[2 * i + 1], 2)));
        }
        double pusher = MeanDistance(new NoisyPusherPolicyConfig()),
            random = MeanDistance(new RandomPushesPolicyConfig());
        Assert.True(pusher < 0.6 * random, $"pusher {pusher:F1} px vs random {random:F1} px");
    }

    [Fact]
    public void Given_a_retargeting_pusher_Then_it_pushes_the_ball_on_to_new_targets_and_twice_as_far()
    {
        // 128 steps: the plain pusher delivers its ball and stays; with retargetWithin it draws a new target each
        // time the ball rests near the last, so the ball travels on (measured: ~1.6x the path per episode).
        static (double Path, double EndToTarget) Pushes(float retarget)
        {
            var w = new PushBallBatch(new PushBallConfig(), 200);
            var p = new NoisyPusherPolicy(new NoisyPusherPolicyConfig { Noise = 0.5f, RetargetWithin = retarget }, w);
            var seeds = Enumerable.Range(0, 200).Select(i => (ulong)i).ToArray();
            w.Reset(seeds);
            p.Reset(seeds);
            var a = new float[400];
            double path = 0;
            for (int t = 0; t < 128; t++)
            {
                var before = w.State.ToArray();
                p.Act(a);
                w.Step(a);
                for (int i = 0; i < 200; i++)
                    path += Math.Sqrt(Math.Pow(w.State[i * 8 + 4] - before[i * 8 + 4], 2)
                        + Math.Pow(w.State[i * 8 + 5] - before[i * 8 + 5], 2));
            }
            double end = Enumerable.Range(0, 200).Average(i =>
                Math.Sqrt(Math.Pow(w.State[i * 8 + 4] - w.Target[2 * i], 2)
                    + Math.Pow(w.State[i * 8 + 5] - w.Target[2 * i + 1], 2)));
            return (path / 200, end);
        }
        var once = Pushes(0);
        var again = Pushes(4);
        Assert.True(once.EndToTarget < 5, $"the plain pusher left balls {once.EndToTarget:F1} px from the target");
        Assert.True(again.EndToTarget > 3 * once.EndToTarget,
            $"balls end {again.EndToTarget:F1} px from the world's target with retargeting, {once.EndToTarget:F1} without");
        Assert.True(again.Path > 1.3 * once.Path, $"ball path {again.Path:F1} px with retargeting, {once.Path:F1} without");
    }

    [Fact]
    public void Given_a_two_rooms_policy_on_push_ball_Then_creation_fails_naming_the_allowed_worlds()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            new RandomWalkPolicyConfig().Create(new PushBallBatch(new PushBallConfig(), 1)));
        Assert.Contains("two-rooms", e.Message);
    }

    [Fact]
    public void Given_von_mises_samples_Then_their_circular_concentration_matches_kappa()
    {
        // For kappa = 5, E[cos θ] = I1(5)/I0(5) ≈ 0.8934.
        ulong rng = 11;
        double sum = 0;
        for (int i = 0; i < 100_000; i++) sum += Math.Cos(Rng.VonMises(ref rng, 0, 5));
        Assert.Equal(0.8934, sum / 100_000, 2);
    }
}
