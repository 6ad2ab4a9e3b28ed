using WorldModel.Core.Config;
using WorldModel.Plan.Evaluation;
using WorldModel.Plan.Models;
using WorldModel.Plan.Mpc;
using WorldModel.Plan.Planners;
using WorldModel.Render;
using WorldModel.Render.Cpu;
using WorldModel.Worlds.Maze;
using Xunit.Abstractions;

namespace WorldModel.Plan.Tests;

/// <summary>Maze planning: episodes by cell distance in unseen layouts, benchmark files, the oracles in MPC.</summary>
public class MazePlanningTests(ITestOutputHelper output)
{
    private EpisodeResult[] Run(MazeConfig world, EpisodesConfig episodes, OracleCost cost, int horizon = 32)
    {
        var scenes = new SceneBuilder(world, new RenderConfig { Layout = ObservationLayout.Channels });
        using var renderer = new CpuRasterizer(scenes.Format);
        var drawn = PlanEpisodes.Generate(episodes, world);
        var runner = new MpcRunner(world, renderer, scenes, new MpcConfig
        {
            Planner = new MppiConfig { Samples = 128, Iterations = 2 },
            PlannerHorizon = horizon,
            ReplanEvery = 4,
            BatchEpisodes = 16
        });
        using var model = PlanningModels.Oracle(world, cost, CostShape.Sum);
        var results = runner.Run(model, drawn);
        output.WriteLine($"{world.Describe()} {cost}: strict {results.Count(r => r.Strict)}/{results.Length}; "
            + string.Join(", ", results.Select(r => $"{r.Kind} {r.StrictStep}/{r.TaskSteps}")));
        return results;
    }

    [Theory]
    [InlineData(3, new[] { 1, 3, 5 }, "d5+")]
    [InlineData(4, new[] { 1, 5, 9 }, "d9+")]
    public void Given_the_geodesic_oracle_Then_MPC_solves_every_episode_up_to_the_longest_bin_in_about_the_experts_time(
        int cells, int[] bins, string longest)
    {
        var world = new MazeConfig { Cells = cells };
        var results = Run(world, new EpisodesConfig { MazePairs = 4, MazeDistances = bins, Seed = 42 },
            OracleCost.Geodesic);
        Assert.Equal(4, results.Count(r => r.Kind == longest));
        var failed = results.Where(r => !r.Strict).ToArray();
        Assert.True(failed.Length == 0, $"{failed.Length} of {results.Length} failed: "
            + string.Join("; ", failed.Select(r => $"#{r.Episode} {r.Kind} final {r.FinalDistance:F1} px")));
        foreach (var r in results) Assert.True(r.StrictStep <= 2 * r.TaskSteps + 10,
            $"#{r.Episode}: {r.StrictStep} steps for a task of {r.TaskSteps}");
    }

    [Fact]
    public void Given_far_apart_cells_Then_the_straight_line_cost_is_trapped_by_walls_the_geodesic_cost_goes_round()
    {
        var world = new MazeConfig();
        var episodes = new EpisodesConfig { MazePairs = 8, MazeDistances = [5], Seed = 7 };
        var straight = Run(world, episodes, OracleCost.Straight);
        var geodesic = Run(world, episodes, OracleCost.Geodesic);
        Assert.Equal(8, geodesic.Count(r => r.Strict));
        Assert.True(straight.Count(r => r.Strict) <= 4, $"straight {straight.Count(r => r.Strict)}/8");
    }

    [Fact]
    public void Given_distance_bins_Then_episodes_lie_in_their_bins_in_free_points_with_the_geodesic_task_steps()
    {
        var world = new MazeConfig();
        var config = new EpisodesConfig { MazePairs = 30, MazeDistances = [0, 1, 3, 5], Seed = 5 };
        var episodes = PlanEpisodes.Generate(config, world);
        Assert.Equal(["d0", "d1-2", "d3-4", "d5+"], episodes.Select(e => e.Kind).Distinct());
        var batch = new MazeBatch(world, 1);
        foreach (var e in episodes)
        {
            var layout = MazeLayout.ReadFrom(3, e.Layout);
            int from = batch.Cell(e.Start[0], e.Start[1]), to = batch.Cell(e.Goal[0], e.Goal[1]);
            int distance = layout.CellDistances(from)[to];
            Assert.True(e.Kind switch
            {
                "d0" => distance == 0,
                "d1-2" => distance is 1 or 2,
                "d3-4" => distance is 3 or 4,
                _ => distance >= 5,
            }, $"#{e.Id} {e.Kind} at distance {distance}");
            batch.SetLayout(0, layout);
            Assert.True(batch.IsFree(0, e.Start[0], e.Start[1], config.Margin - 1e-4f));
            Assert.True(batch.IsFree(0, e.Goal[0], e.Goal[1], config.Margin - 1e-4f));
            float straight = MathF.Sqrt(MathF.Pow(e.Goal[0] - e.Start[0], 2) + MathF.Pow(e.Goal[1] - e.Start[1], 2));
            Assert.True(e.TaskSteps >= (int)MathF.Ceiling(straight / world.MaxStep - 1e-4f));
            float way = batch.Geometry(0).Geodesic(e.Start[0], e.Start[1], e.Goal[0], e.Goal[1]);
            Assert.Equal((int)MathF.Ceiling(way / world.MaxStep), e.TaskSteps);
        }
        Assert.Equal(episodes.Select(e => e.Goal[0]), PlanEpisodes.Generate(config, world).Select(e => e.Goal[0]));
        string described = world.DescribeEpisodes(episodes);
        Assert.Contains("30 d5+", described);
        Assert.Contains("20 training layouts", described);
    }

