using ScottPlot;

namespace WorldModel.Report;

/// <summary>Rates with confidence intervals per x (success versus horizon), one line per method.</summary>
public static class SuccessPlot
{
    /// <summary>Y and its interval [Low, High] at each X, all in [0, 1].</summary>
    public sealed record Series(string Name, double[] X, double[] Y, double[] Low, double[] High);

    public static void Save(string pathWithoutExtension, string title, string xLabel, string yLabel, IReadOnlyList<Series> series)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        for (int i = 0; i < series.Count; i++)
        {
            var s = series[i];
            if (s.X.Length == 0) continue;
            var colour = palette.GetColor(i);
            var line = plot.Add.Scatter(s.X, s.Y.Select(v => 100 * v).ToArray());
            line.LegendText = s.Name;
            line.LineWidth = 2;
            line.MarkerSize = 7;
            line.Color = colour;
            var bars = plot.Add.ErrorBar(s.X, s.Y.Select(v => 100 * v).ToArray(), s.Y.Select(v => 0.0).ToArray());
            bars.YErrorPositive = s.High.Zip(s.Y, (h, y) => 100 * (h - y)).ToArray();
            bars.YErrorNegative = s.Y.Zip(s.Low, (y, l) => 100 * (y - l)).ToArray();
            bars.Color = colour;
        }
        plot.Axes.SetLimitsY(-2, 102);
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        plot.ShowLegend(Edge.Right);
        Plots.Save(plot, pathWithoutExtension, 800, 480);
    }
}
