using WorldModel.Plan.Evaluation;
using WorldModel.Plan.Models;
using WorldModel.Plan.Mpc;
using WorldModel.Plan.Planners;
using WorldModel.Render;
using WorldModel.Render.Cpu;
using WorldModel.Worlds.TwoRooms;
using Xunit.Abstractions;

namespace WorldModel.Plan.Tests;

/// <summary>
/// Two-level planning on the true simulator: the hierarchy, not a learned model, is what is tested. With the
/// straight-line cost the wall traps a flat planner; a high level that looks ahead in straight stretches of k
/// steps finds the door with the same number of samples.
/// </summary>
public sealed class HierarchicalPlanningTests(ITestOutputHelper output)
{
    private static readonly TwoRoomsConfig World = new();

    private static EpisodeResult[] Run(IPlanningModel model, int horizon, PlannerConfig planner, int across, int same)
    {
        var scenes = new SceneBuilder(World, new RenderConfig { Layout = ObservationLayout.Channels });
        using var renderer = new CpuRasterizer(scenes.Format);
        var episodes = PlanEpisodes.Generate(
            new EpisodesConfig { AcrossRooms = across, SameRoom = same, Seed = 42 }, World);
        var runner = new MpcRunner(World, renderer, scenes, new MpcConfig
        {
            Planner = planner,
            PlannerHorizon = horizon,
            ReplanEvery = 4,
            BatchEpisodes = 16,
            Hierarchy = new HierarchyPlanConfig { Planner = planner },
        });
        return runner.Run(model, episodes);
    }

    [Fact]
    public void Given_goals_behind_the_wall_and_the_straight_line_cost_When_planned_with_the_same_samples_Then_the_hierarchy_crosses_where_flat_planning_is_trapped()
    {
        var planner = new MppiConfig { Samples = 64, Iterations = 2 };
        using var flatModel = PlanningModels.Oracle(World, OracleCost.Straight, CostShape.Min);
        var flat = Run(flatModel, 48, planner, across: 16, same: 0);
        using var hierModel = new HierarchicalOracle(
            World, () => PlanningModels.Oracle(World, OracleCost.Straight, CostShape.Min), skip: 8);
        var hier = Run(hierModel, 48, planner, across: 16, same: 0);
        string summary = $"flat {flat.Count(r => r.Strict)}/16, hierarchical {hier.Count(r => r.Strict)}/16";
        output.WriteLine(summary);
        Assert.True(hier.Count(r => r.Strict) >= 14, summary);
        Assert.True(hier.Count(r => r.Strict) >= flat.Count(r => r.Strict) + 5, summary);
    }

    [Fact]
    public void Given_goals_in_the_same_room_When_planned_hierarchically_Then_the_low_level_switches_to_the_goal_and_arrives()
    {
        var planner = new MppiConfig { Samples = 64, Iterations = 2 };
        using var model = new HierarchicalOracle(
            World, () => PlanningModels.Oracle(World, OracleCost.Straight, CostShape.Min), skip: 8);
        var results = Run(model, 32, planner, across: 0, same: 12);
        Assert.All(results, r => Assert.True(r.Strict && r.StrictStep <= 2 * r.TaskSteps + 10,
            $"#{r.Episode}: strict {r.Strict} at step {r.StrictStep} for a task of {r.TaskSteps} steps"));
    }

    [Fact]
    public void Given_a_macro_plan_When_the_oracle_imagines_its_jumps_Then_each_is_the_true_state_after_k_steps_of_it()
    {
        const int k = 4;
        using var model = new HierarchicalOracle(
            World, () => PlanningModels.Oracle(World, OracleCost.Straight, CostShape.Min), skip: k);
        var format = new SceneBuilder(World, new RenderConfig { Layout = ObservationLayout.Channels }).Format;
        var episode = PlanEpisodes.Generate(new EpisodesConfig { AcrossRooms = 0, SameRoom = 1, Seed = 3 }, World)[0];
        model.Observe(new Observations(1, format, [], episode.Start, episode.Layout));
        float[] macros = [1f, 0.5f, -0.5f, 1f, 0f, -1f];
        var jumps = model.ImagineJumps(macros, 3);

        var sim = World.CreateBatch(1);
        sim.Load(episode.Start, episode.Layout);
        Assert.Equal(3, jumps.Length);
        for (int j = 0; j < 3; j++)
        {
            for (int s = 0; s < k; s++) sim.Step(macros.AsSpan(2 * j, 2).ToArray());
            var state = new float[World.Spec.StateDim];
            sim.CopyState(state);
            Assert.Equal(state, jumps[j]);
        }
    }
}
