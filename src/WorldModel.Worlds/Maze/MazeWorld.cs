using System.Text.Json.Nodes;
using WorldModel.Core.Config;
using WorldModel.Data;
using WorldModel.Plan;
using WorldModel.Plan.Evaluation;
using WorldModel.Plan.Models;
using WorldModel.Render;
using WorldModel.Sim.Worlds;

namespace WorldModel.Worlds.Maze;

/// <summary>What the maze offers each layer: its batch, how it is drawn, planned and summarised.</summary>
public sealed partial record MazeConfig : ISceneWorld, IPlanningWorld, IDatasetWorld
{
    public override WorldSpec Spec => MazeBatch.SpecOf(Cells);
    public override float ActionLimit => MaxStep;
    public override IWorldBatch CreateBatch(int count) => new MazeBatch(this, count);

    public override string Describe() => $"maze ({Cells}×{Cells} cells, "
        + (Layouts == 0 ? "a new layout per episode)" : $"{Layouts} training layouts)");

    // Scene: the border, the walls (at most MazeLayouts.MaxWallRects rectangles, no two overlapping), and the agent.
    public ShapeKind[] ShapeKinds => [ShapeKind.Agent, ShapeKind.Walls];

    public void Draw(SceneDraw draw, ReadOnlySpan<float> state, ReadOnlySpan<float> layout)
    {
        int slot = draw.Border(BorderLow, BorderHigh);
        Span<float> rects = stackalloc float[4 * MazeLayouts.MaxWallRects];
        int count = MazeWalls.Rects(MazeLayout.ReadFrom(Cells, layout), BorderLow, BorderHigh, WallThickness, rects);
        if (count > MazeLayouts.MaxWallRects)
            throw new ArgumentException(
                $"a layout whose walls need {count} rectangles; a scene draws at most {MazeLayouts.MaxWallRects}");
        for (int r = 0; r < 4 * count; r += 4) draw.Rect(slot++, rects[r], rects[r + 1], rects[r + 2], rects[r + 3]);
        draw.Disk(0, state[0], state[1], draw.Render.PointRadius, ShapeKind.Agent);
    }

    // Planning: start/goal pairs by cell distance in unseen layouts; the geodesic oracle knows the way through the
    // maze, the straight one is trapped by the first wall between.
    public IReadOnlyList<OracleCost> OracleCosts => [OracleCost.Geodesic, OracleCost.Straight];
    public IPlanningModel Oracle(OracleCost cost, CostShape shape) => new MazeOracle(this, cost, shape);
    public PlanEpisode[] Episodes(EpisodesConfig config) => MazeEpisodes.Generate(config, this);

    public string? NoEpisodes(EpisodesConfig config)
    {
        if (config.MazePairs == 0 || config.MazeDistances.Length == 0)
            return "asks for no episodes; set episodes.mazePairs above 0 and episodes.mazeDistances " +
                "(e.g. [1, 3, 5]), or give episodesFile";
        int farthest = Cells * Cells - 1;
        if (config.MazeDistances[^1] > farthest)
            return $"episodes.mazeDistances asks for cells {config.MazeDistances[^1]} apart; no two cells of a " +
                $"{Cells}×{Cells} maze are more than {farthest} apart; allowed: up to {farthest}";
        if (CellSize - WallThickness <= 2 * config.Margin)
            return $"episodes.margin {config.Margin} leaves no free point in a {CellSize:0.##} px cell with walls " +
                $"{WallThickness} px thick; allowed: below {(CellSize - WallThickness) / 2:0.##}";
        return null;
    }

    public string EpisodeExample => MazeEpisodes.Example;
    public PlanEpisode? ReadEpisode(JsonObject entry, string at, int id, List<ConfigError> errors) =>
        MazeEpisodes.Read(entry, at, id, this, errors);
    public JsonObject WriteEpisode(PlanEpisode episode) => MazeEpisodes.Write(episode);
    public float[] SuccessGoals(IReadOnlyList<PlanEpisode> episodes) => episodes.SelectMany(e => e.Goal).ToArray();
    public string ActionUnit => "px";

    public string DescribeEpisodes(IReadOnlyList<PlanEpisode> episodes)
    {
        var bins = episodes.GroupBy(e => e.Kind).Select(g => $"{g.Count()} {g.Key}");
        string layouts = Layouts == 0
            ? "each in its own layout"
            : $"each in a layout none of the {Layouts} training layouts";
        return $"{string.Join(", ", bins)} start/goal pairs in a {Cells}×{Cells} maze (dA-B: cells A to B apart by " +
            $"breadth-first search; free points 2.6 px from walls), {layouts}, " +
            $"budget {episodes.Max(x => x.Budget)} steps; strict success = within √2 px, loose = within 4.5 px.";
    }

    // Datasets: where the agent goes, and how far through the maze episodes get (without cell changes, planning
    // across cells has nothing to learn from).
    public (int X, int Y, string Of) Coverage => (0, 1, "agent");

    public IReadOnlyList<DatasetEvent> Events(Dataset data)
    {
        int changed = 0;
        double visitedShare = 0;
        var visited = new HashSet<int>();
        for (int e = 0; e < data.Episodes; e++)
        {
            visited.Clear();
            for (int t = 0; t <= data.Steps; t++)
                visited.Add(MazeBatch.CellOf(this, data.State(e, t)[0], data.State(e, t)[1]));
            if (visited.Count > 1) changed++;
            visitedShare += (double)visited.Count / (Cells * Cells);
        }
        return
        [
            new DatasetEvent("cellChangeRate", "episodes leaving their start cell", (double)changed / data.Episodes),
            new DatasetEvent("cellsVisitedShare", "cells visited per episode (mean share of the maze's cells)",
                visitedShare / data.Episodes),
        ];
    }

    public string RareEvent => "moves into another cell";

    public int CountRareEvents(ReadOnlySpan<float> states, int steps, ReadOnlySpan<float> layout)
    {
        int changes = 0;
        for (int t = 1; t <= steps; t++)
            if (MazeBatch.CellOf(this, states[2 * t], states[2 * t + 1])
                != MazeBatch.CellOf(this, states[2 * t - 2], states[2 * t - 1])) changes++;
        return changes;
    }
}
