using System.Buffers.Binary;
using WorldModel.Report;

namespace WorldModel.Experiments.Tests;

/// <summary>
/// Figures a user puts in a paper: a legend of long method names (a collection run's
/// "random-walk-no-events@20k/jepa/latent-hier (H=96)") must not squeeze the data into a sliver and push the title
/// and x label off the figure's edge.
/// </summary>
public sealed class PlotLayoutTests
{
    private static SuccessPlot.Series Line(string name) =>
        new(name, [5, 15, 25], [1.0, 0.6, 0.2], [0.8, 0.4, 0.1], [1.0, 0.8, 0.4]);

    private static int PngWidth(string path) =>
        BinaryPrimitives.ReadInt32BigEndian(File.ReadAllBytes(path).AsSpan(16, 4)); // IHDR's width

    [Fact]
    public void Given_long_legend_names_When_a_success_plot_is_saved_Then_the_figure_widens_to_keep_the_data_area()
    {
        using var tmp = new TempFolder();
        string shortNames = Path.Combine(tmp.Path, "short"), longNames = Path.Combine(tmp.Path, "long");
        SuccessPlot.Save(shortNames, "title", "x", "success (%)", [Line("jepa/latent"), Line("pixel/frames")]);
        SuccessPlot.Save(longNames, "title", "x", "success (%)",
            [.. Enumerable.Range(0, 8).Select(i => Line($"random-walk-no-events@20k/jepa/latent-hier (H=96) {i}"))]);

        Assert.Equal(800, PngWidth(shortNames + ".png")); // short names leave the default size alone
        Assert.True(PngWidth(longNames + ".png") > 900, $"width {PngWidth(longNames + ".png")}");
        Assert.Contains("width=\"" + PngWidth(longNames + ".png") + "\"", File.ReadAllText(longNames + ".svg"));
    }
}
