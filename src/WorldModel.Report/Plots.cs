using ScottPlot;
using WorldModel.Core.IO;

namespace WorldModel.Report;

/// <summary>Paper-style plots saved as PNG and SVG side by side.</summary>
public static class Plots
{
    /// <summary>A 2D histogram over the arena; row 0 is y = 0 at the top, as in the frames.</summary>
    public static void Heatmap(
        string pathWithoutExtension,
        double[,] counts,
        string title,
        string colourLabel,
        bool logScale = true)
    {
        var plot = new Plot();
        var values = counts;
        if (logScale)
        {
            // log10(1 + n): rarely visited cells stay visible next to the busy door.
            values = (double[,])counts.Clone();
            for (int j = 0; j < values.GetLength(0); j++)
                for (int i = 0; i < values.GetLength(1); i++) values[j, i] = Math.Log10(1 + values[j, i]);
            colourLabel = $"log10(1 + {colourLabel})";
        }
        var map = plot.Add.Heatmap(values);
        map.Colormap = new ScottPlot.Colormaps.Viridis();
        // Row 0 holds y = 0; with the y axis inverted below, it is drawn at the top, as in the frames.
        map.Extent = new CoordinateRect(0, 64, 0, 64);
        plot.Add.ColorBar(map).Label = colourLabel;
        plot.Title(title);
        plot.XLabel("x (px)");
        plot.YLabel("y (px)");
        plot.Axes.SetLimits(0, 64, 64, 0); // y grows downwards, as in the frames
        Save(plot, pathWithoutExtension, 640, 560);
    }

    /// <summary>
    /// A cost over the arena (row 0 = the top row, as in the frames) with the goal marked; NaN cells
    /// (walls) are left blank. <paramref name="low"/> and <paramref name="high"/> bound the grid in world units.
    /// </summary>
    public static void Landscape(
        string pathWithoutExtension,
        double[,] values,
        double low,
        double high,
        double goalX,
        double goalY,
        string title,
        string colourLabel)
    {
        var plot = new Plot();
        var map = plot.Add.Heatmap(values);
        map.Colormap = new ScottPlot.Colormaps.Viridis();
        map.NaNCellColor = Colors.White;
        map.Extent = new CoordinateRect(low, high, low, high);
        plot.Add.ColorBar(map).Label = colourLabel;
        var goal = plot.Add.Marker(goalX, goalY, MarkerShape.FilledCircle, 12, Colors.Red);
        goal.LegendText = "goal";
        plot.Title(title);
        plot.XLabel("x (px)");
        plot.YLabel("y (px)");
        plot.Axes.SetLimits(low, high, high, low);
        Save(plot, pathWithoutExtension, 640, 560);
    }

    /// <summary>
    /// Saves a plot whose legend sits right of the data, widening the figure as far as long legend names need so
    /// that the data area keeps <paramref name="minDataWidth"/> pixels: otherwise the legend squeezes the data and
    /// the title and x label, centred over it, run off the figure's left edge. Returns the width saved.
    /// </summary>
    public static int SaveWithRoomForLegend(
        Plot plot,
        string pathWithoutExtension,
        int width,
        int height,
        double minDataWidth = 480)
    {
        plot.GetImage(width, height).Dispose(); // lays the figure out, so the data area can be measured
        double deficit = minDataWidth - plot.RenderManager.LastRender.DataRect.Width;
        if (deficit > 0) width += (int)Math.Ceiling(deficit);
        Save(plot, pathWithoutExtension, width, height);
        return width;
    }

    public static void Save(Plot plot, string pathWithoutExtension, int width, int height)
    {
        AtomicFile.WriteVia(pathWithoutExtension + ".png", tmp => plot.SavePng(tmp, width, height));
        AtomicFile.WriteVia(pathWithoutExtension + ".svg", tmp => plot.SaveSvg(tmp, width, height));
    }
}
