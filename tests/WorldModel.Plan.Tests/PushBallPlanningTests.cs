using WorldModel.Plan.Evaluation;
using WorldModel.Plan.Models;
using WorldModel.Plan.Mpc;
using WorldModel.Plan.Planners;
using WorldModel.Render;
using WorldModel.Render.Cpu;
using WorldModel.Worlds.PushBall;
using Xunit.Abstractions;

namespace WorldModel.Plan.Tests;

/// <summary>Push-Ball planning: episodes, the oracle's costs and the MPC loop on the real simulator.</summary>
public class PushBallPlanningTests(ITestOutputHelper output)
{
    private static readonly PushBallConfig World = new();

    private EpisodeResult[] Run(OracleCost cost, CostShape shape, int count, int horizon = 24, int samples = 128)
    {
        var scenes = new SceneBuilder(World, new RenderConfig { Layout = ObservationLayout.Channels });
        using var renderer = new CpuRasterizer(scenes.Format);
        var episodes = PlanEpisodes.Generate(new EpisodesConfig { Pushes = count, Seed = 42 }, World);
        var runner = new MpcRunner(World, renderer, scenes, new MpcConfig
        {
            Planner = new MppiConfig { Samples = samples, Iterations = 2, Noise = 0.3f, NoiseColour = 1 },
            PlannerHorizon = horizon,
            ReplanEvery = 2,
            BatchEpisodes = 16
        });
        using var model = PlanningModels.Oracle(World, cost, shape);
        var results = runner.Run(model, episodes);
        output.WriteLine($"{cost} {shape} H{horizon}: strict {results.Count(r => r.Strict)}/{count}, "
            + $"loose {results.Count(r => r.Loose)}/{count}, "
            + $"steps {string.Join(",", results.Select(r => r.StrictStep))}, "
            + $"task {string.Join(",", results.Select(r => r.TaskSteps))}, "
            + $"final {string.Join(",", results.Select(r => r.FinalDistance.ToString("F1")))}");
        return results;
    }

    [Fact]
    public void Oracle_with_the_shaped_cost_puts_the_ball_on_its_target_and_the_straight_cost_stalls_where_the_ball_is_never_touched()
    {
        var episodes = PlanEpisodes.Generate(new EpisodesConfig { Pushes = 16, Seed = 42 }, World);
        var shaped = Run(OracleCost.Shaped, CostShape.Sum, 16, horizon: 32);
        var straight = Run(OracleCost.Straight, CostShape.Sum, 16, horizon: 32);

        // Reach-then-push shaping solves the task: every ball within 4.5 px, nearly all within √2 px, stopped.
        Assert.True(shaped.All(r => r.Loose),
            string.Join("; ", shaped.Where(r => !r.Loose).Select(r => $"#{r.Episode} final {r.FinalDistance:F1} px")));
        Assert.True(shaped.Count(r => r.Strict) >= 14, $"{shaped.Count(r => r.Strict)}/16 strict");
        Assert.All(shaped.Where(r => r.Strict), r => Assert.True(r.StrictStep < 200));

        // The ball's distance alone is flat until the agent touches the ball: where no candidate does, the
        // agent never finds it, and the ball ends where it started.
        var stalled = straight.Where(r => !r.Loose).ToArray();
        Assert.NotEmpty(stalled);
        foreach (var r in stalled)
        {
            var e = episodes[r.Episode];
            float startDistance =
                MathF.Sqrt(MathF.Pow(e.Start[4] - e.Layout[0], 2) + MathF.Pow(e.Start[5] - e.Layout[1], 2));
            Assert.True(MathF.Abs(r.FinalDistance - startDistance) < 0.5f,
                $"#{r.Episode}: ball moved from {startDistance:F1} to {r.FinalDistance:F1} px");
            Assert.True(shaped[r.Episode].Loose, $"#{r.Episode}: the shaped cost solves what the straight one cannot");
        }
    }

    [Fact]
    public void Episodes_are_seeded_and_their_goal_frame_shows_the_finished_push()
    {
        var config = new EpisodesConfig { Pushes = 20, Seed = 7 };
        var episodes = PlanEpisodes.Generate(config, World);
        Assert.Equal(episodes.Select(e => e.Start), PlanEpisodes.Generate(config, World).Select(e => e.Start));
        Assert.NotEqual(episodes.Select(e => e.Start[4]),
            PlanEpisodes.Generate(config with { Seed = 8 }, World).Select(e => e.Start[4]));
        foreach (var e in episodes)
        {
            Assert.Equal(PushBallEpisodes.Kind, e.Kind);
            Assert.Equal(new[] { e.Start[2], e.Start[3], e.Start[6], e.Start[7] },
                new float[4]); // everything starts at rest
            Assert.Equal(e.Layout, e.Goal[4..6]); // the goal frame's ball is on the target
            Assert.Equal(new float[4], new[] { e.Goal[2], e.Goal[3], e.Goal[6], e.Goal[7] });
            // The agent rests just behind the ball, on the side the ball came from.
            float gap = MathF.Sqrt(MathF.Pow(e.Goal[0] - e.Goal[4], 2) + MathF.Pow(e.Goal[1] - e.Goal[5], 2));
            Assert.InRange(gap, World.AgentRadius + World.BallRadius, World.AgentRadius + World.BallRadius + 0.6f);
            float towardStart = (e.Goal[0] - e.Goal[4]) * (e.Start[4] - e.Layout[0])
                + (e.Goal[1] - e.Goal[5]) * (e.Start[5] - e.Layout[1]);
            Assert.True(towardStart >= 0, $"#{e.Id}: the agent is on the far side of the target");
            // Task horizon: the reach-then-push path at top speed is at least the ball's own distance.
            float push = MathF.Sqrt(MathF.Pow(e.Start[4] - e.Layout[0], 2) + MathF.Pow(e.Start[5] - e.Layout[1], 2));
            Assert.True(e.TaskSteps >= push / World.MaxSpeed,
                $"#{e.Id}: {e.TaskSteps} steps for a push of {push:F1} px");
        }
    }

    [Fact]
    public void Episode_files_round_trip_and_bad_entries_are_named()
    {
        var episodes = PlanEpisodes.Generate(new EpisodesConfig { Pushes = 5, Seed = 3 }, World);
        string path = Path.Combine(Path.GetTempPath(), $"push-episodes-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(path, PlanEpisodes.ToJson(episodes, World));
            var back = PlanEpisodes.Load(path, World);
            Assert.Equal(
                episodes.Select(e => (e.Start, e.Goal, e.Layout, e.Budget, e.TaskSteps, e.Kind))
                    .Select(x => (string.Join(",", x.Start), string.Join(",", x.Goal), string.Join(",", x.Layout),
                        x.Budget, x.TaskSteps, x.Kind)),
                back.Select(e => (string.Join(",", e.Start), string.Join(",", e.Goal), string.Join(",", e.Layout),
                    e.Budget, e.TaskSteps, e.Kind)));

            File.WriteAllText(path, """[{"agent": [30, 30], "ball": [31, 30], "target": [50, 50], "budget": 100}, {"agent": [10, 10], "ball": [30, 30], "target": [70, 50], "budget": 0}]""");
            var error = Assert.Throws<WorldModel.Core.Config.ConfigException>(() => PlanEpisodes.Load(path, World));
            Assert.Contains("[0].agent", error.Message);
            Assert.Contains("overlaps the ball", error.Message);
            Assert.Contains("[1].target", error.Message);
            Assert.Contains("[1].budget", error.Message);
        }
        finally { File.Delete(path); }
    }
}
