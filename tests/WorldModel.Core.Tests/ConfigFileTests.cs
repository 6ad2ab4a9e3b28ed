using WorldModel.Core.Config;

namespace WorldModel.Core.Tests;

/// <summary>Config files: the kind they say they are, and extending a base file with overrides.</summary>
public sealed class ConfigFileTests
{
    [ConfigFileKind("experiment")]
    private sealed record Experiment
    {
        public string Name { get; init; } = "x";
        public Section Plan { get; init; } = new();
        public int[] Horizons { get; init; } = [];
    }

    private sealed record Section
    {
        [Range(1, 1000)] public int Samples { get; init; } = 8;
        [Range(1, 10)] public int Iterations { get; init; } = 1;
    }

    [Fact]
    public void Given_a_file_that_extends_a_base_Then_objects_merge_key_by_key_and_lists_replace()
    {
        using var tmp = new TempFolder();
        File.WriteAllText(tmp["base.json"], """{ "kind": "experiment", "name": "base", "plan": { "samples": 64, "iterations": 3 }, "horizons": [16, 32] }""");
        File.WriteAllText(tmp["child.json"], """
            // a comment, as in every config
            { "kind": "experiment", "extends": "base.json", "name": "child", "plan": { "samples": 128 }, "horizons": [48] }
            """);
        var c = ConfigLoader.LoadFile<Experiment>(tmp["child.json"]);
        Assert.Equal(("child", 128, 3), (c.Name, c.Plan.Samples, c.Plan.Iterations));
        Assert.Equal([48], c.Horizons);
        // The resolved config holds neither "kind" nor "extends": a run's saved config and its id are what they were.
        Assert.DoesNotContain("extends", ConfigLoader.ToJson(c));
        Assert.DoesNotContain("\"kind\"", ConfigLoader.ToJson(c));
        // --set applies on top of the resolved file.
        Assert.Equal(7, ConfigLoader.LoadFile<Experiment>(tmp["child.json"], ["plan.iterations=7"]).Plan.Iterations);
    }

    [Fact]
    public void Given_an_override_of_a_list_element_Then_index_and_brackets_both_address_it_and_a_wrong_index_says_why()
    {
        using var tmp = new TempFolder();
        File.WriteAllText(tmp["e.json"], """{ "kind": "experiment", "horizons": [16, 32] }""");
        var set = ConfigLoader.LoadFile<Experiment>(tmp["e.json"], ["horizons.0=5", "horizons[1]=7"]);
        Assert.Equal([5, 7], set.Horizons);
        var e = Assert.Throws<ConfigException>(
            () => ConfigLoader.LoadFile<Experiment>(tmp["e.json"], ["horizons[2]=1"]));
        Assert.Contains("'horizons' is a list of 2; address an element by its index, 0 to 1", e.Message);
    }

    [Fact]
    public void Given_a_file_of_another_kind_Then_the_error_names_both_kinds()
    {
        using var tmp = new TempFolder();
        File.WriteAllText(tmp["t.json"], """{ "kind": "training", "name": "t" }""");
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.LoadFile<Experiment>(tmp["t.json"]));
        Assert.Contains("kind", e.Message);
        Assert.Contains("\"experiment\"", e.Message);
        Assert.Contains("\"training\" config", e.Message);
    }

    [Fact]
    public void Given_extends_that_loops_or_is_missing_Then_each_is_a_clear_error()
    {
        using var tmp = new TempFolder();
        File.WriteAllText(tmp["a.json"], """{ "extends": "b.json" }""");
        File.WriteAllText(tmp["b.json"], """{ "extends": "a.json" }""");
        Assert.Contains("extends this file again",
            Assert.Throws<ConfigException>(() => ConfigLoader.LoadFile<Experiment>(tmp["a.json"])).Message);
        File.WriteAllText(tmp["c.json"], """{ "extends": "nowhere.json" }""");
        Assert.Contains("base file 'nowhere.json' not found",
            Assert.Throws<ConfigException>(() => ConfigLoader.LoadFile<Experiment>(tmp["c.json"])).Message);
        File.WriteAllText(tmp["d.json"], """{ "kind": "training", "extends": "e.json" }""");
        File.WriteAllText(tmp["e.json"], """{ "kind": "experiment" }""");
        Assert.Contains("extends a \"experiment\" config",
            Assert.Throws<ConfigException>(() => ConfigLoader.LoadFile<Experiment>(tmp["d.json"])).Message);
    }
}
