using ScottPlot;

namespace WorldModel.Report;

/// <summary>Line plots of named series (loss curves, errors versus rollout length).</summary>
public static class LinePlot
{
    public sealed record Series(string Name, double[] X, double[] Y);

    public static void Save(
        string pathWithoutExtension,
        string title,
        string xLabel,
        string yLabel,
        IEnumerable<Series> series,
        bool logY = false,
        bool integerX = false)
    {
        var plot = new Plot();
        foreach (var s in series)
        {
            var y = logY ? s.Y.Select(v => Math.Log10(Math.Max(v, 1e-12))).ToArray() : s.Y;
            var line = plot.Add.ScatterLine(s.X, y);
            line.LegendText = s.Name;
            line.LineWidth = 2;
        }
        if (logY)
        {
            var ticks = new ScottPlot.TickGenerators.LogMinorTickGenerator();
            var generator = new ScottPlot.TickGenerators.NumericAutomatic
            {
                MinorTickGenerator = ticks,
                LabelFormatter = v => $"{Math.Pow(10, v):G3}",
                IntegerTicksOnly = true
            };
            plot.Axes.Left.TickGenerator = generator;
        }
        // Rounds, seeds and such: whole numbers only on the x axis.
        if (integerX)
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        plot.ShowLegend(Edge.Right);
        Plots.SaveWithRoomForLegend(plot, pathWithoutExtension, 720, 480);
    }
}