    [Fact]
    public void Given_configs_asking_for_no_or_impossible_episodes_Then_the_key_to_set_is_named()
    {
        var world = new MazeConfig();
        Assert.Null(world.NoEpisodes(new EpisodesConfig()));
        Assert.Contains("episodes.mazePairs", world.NoEpisodes(new EpisodesConfig { MazePairs = 0 }));
        Assert.Contains("up to 8", world.NoEpisodes(new EpisodesConfig { MazeDistances = [1, 9] }));
        Assert.Contains("episodes.margin", world.NoEpisodes(new EpisodesConfig { Margin = 9 }));
        var e = Assert.Throws<ConfigException>(() => ConfigBinder.Bind<EpisodesConfig>(
            System.Text.Json.Nodes.JsonNode.Parse("""{"mazeDistances": [1, 3, 3]}"""), "test"));
        Assert.Equal("mazeDistances[2]", Assert.Single(e.Errors).KeyPath);
    }

    [Fact]
    public void Given_drawn_maze_episodes_When_written_and_read_back_Then_they_are_the_same()
    {
        using var tmp = new TempFolder();
        var world = new MazeConfig();
        var drawn = PlanEpisodes.Generate(new EpisodesConfig { MazePairs = 2, Seed = 3 }, world);
        File.WriteAllText(tmp["e.json"], PlanEpisodes.ToJson(drawn, world));
        var read = PlanEpisodes.Load(tmp["e.json"], world);
        Assert.Equal(PlanEpisodes.ToJson(drawn, world), PlanEpisodes.ToJson(read, world));
        Assert.Equal(drawn.Select(e => e.TaskSteps), read.Select(e => e.TaskSteps));
    }

    // A 3×3 perfect maze: walls on edges 0 (x1, row 0), 4 (x2, row 1), 9 (y2, col 0) and 11 (y2, col 2).
    private const string Maze = "[1, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 1]";

    [Theory]
    [InlineData("[1, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0]", "", "[0].layout", "12 edges")]
    [InlineData("[1, 0, 0, 0, 2, 0, 0, 0, 0, 1, 0, 1]", "", "[0].layout[4]", "allowed: 0 (open) or 1 (wall)")]
    [InlineData("[1, 0, 0, 1, 1, 0, 0, 1, 0, 0, 1, 1]", "", "[0].layout", "not connected")]
    [InlineData(Maze, ", \"kind\": \"d5+\"", "[0].kind", "allowed: a bin holding it")]
    public void Given_an_impossible_maze_episode_When_loaded_Then_the_bad_key_is_named_with_what_is_allowed(
        string layout, string extra, string key, string message)
    {
        var e = Load($$"""[{"layout": {{layout}}, "start": [10, 10], "goal": [12, 12], "budget": 200{{extra}}}]""");
        var error = Assert.Single(e.Errors);
        Assert.Equal(key, error.KeyPath);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Given_a_start_inside_a_wall_When_loaded_Then_it_is_named()
    {
        // Edge 0's wall is x ∈ [21.67, 23.67] from the border to y ≈ 23.7.
        var e = Load($$"""[{"layout": {{Maze}}, "start": [22.5, 10], "goal": [12, 12], "budget": 200}]""");
        Assert.Equal("[0].start", Assert.Single(e.Errors).KeyPath);
    }

    [Fact]
    public void Given_a_hand_written_maze_episode_When_loaded_Then_its_kind_is_the_cell_distance_and_steps_the_path()
    {
        using var tmp = new TempFolder();
        // From cell 0 to cell 1 round the wall on edge 0: down into cell 3, across to 4, up to 1.
        File.WriteAllText(tmp["e.json"],
            $$"""[{"layout": {{Maze}}, "start": [13, 13], "goal": [32, 13], "budget": 100}]""");
        var episode = Assert.Single(PlanEpisodes.Load(tmp["e.json"], new MazeConfig()));
        Assert.Equal("d3", episode.Kind);
        Assert.True(episode.TaskSteps > 19 / 1.85f + 2);
    }

    private static ConfigException Load(string json)
    {
        using var tmp = new TempFolder();
        File.WriteAllText(tmp["episodes.json"], json);
        return Assert.Throws<ConfigException>(() => PlanEpisodes.Load(tmp["episodes.json"], new MazeConfig()));
    }
}
