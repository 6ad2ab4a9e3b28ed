namespace WorldModel.Cli.Tests;

[Collection("cli")]
public sealed class ConfigErrorTests
{
    private static CliRunner.Result Generate(TempFolder tmp, string json, params string[] sets)
    {
        File.WriteAllText(tmp["c.json"], json);
        var args = new List<string> { "data", "generate", "--config", tmp["c.json"], "--out", tmp["out"] };
        foreach (var s in sets) { args.Add("--set"); args.Add(s); }
        return CliRunner.Run(args.ToArray());
    }

    private const string Valid = """
        // comments are allowed
        { "name": "t", "episodes": 8, "steps": 4, "world": { "kind": "two-rooms" }, "policy": { "kind": "uniform" }, }
        """;

    [Fact]
    public void Given_an_unknown_key_Then_the_error_names_its_path_and_the_allowed_keys_and_nothing_is_written()
    {
        using var tmp = new TempFolder();
        var r = Generate(tmp, """{ "name": "t", "world": { "kind": "two-rooms", "maxStp": 2 } }""");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("world.maxStp: unknown key", r.Error);
        Assert.Contains("maxStep", r.Error);
        Assert.False(Directory.Exists(tmp["out"]));
    }

    [Theory]
    [InlineData("episodes=abc", "episodes: \"abc\" is not allowed; expected a whole number")]
    [InlineData("world.maxStep=100", "world.maxStep: 100 is out of range; allowed: 0.01 to 16")]
    [InlineData("policy.kind=teleport",
        "policy.kind: \"teleport\" is not allowed; allowed: uniform, random-walk, expert, random-pushes, noisy-pusher")]
    [InlineData("render.renderer=vulkan", "render.renderer: \"vulkan\" is not allowed; allowed: auto, gl, cpu")]
    [InlineData("policy.kind=noisy-pusher",
        "policy.kind: \"noisy-pusher\" cannot drive world \"two-rooms\"; it works with: push-ball")]
    [InlineData("world.layout.doorEnd=5", "world.layout.doorEnd: 5 must be at least 1 px above doorStart 6")]
    [InlineData("steps", "steps: an override must look like path.to.key=value")]
    public void Given_a_bad_override_Then_the_error_names_the_key_path_the_value_and_what_is_allowed(
        string set, string expected)
    {
        using var tmp = new TempFolder();
        var r = Generate(tmp, Valid, set);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(expected, r.Error);
        Assert.False(Directory.Exists(tmp["out"]));
    }

    [Fact]
    public void Given_several_problems_Then_all_are_reported_at_once()
    {
        using var tmp = new TempFolder();
        var r = Generate(tmp, Valid, "episodes=0", "steps=-1", "world.borderLow=99");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("episodes: 0 is out of range", r.Error);
        Assert.Contains("steps: -1 is out of range", r.Error);
        Assert.Contains("world.borderLow: 99 is out of range", r.Error);
    }

    [Fact]
    public void Given_invalid_json_or_a_missing_file_Then_the_error_says_so()
    {
        using var tmp = new TempFolder();
        Assert.Contains("not valid JSON", Generate(tmp, "{ \"name\": ").Error);
        var r = CliRunner.Run("data", "generate", "--config", tmp["nope.json"]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("config file not found", r.Error);
        Assert.Contains("nope.json", r.Error);
    }

    [Fact]
    public void Given_an_override_of_a_kind_the_file_omits_Then_that_section_starts_from_the_new_kinds_defaults()
    {
        using var tmp = new TempFolder();
        var r = Generate(tmp, Valid, "world.layout.kind=random", "world.layout.horizontalProbability=1");
        Assert.True(r.ExitCode == 0, r.Error);
        var manifest = File.ReadAllText(Path.Combine(tmp["out"], "dataset.json"));
        Assert.Contains("\"kind\": \"random\"", manifest);
        Assert.Contains("\"wallPositionMin\": 20", manifest);
        Assert.Contains("\"horizontalProbability\": 1", manifest);
    }

    [Fact]
    public void Given_a_missing_union_kind_Then_the_allowed_kinds_are_listed()
    {
        using var tmp = new TempFolder();
        var r = Generate(tmp, """{ "name": "t", "world": { "maxStep": 1 } }""");
        Assert.Contains("world.kind: missing; allowed: two-rooms, push-ball", r.Error);
    }

    [Fact]
    public void Given_every_committed_config_Then_it_validates_and_generates_on_a_tiny_budget()
    {
        using var tmp = new TempFolder();
        foreach (var path in Directory.GetFiles(Path.Combine(Repository.Root, "configs"), "*.json"))
        {
            string name = Path.GetFileNameWithoutExtension(path);
            // Training and experiment configs hold their data section (the file says which kind it is).
            string prefix = WorldModel.Core.Config.ConfigLoader.FileKind(
                WorldModel.Core.Config.ConfigLoader.LoadTree(path, [])) == "data" ? "" : "data.";
            var r = CliRunner.Run("data", "generate", "--config", path, "--set", prefix + "episodes=8",
                "--set", prefix + "chunkEpisodes=4", "--out", tmp[name]);
            Assert.True(r.ExitCode == 0, $"{name}: {r.Error}");
            Assert.True(File.Exists(Path.Combine(tmp[name], "dataset.json")), name);
        }
    }
}
