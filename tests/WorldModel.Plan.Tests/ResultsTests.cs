using WorldModel.Core.Config;
using WorldModel.Plan.Evaluation;
using WorldModel.Plan.Mpc;
using WorldModel.Worlds.TwoRooms;

namespace WorldModel.Plan.Tests;

public class ResultsTests
{
    [Fact]
    public void Wilson_interval_matches_known_values()
    {
        var (lo, hi) = Wilson.Interval(5, 10);
        Assert.Equal(0.2366, lo, 3);
        Assert.Equal(0.7634, hi, 3);
        var (lo0, hi0) = Wilson.Interval(0, 20);
        Assert.Equal(0, lo0, 6);
        Assert.Equal(0.1611, hi0, 3);
    }

    [Fact]
    public void Results_round_trip_through_json_and_csv_has_one_row_per_episode()
    {
        string folder = Path.Combine(Path.GetTempPath(), "wm-results-" + Guid.NewGuid().ToString("N"));
        var rows = new[]
        {
            new PlanRow("jepa/latent", 0, "mppi", 32,
                new EpisodeResult(
                    Episode: 0,
                    Kind: "across",
                    TaskSteps: 30,
                    Budget: 200,
                    Strict: true,
                    Loose: true,
                    StrictStep: 41,
                    LooseStep: 38,
                    Steps: 41,
                    FinalDistance: 0.9f,
                    MinDistance: 0.9f,
                    Replans: 21,
                    PlanSeconds: 0.5)),
            new PlanRow("oracle/geodesic", 1, "cem", 16,
                new EpisodeResult(
                    Episode: 1,
                    Kind: "same",
                    TaskSteps: 9,
                    Budget: 200,
                    Strict: false,
                    Loose: true,
                    StrictStep: -1,
                    LooseStep: 12,
                    Steps: 200,
                    FinalDistance: 2.5f,
                    MinDistance: 2.1f,
                    Replans: 100,
                    PlanSeconds: 0.25)),
        };
        PlanResults.Write(folder, rows);
        Assert.Equal(rows, PlanResults.Read(folder));
        var csv = File.ReadAllLines(Path.Combine(folder, "results.csv"));
        Assert.Equal(3, csv.Length);
        Assert.StartsWith("method,seed,planner,planner_horizon,episode,kind,task_steps", csv[0]);
        Directory.Delete(folder, true);
    }

    [Fact]
    public void A_results_file_of_format_1_reads_with_the_planner_horizon_and_task_steps_under_their_new_names()
    {
        string path = Path.GetTempFileName();
        File.WriteAllText(path, """
            {"version":1,"rows":[{"method":"oracle/geodesic","seed":0,"planner":"mppi","horizon":16,"result":{"episode":0,"kind":"across",
            "taskHorizon":29,"budget":200,"strict":true,"loose":true,"strictStep":40,"looseStep":38,"steps":40,"finalDistance":1.38,
            "minDistance":1.38,"replans":10,"planSeconds":0.03}}]}
            """);
        var row = Assert.Single(PlanResults.Read(path));
        File.Delete(path);
        Assert.Equal((16, 29, 40), (row.PlannerHorizon, row.Result.TaskSteps, row.Result.StrictStep));
    }

    [Fact]
    public void Episodes_file_round_trips_and_bad_entries_are_named()
    {
        var world = new TwoRoomsConfig();
        var episodes = PlanEpisodes.Generate(new EpisodesConfig { AcrossRooms = 3, SameRoom = 2 }, world);
        string path = Path.GetTempFileName();
        File.WriteAllText(path, PlanEpisodes.ToJson(episodes, world));
        var back = PlanEpisodes.Load(path, world);
        Assert.Equal(episodes.Select(e => (e.Kind, e.TaskSteps, e.Budget, e.Start[0], e.Goal[1])),
            back.Select(e => (e.Kind, e.TaskSteps, e.Budget, e.Start[0], e.Goal[1])));

        File.WriteAllText(path, """
            [ { "layout": { "horizontal": 0, "wall_low": 31, "wall_high": 33, "door_low": 6, "door_high": 14 }, "start": [10, 80], "goal": [32, 30], "budget": 200 },
              { "layout": { "horizontal": 0, "wall_low": 31, "wall_high": 33, "door_low": 6 }, "start": [10, 10], "goal": [50, 50] } ]
            """);
        var error = Assert.Throws<ConfigException>(() => PlanEpisodes.Load(path, world));
        Assert.Contains("[0].start", error.Message);
        Assert.Contains("outside the arena", error.Message);
        Assert.Contains("[0].goal", error.Message);   // inside the wall
        Assert.Contains("[1].layout.door_high", error.Message);
        Assert.Contains("[1].budget", error.Message);
        File.Delete(path);
    }
}

public sealed class ResultsComparisonTests
{
    private static PlanRow Row(string method, int episode, bool strict = true, double seconds = 0.5) =>
        new(method, 0, "mppi", 16, new EpisodeResult(
            Episode: episode,
            Kind: PlanEpisode.Same,
            TaskSteps: 10,
            Budget: 200,
            Strict: strict,
            Loose: true,
            StrictStep: strict ? 12 : -1,
            LooseStep: 11,
            Steps: 12,
            FinalDistance: 1.1f,
            MinDistance: 0.9f,
            Replans: 3,
            PlanSeconds: seconds));

    [Fact]
    public void Given_runs_that_differ_only_in_timing_Then_they_compare_identical()
    {
        var c = ResultsComparison.Of([Row("jepa/latent", 0), Row("jepa/latent", 1)],
            [Row("jepa/latent", 1, seconds: 9), Row("jepa/latent", 0, seconds: 3)]);
        Assert.True(c.Identical);
        Assert.Equal(2, c.Methods.Single().Same);
    }

    [Fact]
    public void Given_an_episode_that_differs_and_one_missing_Then_each_is_counted_under_its_method()
    {
        var c = ResultsComparison.Of([Row("oracle/geodesic", 0), Row("jepa/latent", 0), Row("jepa/latent", 1)],
            [Row("oracle/geodesic", 0), Row("jepa/latent", 0, strict: false)]);
        Assert.False(c.Identical);
        var jepa = c.Methods.Single(m => m.Name == "jepa/latent");
        Assert.Equal((0, 1, 1, 0), (jepa.Same, jepa.Different, jepa.OnlyInFirst, jepa.OnlyInSecond));
        Assert.True(c.Methods.Single(m => m.Name == "oracle/geodesic").Identical);
    }
}
