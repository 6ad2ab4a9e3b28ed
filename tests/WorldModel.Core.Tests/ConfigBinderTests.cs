using WorldModel.Core.Config;

namespace WorldModel.Core.Tests;

public enum Shade { Light, [ConfigName("very-dark")] VeryDark }

[ConfigUnion(typeof(SquareConfig), typeof(DiskConfig), typeof(StarConfig))]
public abstract record ShapeConfig
{
    [Range(0, 100)] public float Size { get; init; } = 1f;
}

[ConfigName("square")]
public sealed record SquareConfig : ShapeConfig
{
    public bool Filled { get; init; }
}

[ConfigName("disk")]
public sealed record DiskConfig : ShapeConfig
{
    [Range(1, 64)] public int Segments { get; init; } = 16;
}

/// <summary>Cases may share an abstract record below the union (as active collection strategies do).</summary>
public abstract record PointedConfig : ShapeConfig
{
    [Range(3, 12)] public int Points { get; init; } = 5;
}

[ConfigName("star")]
public sealed record StarConfig : PointedConfig;

public sealed record LimitsConfig : IValidatable
{
    [Range(0, 10)] public int Low { get; init; }
    [Range(0, 10)] public int High { get; init; } = 5;

    public IEnumerable<ConfigError> Validate()
    {
        if (High < Low) yield return new("high", $"{High} is below low ({Low})");
    }
}

public sealed record SceneConfig
{
    [Range(1, 4096)] public int Count { get; init; } = 8;
    public long Seed { get; init; }
    public string Name { get; init; } = "scene";
    public Shade Shade { get; init; } = Shade.Light;
    [Range(1, 10)] public int[] Sizes { get; init; } = [1, 2];
    public ShapeConfig Shape { get; init; } = new SquareConfig();
    public LimitsConfig Limits { get; init; } = new();
}

/// <summary>Every config error message comes from the binder: each names the key path, what was found and what
/// is allowed.</summary>
public class ConfigBinderTests
{
    private static ConfigException Fails(string json, params string[] sets) =>
        Assert.Throws<ConfigException>(() => ConfigLoader.Parse<SceneConfig>(json, "test.json", sets));

    private static string Only(ConfigException e) => Assert.Single(e.Errors).ToString();

