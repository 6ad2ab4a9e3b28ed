using WorldModel.Plan.Evaluation;
using WorldModel.Plan.Models;
using WorldModel.Plan.Mpc;
using WorldModel.Plan.Planners;
using WorldModel.Render;
using WorldModel.Render.Cpu;
using WorldModel.Worlds.PushBall;
using WorldModel.Worlds.TwoRooms;
using static WorldModel.Worlds.PushBall.PushBallBatch;

namespace WorldModel.Plan.Tests;

/// <summary>
/// evaluation.plan.goalVariants: goals whose free part (Push-Ball: the agent) is drawn at many places, so a learned
/// model's cost does not reward moving the agent alone.
/// </summary>
public class GoalVariantTests
{
    private static readonly PushBallConfig World = new();

    /// <summary>A model that takes goal variants and records the goals it was given; every plan costs 0.</summary>
    private sealed class RecordingModel : IGoalVariantModel
    {
        public List<Observations> Goals { get; } = [];
        public string Name => "recording";
        public void SetGoals(Observations goals) => Goals.Add(goals);
        public void Observe(Observations current) { }
        public void Score(ReadOnlySpan<float> actions, int candidates, int horizon, Span<float> costs) => costs.Clear();
        public void Dispose() { }
    }

    [Fact]
    public void Given_a_push_Then_its_goal_variants_keep_the_ball_on_the_target_and_spread_the_agent_at_rest()
    {
        var episode = PlanEpisodes.Generate(new EpisodesConfig { Pushes = 1, Seed = 5 }, World)[0];
        const int k = 16;
        var variants = Enumerable.Range(0, k).Select(v => World.GoalVariant(episode, v, k)).ToArray();
        float lo = World.BorderLow + World.AgentRadius, hi = World.BorderHigh - World.AgentRadius;
        foreach (var g in variants)
        {
            Assert.Equal((episode.Goal[BallX], episode.Goal[BallY], 0f, 0f), (g[BallX], g[BallY], g[BallVx], g[BallVy]));
            Assert.Equal((0f, 0f), (g[AgentVx], g[AgentVy]));
            Assert.InRange(g[AgentX], lo, hi);
            Assert.InRange(g[AgentY], lo, hi);
        }
        // Spread over the arena: every quadrant holds an agent, and no two agents sit within 3 px of each other.
        float mid = (lo + hi) / 2;
        Assert.Equal(4, variants.Select(g => (g[AgentX] < mid, g[AgentY] < mid)).Distinct().Count());
        for (int i = 0; i < k; i++)
            for (int j = i + 1; j < k; j++)
                Assert.True(MathF.Abs(variants[i][AgentX] - variants[j][AgentX])
                    + MathF.Abs(variants[i][AgentY] - variants[j][AgentY]) > 3f, $"variants {i} and {j}");
    }

    [Fact]
    public void Given_goal_variants_Then_the_mpc_loop_gives_a_variant_model_each_episodes_variants_and_an_oracle_one_goal()
    {
        var scenes = new SceneBuilder(World, new RenderConfig { Layout = ObservationLayout.Channels, Size = 32 });
        using var renderer = new CpuRasterizer(scenes.Format);
        var episodes = PlanEpisodes.Generate(new EpisodesConfig { Pushes = 3, Seed = 7, Budget = 4 }, World);
        var config = new MpcConfig
        {
            Planner = new MppiConfig { Samples = 4, Iterations = 1 }, PlannerHorizon = 2, GoalVariants = 5,
        };
        var model = new RecordingModel();
        new MpcLoop(World, renderer, scenes, config, model, episodes).Step();
        var goals = model.Goals[0];
        Assert.Equal((5, 15), (goals.Variants, goals.Count));
        Assert.Equal(15 * scenes.Format.BytesPerFrame, goals.Frames.Length);
        for (int e = 0; e < 3; e++)
            for (int v = 0; v < 5; v++)
                Assert.Equal(World.GoalVariant(episodes[e], v, 5), goals.States.AsSpan((e * 5 + v) * StateDim, StateDim).ToArray());

        // An oracle is not a variant model: it plans to the one goal of each episode.
        var oracle = new RecordingOracle(PlanningModels.Oracle(World, OracleCost.Shaped, CostShape.Sum));
        new MpcLoop(World, renderer, scenes, config, oracle, episodes).Step();
        Assert.Equal((1, 3), (oracle.Goals[0].Variants, oracle.Goals[0].Count));
    }

    private sealed class RecordingOracle(IPlanningModel inner) : IPlanningModel
    {
        public List<Observations> Goals { get; } = [];
        public string Name => inner.Name;
        public void SetGoals(Observations goals) { Goals.Add(goals); inner.SetGoals(goals); }
        public void Observe(Observations current) => inner.Observe(current);
        public void Score(ReadOnlySpan<float> actions, int candidates, int horizon, Span<float> costs) =>
            inner.Score(actions, candidates, horizon, costs);
        public void Dispose() => inner.Dispose();
    }

    [Fact]
    public void Given_a_world_whose_goal_is_all_task_When_goal_variants_are_asked_Then_the_error_names_the_key_and_the_world()
    {
        var world = new TwoRoomsConfig();
        var scenes = new SceneBuilder(world, new RenderConfig { Layout = ObservationLayout.Channels, Size = 32 });
        using var renderer = new CpuRasterizer(scenes.Format);
        var episodes = PlanEpisodes.Generate(new EpisodesConfig { AcrossRooms = 1, SameRoom = 0 }, world);
        var e = Assert.Throws<ArgumentException>(() => new MpcLoop(world, renderer, scenes,
            new MpcConfig { GoalVariants = 4 }, new RecordingModel(), episodes));
        Assert.Contains("goalVariants", e.Message);
        Assert.Contains("two-rooms", e.Message);
    }
}
