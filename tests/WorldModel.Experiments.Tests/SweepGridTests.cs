using WorldModel.Experiments.Sweeps;

namespace WorldModel.Experiments.Tests;

public sealed class SweepGridTests
{
    [Fact]
    public void Given_list_values_Then_commas_inside_brackets_braces_and_quotes_stay_in_their_value()
    {
        var grid = SweepGrid.Parse(["evaluation.plannerHorizons=[16],[32,64]",
            "models.0.train={\"steps\":10,\"lr\":0.1},{\"steps\":20}", "name=\"a,b\",c"]);
        Assert.Equal(["[16]", "[32,64]"], grid.Axes[0].Values);
        Assert.Equal(["{\"steps\":10,\"lr\":0.1}", "{\"steps\":20}"], grid.Axes[1].Values);
        Assert.Equal(["\"a,b\"", "c"], grid.Axes[2].Values);
    }

    [Fact]
    public void Given_two_keys_Then_the_points_are_their_cartesian_product_the_first_key_slowest()
    {
        var grid = SweepGrid.Parse(["seeds=[0],[1]", "evaluation.plan.planner.samples=8,16,32"]);
        var points = grid.Points();
        Assert.Equal(6, points.Count);
        Assert.Equal(["[0]", "8"], points[0]);
        Assert.Equal(["[0]", "16"], points[1]);
        Assert.Equal(["[1]", "32"], points[5]);
        Assert.Equal(["seeds=[1]", "evaluation.plan.planner.samples=32"], grid.Overrides(points[5]));
    }

    [Theory]
    [InlineData("plannerHorizons", "is not KEY=V1,V2")]
    [InlineData("=1,2", "is not KEY=V1,V2")]
    [InlineData("a=1,,2", "empty value")]
    [InlineData("a=[1,2", "unbalanced")]
    [InlineData("a=1],[2", "unbalanced")]
    [InlineData("a=\"x,y", "unbalanced")]
    [InlineData("a=1,1", "lists a value twice")]
    public void Given_a_malformed_grid_option_Then_the_error_names_it_and_what_is_allowed(string option, string says)
    {
        var e = Assert.Throws<ArgumentException>(() => SweepGrid.Parse([option]));
        Assert.Contains(says, e.Message);
        Assert.Contains("--grid", e.Message);
    }

    [Fact]
    public void Given_a_key_twice_or_no_grid_Then_it_is_refused()
    {
        Assert.Contains("given twice", Assert.Throws<ArgumentException>(() => SweepGrid.Parse(["a=1", "a=2"])).Message);
        Assert.Contains("at least one --grid", Assert.Throws<ArgumentException>(() => SweepGrid.Parse([])).Message);
    }
}
