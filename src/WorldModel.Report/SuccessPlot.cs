using ScottPlot;

namespace WorldModel.Report;

/// <summary>Rates with confidence intervals per x (success versus horizon), one line per method.</summary>
public static class SuccessPlot
{
    /// <summary>Y and its interval [Low, High] at each X, all in [0, 1].</summary>
    public sealed record Series(string Name, double[] X, double[] Y, double[] Low, double[] High);

    public static void Save(
        string pathWithoutExtension,
        string title,
        string xLabel,
        string yLabel,
        IReadOnlyList<Series> series)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        // Dodge: shift each series a little along x so that intervals at the same x stay readable.
        double spacing = series.SelectMany(s => s.X).Distinct().Order().ToArray() is { Length: > 1 } xs
            ? xs.Zip(xs.Skip(1), (a, b) => b - a).Min()
            : 1;
        for (int i = 0; i < series.Count; i++)
        {
            var s = series[i];
            if (s.X.Length == 0) continue;
            var colour = palette.GetColor(i);
            double shift = (i - (series.Count - 1) / 2.0) * spacing * 0.12 / Math.Max(1, series.Count / 3.0);
            var x = s.X.Select(v => v + shift).ToArray();
            var line = plot.Add.Scatter(x, s.Y.Select(v => 100 * v).ToArray());
            line.LegendText = s.Name;
            line.LineWidth = 2;
            line.MarkerSize = 7;
            line.Color = colour;
            var bars = plot.Add.ErrorBar(x, s.Y.Select(v => 100 * v).ToArray(), s.Y.Select(v => 0.0).ToArray());
            bars.YErrorPositive = s.High.Zip(s.Y, (h, y) => 100 * (h - y)).ToArray();
            bars.YErrorNegative = s.Y.Zip(s.Low, (y, l) => 100 * (y - l)).ToArray();
            bars.Color = colour;
        }
        plot.Axes.SetLimitsY(-2, 102);
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        plot.ShowLegend(Edge.Right);
        Plots.SaveWithRoomForLegend(plot, pathWithoutExtension, 800, 480);
    }
}
