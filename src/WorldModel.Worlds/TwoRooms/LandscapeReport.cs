using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using WorldModel.Core.IO;
using WorldModel.Plan.Models;
using WorldModel.Render;
using WorldModel.Report;
using WorldModel.Worlds;

namespace WorldModel.Worlds.TwoRooms;

/// <summary>Cost landscapes of several planning models for one goal: heatmaps, a table and landscape.json.</summary>
public static class LandscapeReport
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>
    /// The middle of the room after the wall: from the other room the straight line to it hits the wall.
    /// </summary>
    public static (float X, float Y) DefaultGoal(TwoRoomsConfig world, TwoRoomsLayout layout)
    {
        float across = (layout.WallHigh + world.BorderHigh) / 2, along = (world.BorderLow + world.BorderHigh) / 2;
        return layout.Orientation == WallOrientation.Vertical ? (across, along) : (along, across);
    }

    /// <summary>
    /// Measures each model (disposing it), saves landscape-&lt;name&gt;.png/.svg and landscape.json in
    /// <paramref name="folder"/>, and returns the landscapes.
    /// </summary>
    public static List<CostLandscape> Save(
        string folder,
        IEnumerable<IPlanningModel> models,
        TwoRoomsConfig world,
        TwoRoomsLayout layout,
        RenderConfig render,
        float goalX,
        float goalY,
        float cell = 1f,
        CancellationToken cancel = default)
    {
        Directory.CreateDirectory(folder);
        var scenes = new SceneBuilder(world, render);
        using var renderer = RendererFactory.Create(render.Renderer, scenes.Format).Renderer;
        var results = new List<CostLandscape>();
        foreach (var model in models)
            using (model)
            {
                cancel.ThrowIfCancellationRequested();
                var l = CostLandscape.Measure(model, world, layout, renderer, scenes, goalX, goalY, cell);
                results.Add(l);
                Plots.Landscape(Path.Combine(folder, Landscapes.FileName(model.Name)), l.Cost, l.Low,
                    l.Low + l.Size * l.Cell, goalX, goalY,
                    $"{model.Name}: cost of standing at each point, goal ({goalX:0.#}, {goalY:0.#})",
                    model.Name.StartsWith("oracle", StringComparison.Ordinal) ? "distance (px)" : "cost");
            }
        var json = new
        {
            goal = new[] { goalX, goalY }, cell, margin = CostLandscape.Margin,
            costs = results.Select(l => new
            {
                name = l.Model,
                spearmanGeodesic = l.SpearmanGeodesic,
                spearmanStraight = l.SpearmanStraight,
                descentReach = l.DescentReach,
                descentReachAcross = l.DescentReachAcross
            }),
        };
        AtomicFile.WriteAllText(Path.Combine(folder, "landscape.json"), JsonSerializer.Serialize(json, Indented));
        return results;
    }

    public static Landscapes.Summary Summarise(CostLandscape l) =>
        new(l.Model, l.SpearmanGeodesic, l.SpearmanStraight, l.DescentReach, l.DescentReachAcross);
}
