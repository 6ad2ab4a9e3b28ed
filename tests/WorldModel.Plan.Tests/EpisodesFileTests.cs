using WorldModel.Core.Config;
using WorldModel.Plan.Evaluation;
using WorldModel.Worlds.TwoRooms;

namespace WorldModel.Plan.Tests;

/// <summary>An episodes file is checked whole before planning: an unsolvable task is named, never planned (issue 15,
/// defect 4).</summary>
public class EpisodesFileTests
{
    private static ConfigException Load(string json)
    {
        using var tmp = new TempFolder();
        File.WriteAllText(tmp["episodes.json"], json);
        return Assert.Throws<ConfigException>(() => PlanEpisodes.Load(tmp["episodes.json"], new TwoRoomsConfig()));
    }

    private const string Good =
        """{"horizontal": 0, "wall_low": 31, "wall_high": 33, "door_low": 6, "door_high": 14}""";

    [Fact]
    public void Given_drawn_episodes_When_written_and_read_back_Then_they_are_the_same()
    {
        using var tmp = new TempFolder();
        var drawn = PlanEpisodes.Generate(new EpisodesConfig { AcrossRooms = 3, SameRoom = 2 }, new TwoRoomsConfig());
        File.WriteAllText(tmp["e.json"], PlanEpisodes.ToJson(drawn, new TwoRoomsConfig()));
        var read = PlanEpisodes.Load(tmp["e.json"], new TwoRoomsConfig());
        Assert.Equal(PlanEpisodes.ToJson(drawn, new TwoRoomsConfig()), PlanEpisodes.ToJson(read, new TwoRoomsConfig()));
    }

    [Theory]
    [InlineData("""{"horizontal": 0, "wall_low": 31, "wall_high": 33, "door_low": 14, "door_high": 6}""",
        "[0].layout.door_low")]
    [InlineData("""{"horizontal": 0, "wall_low": 33, "wall_high": 31, "door_low": 6, "door_high": 14}""",
        "[0].layout.wall_low")]
    [InlineData("""{"horizontal": 7, "wall_low": 31, "wall_high": 33, "door_low": 6, "door_high": 14}""",
        "[0].layout.horizontal")]
    [InlineData("""{"horizontal": 0, "wall_low": 31, "wall_high": 33, "door_low": 6, "door_high": 14, "door_mid": 3}""", "[0].layout.door_mid")]
    [InlineData("""{"horizontal": 0, "wall_low": 2, "wall_high": 5, "door_low": 6, "door_high": 14}""",
        "[0].layout.wall_low")]
    public void Given_an_impossible_layout_When_loaded_Then_the_bad_key_is_named_with_what_is_allowed(
        string layout, string key)
    {
        var e = Load($$"""[{"layout": {{layout}}, "start": [10, 30], "goal": [50, 30], "budget": 200}]""");
        var error = Assert.Single(e.Errors);
        Assert.Equal(key, error.KeyPath);
        Assert.Matches("allowed|must|not below|not at least", error.Message);
    }

    [Fact]
    public void Given_an_unknown_key_in_an_episode_When_loaded_Then_it_is_named()
    {
        var e = Load(
            $$"""[{"layout": {{Good}}, "start": [10, 30], "goal": [50, 30], "budget": 200, "goals": [1, 2]}]""");
        Assert.Equal("[0].goals", Assert.Single(e.Errors).KeyPath);
    }

    [Fact]
    public void Given_broken_json_When_loaded_Then_the_line_counts_from_one()
    {
        var e = Load("[\n  {\"budget\": }\n]");
        Assert.StartsWith("not valid JSON at line 2", Assert.Single(e.Errors).Message);
    }
}