    [Fact]
    public void Given_a_case_below_an_abstract_record_When_overridden_with_set_Then_its_kind_survives_the_round_trip()
    {
        // --set rebinds the resolved tree, which Unbind writes: a case must name its kind there too.
        var c = ConfigLoader.Parse<SceneConfig>("{\"shape\": {\"kind\": \"star\"}}", "test.json", ["count=3"]);
        var star = Assert.IsType<StarConfig>(c.Shape);
        Assert.Equal(5, star.Points);
        Assert.Equal("star", ConfigBinder.Unbind(c)!["shape"]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public void Given_defaults_only_When_bound_Then_every_default_comes_from_the_record()
    {
        var c = ConfigLoader.Parse<SceneConfig>("{}", "test.json");
        Assert.Equal(new SceneConfig().Count, c.Count);
        Assert.IsType<SquareConfig>(c.Shape);
    }

    [Fact]
    public void Given_an_unknown_key_Then_the_error_lists_the_keys_allowed_there()
    {
        Assert.Equal("shape.colour: unknown key; allowed keys here: size, filled",
            Only(Fails("""{"shape": {"kind": "square", "colour": 3}}""")));
    }

    [Theory]
    [InlineData("""{"count": true}""", "count: true is not allowed; expected a whole number")]
    [InlineData("""{"count": 2.5}""", "count: 2.5 is not allowed; expected a whole number")]
    [InlineData("""{"count": null}""", "count: null is not allowed; expected a whole number")]
    [InlineData("""{"name": 3}""", "name: 3 is not allowed; expected a string")]
    [InlineData("""{"limits": 3}""", "limits: 3 is not allowed; expected an object with keys low, high")]
    [InlineData("""{"sizes": 3}""", "sizes: 3 is not allowed; expected a list")]
    [InlineData("""{"shade": "dark"}""", "shade: \"dark\" is not allowed; allowed: light, very-dark")]
    public void Given_a_value_of_the_wrong_type_Then_the_error_says_what_the_key_takes_in_config_words(
        string json, string message)
    {
        var error = Only(Fails(json));
        Assert.Equal(message, error);
        Assert.DoesNotContain("Int32", error);
    }

    [Fact]
    public void Given_a_number_out_of_range_Then_the_error_gives_the_allowed_range()
    {
        Assert.Equal("count: 0 is out of range; allowed: 1 to 4096", Only(Fails("""{"count": 0}""")));
    }

    [Fact]
    public void Given_a_huge_whole_number_Then_it_is_out_of_range_not_a_fraction()
    {
        Assert.Equal("count: 1e12 is out of range; allowed: 1 to 4096", Only(Fails("""{"count": 1e12}""")));
        Assert.Contains("is out of range; allowed: -9223372036854775808 to 9223372036854775807",
            Only(Fails("""{"seed": 1e30}""")));
    }

    [Fact]
    public void Given_a_range_on_a_list_Then_each_element_is_checked_not_the_length()
    {
        Assert.Equal("sizes[1]: 20 is out of range; allowed: 1 to 10", Only(Fails("""{"sizes": [3, 20]}""")));
        Assert.Equal(new[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 10, 10 },
            ConfigLoader.Parse<SceneConfig>("""{"sizes": [1,2,3,4,5,6,7,8,9,10,10,10]}""", "t").Sizes);
    }

    [Fact]
    public void Given_a_union_without_or_with_an_unknown_kind_Then_the_kinds_allowed_are_listed()
    {
        Assert.Equal("shape.kind: missing; allowed: square, disk, star", Only(Fails("""{"shape": {"size": 2}}""")));
        Assert.Equal("shape.kind: \"hexagon\" is not allowed; allowed: square, disk, star",
            Only(Fails("""{"shape": {"kind": "hexagon"}}""")));
    }

    [Fact]
    public void Given_errors_in_several_places_Then_all_are_reported_in_one_pass_including_cross_field_checks()
    {
        var e = Fails("""{"count": -1, "name": 4, "limits": {"low": 7, "high": 2}}""");
        Assert.Equal(new[] { "count", "name", "limits.high" }, e.Errors.Select(x => x.KeyPath));
        Assert.Contains("limits.high: 2 is below low (7)", e.Message);
    }

    [Fact]
    public void Given_broken_json_Then_the_line_and_column_count_from_one()
    {
        var e = Fails("{\n  \"count\": 3,\n  \"name\" \"x\"\n}");
        var error = Only(e);
        Assert.StartsWith("(root): not valid JSON at line 3, column 10: ", error);
        Assert.DoesNotContain("LineNumber", error);
    }

    [Fact]
    public void Given_an_override_before_a_kind_switch_When_loaded_Then_the_switch_resets_defaults_and_the_override_still_applies()
    {
        // Issue 15, defect 3: "samples=8 then kind=cem" ran CEM with its default samples.
        var c = ConfigLoader.Parse<SceneConfig>("{}", "t", ["shape.segments=5", "shape.kind=disk", "shape.size=3"]);
        var disk = Assert.IsType<DiskConfig>(c.Shape);
        Assert.Equal(5, disk.Segments);
        Assert.Equal(3f, disk.Size);
        var same = ConfigLoader.Parse<SceneConfig>("{}", "t", ["shape.kind=disk", "shape.segments=5", "shape.size=3"]);
        Assert.Equal(ConfigLoader.ToJson(c), ConfigLoader.ToJson(same));
    }

    [Fact]
    public void Given_a_kind_switch_When_loaded_Then_keys_of_the_old_kind_are_gone()
    {
        var c = ConfigLoader.Parse<SceneConfig>("""{"shape": {"kind": "square", "filled": true, "size": 9}}""", "t",
            ["shape.kind=disk"]);
        Assert.Equal(new DiskConfig(), c.Shape);
    }

    [Fact]
    public void Given_an_override_that_cannot_descend_or_has_no_equals_Then_both_are_named()
    {
        var e = Assert.Throws<ConfigException>(() =>
            ConfigLoader.Parse<SceneConfig>("{}", "t", ["count.x=1", "count"]));
        Assert.Equal(2, e.Errors.Count);
        Assert.Contains(e.Errors, x => x.Message.Contains("cannot descend here", StringComparison.Ordinal));
        Assert.Contains(e.Errors, x => x.Message.Contains("path.to.key=value", StringComparison.Ordinal));
    }

    [Fact]
    public void Given_a_bound_config_When_unbound_and_bound_again_Then_it_is_the_same_and_hashes_the_same()
    {
        var c = ConfigLoader.Parse<SceneConfig>(
            """{"count": 3, "shape": {"kind": "disk", "segments": 4}, "shade": "very-dark"}""", "t");
        var again = ConfigLoader.Parse<SceneConfig>(ConfigLoader.ToJson(c), "t");
        Assert.Equal(ConfigLoader.ToJson(c), ConfigLoader.ToJson(again));
        Assert.Equal(ConfigLoader.Hash(c), ConfigLoader.Hash(again));
    }
}

public sealed class ConfigTreeFromCodeTests
{
    private sealed record Sizes
    {
        [Range(1, 100)] public int Count { get; init; } = 1;
        public float Scale { get; init; } = 1;
        public double Rate { get; init; } = 1;
    }

    [Fact]
    public void Given_a_tree_built_in_code_Then_its_numbers_bind_like_parsed_ones()
    {
        var tree = new System.Text.Json.Nodes.JsonObject { ["count"] = 16, ["scale"] = 0.5f, ["rate"] = 3L };
        var sizes = ConfigBinder.Bind<Sizes>(tree, "code");
        Assert.Equal((16, 0.5f, 3.0), (sizes.Count, sizes.Scale, sizes.Rate));
        var e = Assert.Throws<ConfigException>(() =>
            ConfigBinder.Bind<Sizes>(new System.Text.Json.Nodes.JsonObject { ["count"] = 500 }, "code"));
        Assert.Contains("count", e.Message);
    }
}

/// <summary>Renamed and removed keys: old files keep loading under the new name, and a removed key says
/// where it went.</summary>
public sealed class ConfigKeyHistoryTests
{
    [RemovedKey("depth", "the depth is now layers.count")]
    private sealed record Stack
    {
        [Range(1, 10), FormerKey("size")] public int Width { get; init; } = 2;
        [NotAKey] public int Computed { get; init; } = 7;
        [AddedKey] public double[] Widths { get; init; } = [];
    }

    [Fact]
    public void Given_a_list_key_added_later_When_left_at_its_default_Then_the_canonical_json_and_hash_leave_it_out()
    {
        // A list equals only itself, so its default must be compared by elements, or every hash made before the key
        // was added would change.
        var unset = ConfigLoader.Parse<Stack>("""{"width": 4}""", "t.json");
        var explicitEmpty = ConfigLoader.Parse<Stack>("""{"width": 4, "widths": []}""", "t.json");
        var set = ConfigLoader.Parse<Stack>("""{"width": 4, "widths": [1, 2]}""", "t.json");
        Assert.DoesNotContain("widths", ConfigLoader.ToJson(unset), StringComparison.Ordinal);
        Assert.Equal(ConfigLoader.Hash(unset), ConfigLoader.Hash(explicitEmpty));
        Assert.Contains("widths", ConfigLoader.ToJson(set), StringComparison.Ordinal);
        Assert.NotEqual(ConfigLoader.Hash(unset), ConfigLoader.Hash(set));
    }

    [Fact]
    public void Given_a_former_key_When_bound_Then_it_sets_the_new_one_and_the_canonical_json_names_only_the_new_one()
    {
        var s = ConfigLoader.Parse<Stack>("""{"size": 4}""", "old.json");
        Assert.Equal(4, s.Width);
        var canonical = ConfigLoader.ToJson(s);
        Assert.Contains("\"width\"", canonical, StringComparison.Ordinal);
        Assert.DoesNotContain("size", canonical, StringComparison.Ordinal);
        Assert.Equal(ConfigLoader.Hash(ConfigLoader.Parse<Stack>("""{"width": 4}""", "new.json")),
            ConfigLoader.Hash(s));
    }

    [Fact]
    public void Given_a_former_key_out_of_range_Then_the_range_still_applies()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Parse<Stack>("""{"size": 40}""", "old.json"));
        Assert.Equal("size: 40 is out of range; allowed: 1 to 10", Assert.Single(e.Errors).ToString());
    }

    [Fact]
    public void Given_both_the_former_and_the_new_key_Then_the_error_says_to_keep_the_new_one()
    {
        var e = Assert.Throws<ConfigException>(() =>
            ConfigLoader.Parse<Stack>("""{"size": 4, "width": 3}""", "t.json"));
        Assert.Equal("size: former name of width, which is also set; keep width only",
            Assert.Single(e.Errors).ToString());
    }

    [Fact]
    public void Given_a_removed_key_Then_the_error_says_where_it_went_and_a_code_only_property_is_not_a_key()
    {
        var removed = Assert.Throws<ConfigException>(() => ConfigLoader.Parse<Stack>("""{"depth": 3}""", "t.json"));
        Assert.Equal("depth: no longer a key: the depth is now layers.count", Assert.Single(removed.Errors).ToString());
        var computed = Assert.Throws<ConfigException>(() => ConfigLoader.Parse<Stack>("""{"computed": 3}""", "t.json"));
        Assert.Equal("computed: unknown key; allowed keys here: width, widths", Assert.Single(computed.Errors).ToString());
        Assert.DoesNotContain("computed", ConfigLoader.ToJson(new Stack()), StringComparison.Ordinal);
    }
}
