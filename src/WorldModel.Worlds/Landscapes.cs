using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using WorldModel.Plan.Models;
using WorldModel.Render;

namespace WorldModel.Worlds;

/// <summary>
/// A world that can draw the cost landscape of a planning model: the cost of standing at each free
/// point for one goal, with how well it orders points by true path length (Two-Rooms).
/// </summary>
public interface ICostLandscapeWorld
{
    /// <summary>
    /// The goal a landscape is drawn for when none is given, on the layout drawn from
    /// <paramref name="layoutSeed"/>.
    /// </summary>
    (float X, float Y) LandscapeGoal(ulong layoutSeed);

    /// <summary>
    /// Measures each model (disposing it), saves heatmaps and landscape.json in <paramref name="folder"/>, returns
    /// the summaries.
    /// </summary>
    IReadOnlyList<Landscapes.Summary> SaveLandscapes(
        string folder,
        IEnumerable<IPlanningModel> models,
        ulong layoutSeed,
        RenderConfig render,
        float goalX,
        float goalY,
        float cell,
        CancellationToken cancel);
}

/// <summary>landscape.json, its table and its plot names: the same for every world that draws landscapes.</summary>
public static class Landscapes
{
    /// <summary>The plot's file name (without extension) for a model name such as "jepa/latent".</summary>
    public static string FileName(string model) => "landscape-" + model.Replace('/', '-');

    /// <summary>What landscape.json keeps of each cost: the numbers of the table, not the grid.</summary>
    public sealed record Summary(
        string Model,
        double SpearmanGeodesic,
        double SpearmanStraight,
        double DescentReach,
        double DescentReachAcross);

    /// <summary>
    /// The goal and per-cost summaries a world's SaveLandscapes wrote to <paramref name="folder"/>/landscape.json.
    /// </summary>
    public static (float GoalX, float GoalY, List<Summary> Costs) Read(string folder)
    {
        var doc = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "landscape.json")))!;
        var goal = doc["goal"]!.AsArray();
        var costs = doc["costs"]!.AsArray().Select(c => new Summary(
            c!["name"]!.GetValue<string>(),
            c["spearmanGeodesic"]!.GetValue<double>(),
            c["spearmanStraight"]!.GetValue<double>(),
            c["descentReach"]!.GetValue<double>(),
            c["descentReachAcross"]!.GetValue<double>())).ToList();
        return (goal[0]!.GetValue<float>(), goal[1]!.GetValue<float>(), costs);
    }

    /// <summary>A markdown table: rank correlations with true distances and where greedy descent ends.</summary>
    public static string Table(IEnumerable<Summary> landscapes)
    {
        var sb = new StringBuilder();
        sb.AppendLine(
            "| cost | Spearman vs geodesic | Spearman vs straight | descent reaches goal | from the other room |");
        sb.AppendLine("|---|---|---|---|---|");
        foreach (var l in landscapes)
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {l.Model} | {l.SpearmanGeodesic:0.00} | {l.SpearmanStraight:0.00} | " +
                $"{l.DescentReach:0%} | {l.DescentReachAcross:0%} |"));
        return sb.ToString();
    }
}
