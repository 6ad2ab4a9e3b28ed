namespace WorldModel.Cli.Tests;

// In the "cli" collection as every test that runs the CLI in-process: a demo sets torch's thread count while it
// runs, and the Slurm tests read that count to size their jobs.
[Collection("cli")]
public sealed class DemoCommandTests
{
    [Fact]
    public void Given_the_shipped_models_When_an_episode_is_recorded_Then_a_gif_and_a_strip_are_written()
    {
        using var tmp = new TempFolder();
        string gif = Path.Combine(tmp["rec"], "episode.gif");
        var r = CliRunner.Run("demo", "record", "--out", gif, "--model", "oracle", "--goal", "20,36",
            "--device", "cpu");
        Assert.True(r.ExitCode == 0, r.Error + r.Out);
        Assert.True(File.Exists(gif) && File.Exists(Path.ChangeExtension(gif, ".png")));
        Assert.Contains("goal reached", r.Out);
    }

    [Fact]
    public void Given_a_goal_behind_the_wall_When_the_straight_oracle_is_recorded_in_two_levels_Then_it_is_reached()
    {
        using var tmp = new TempFolder();
        string gif = Path.Combine(tmp["rec"], "two-level.gif");
        var r = CliRunner.Run("demo", "record", "--out", gif, "--model", "oracle-straight", "--two-level",
            "--goal", "50,40", "--horizon", "48", "--steps", "120", "--device", "cpu");
        Assert.True(r.ExitCode == 0, r.Error + r.Out);
        Assert.Contains("oracle-straight in two levels: goal reached", r.Out);
    }

    [Fact]
    public void Given_explore_When_the_shipped_jepa_is_recorded_Then_the_gif_is_written_and_the_output_says_why()
    {
        using var tmp = new TempFolder();
        string gif = Path.Combine(tmp["rec"], "explore.gif");
        var r = CliRunner.Run("demo", "record", "--out", gif, "--model", "jepa", "--explore", "--steps", "10",
            "--device", "cpu");
        Assert.True(r.ExitCode == 0, r.Error + r.Out);
        Assert.True(File.Exists(gif) && File.Exists(Path.ChangeExtension(gif, ".png")));
        Assert.Contains("jepa: explored 11 states; heading to", r.Out); // the start and one state per step
    }

    [Fact]
    public void Given_no_high_level_When_recorded_in_two_levels_Then_the_error_names_the_models_that_can()
    {
        using var tmp = new TempFolder();
        // The shipped JEPA without its high level.
        string shipped = Repository.Path("experiments/reference/quickstart/models/jepa-seed0");
        var r = CliRunner.Run("demo", "record", "--out", Path.Combine(tmp["rec"], "e.gif"), "--model", "jepa",
            "--checkpoint", shipped, "--two-level", "--device", "cpu");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("models that plan in two levels: oracle, oracle-straight", r.Error);
    }

    [Theory]
    [InlineData("--out", "episode.txt", "must name a .gif file")]
    [InlineData("--goal", "32,40", "--goal: (32.0, 40.0) is outside the free arena")]
    [InlineData("--goal", "left", "--goal 'left' is not a point")]
    [InlineData("--model", "dreamer", "allowed: jepa, pixel, pixel-latent, oracle, oracle-straight")]
    [InlineData("--samples", "1", "allowed: 4 to 2048")]
    [InlineData("--steps", "0", "--steps 0 is out of range")]
    [InlineData("--checkpoint", "no/such/folder", "does not exist")]
    public void Given_bad_record_options_Then_the_error_names_what_is_allowed(
        string option, string value, string expected)
    {
        using var tmp = new TempFolder();
        var args = new List<string> { "demo", "record", "--device", "cpu" };
        if (option != "--out") args.AddRange(["--out", Path.Combine(tmp["rec"], "e.gif")]);
        args.AddRange([option, value]);
        var r = CliRunner.Run(args.ToArray());
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains(expected, r.Error);
    }

    [Theory]
    [InlineData("--port", "70000", "allowed: 0 to 65535")]
    [InlineData("--host", "my-laptop", "--host 'my-laptop' is not an IP address")]
    public void Given_a_bad_port_or_host_Then_demo_refuses_before_loading_anything(
        string option, string value, string expected)
    {
        var r = CliRunner.Run("demo", option, value, "--no-browser");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains(expected, r.Error);
        Assert.DoesNotContain("loading models", r.Out); // refused first, not after the models' load
    }

    [Fact]
    public void Given_another_working_folder_When_an_episode_is_recorded_Then_the_shipped_models_are_found()
    {
        using var tmp = new TempFolder();
        string gif = Path.Combine(tmp["rec"], "episode.gif");
        var r = CliRunner.RunProcessWithOutputIn(new Dictionary<string, string>(), tmp.Path,
            "demo", "record", "--out", gif, "--model", "oracle", "--goal", "20,36", "--steps", "5", "--device", "cpu");
        Assert.True(r.ExitCode == 0, r.Error + r.Out);
        Assert.True(File.Exists(gif));
    }
}
