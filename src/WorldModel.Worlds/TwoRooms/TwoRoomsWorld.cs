using System.Text.Json.Nodes;
using WorldModel.Core.Config;
using WorldModel.Data;
using WorldModel.Plan;
using WorldModel.Plan.Evaluation;
using WorldModel.Plan.Models;
using WorldModel.Render;
using WorldModel.Sim.Worlds;

namespace WorldModel.Worlds.TwoRooms;

/// <summary>What Two-Rooms offers each layer: its batch, how it is drawn, planned and summarised.</summary>
public sealed partial record TwoRoomsConfig : ISceneWorld, IPlanningWorld, IDatasetWorld, ICostLandscapeWorld
{
    public override WorldSpec Spec => TwoRoomsBatch.WorldSpec;
    public override float ActionLimit => MaxStep;
    public override IWorldBatch CreateBatch(int count) => new TwoRoomsBatch(this, count);
    public override string Describe() => $"two-rooms ({ConfigNames.Kind(Layout.GetType())} layout)";

    // Scene: the border, the wall's two pieces either side of the door, and the agent.
    public ShapeKind[] ShapeKinds => [ShapeKind.Agent, ShapeKind.Walls];

    public void Draw(SceneDraw draw, ReadOnlySpan<float> state, ReadOnlySpan<float> layout)
    {
        int slot = draw.Border(BorderLow, BorderHigh);
        Span<float> pieces = stackalloc float[8];
        TwoRoomsLayout.ReadFrom(layout).WallPieces(BorderLow, BorderHigh, pieces);
        for (int p = 0; p < 8; p += 4)
        {
            // Clip to the inside of the border so that no two wall rectangles overlap.
            float x0 = Math.Max(pieces[p], BorderLow), x1 = Math.Min(pieces[p + 1], BorderHigh);
            float y0 = Math.Max(pieces[p + 2], BorderLow), y1 = Math.Min(pieces[p + 3], BorderHigh);
            draw.Rect(slot++, x0, x1, y0, y1);
        }
        draw.Disk(0, state[0], state[1], draw.Render.PointRadius, ShapeKind.Agent);
    }

    // Planning: PLDM's start/goal pairs; the geodesic oracle knows the way through the door, the straight one is
    // trapped by the wall.
    public IReadOnlyList<OracleCost> OracleCosts => [OracleCost.Geodesic, OracleCost.Straight];
    public IPlanningModel Oracle(OracleCost cost, CostShape shape) => new TwoRoomsOracle(this, cost, shape);
    public PlanEpisode[] Episodes(EpisodesConfig config) => TwoRoomsEpisodes.Generate(config, this);

    public string? NoEpisodes(EpisodesConfig config) => config.AcrossRooms + config.SameRoom > 0 ? null
        : "asks for no episodes; set episodes.acrossRooms or episodes.sameRoom above 0, or give episodesFile";

    public string EpisodeExample => TwoRoomsEpisodes.Example;
    public PlanEpisode? ReadEpisode(JsonObject entry, string at, int id, List<ConfigError> errors) =>
        TwoRoomsEpisodes.Read(entry, at, id, this, errors);
    public JsonObject WriteEpisode(PlanEpisode episode) => TwoRoomsEpisodes.Write(episode);
    public float[] SuccessGoals(IReadOnlyList<PlanEpisode> episodes) => episodes.SelectMany(e => e.Goal).ToArray();
    public string ActionUnit => "px";

    public string DescribeEpisodes(IReadOnlyList<PlanEpisode> episodes) =>
        $"{episodes.Count(x => x.Kind == PlanEpisode.Same)} same-room and " +
        $"{episodes.Count(x => x.Kind == PlanEpisode.Across)} across-room " +
        "start/goal pairs (PLDM's protocol: 2.6 px from walls, sides swapped half the time), " +
        $"budget {episodes.Max(x => x.Budget)} steps; " +
        "strict success = within √2 px, loose = within 4.5 px.";

    // Datasets: where the agent goes, and how often it crosses the door (PLDM: without crossings, across-room
    // planning fails).
    public (int X, int Y, string Of) Coverage => (0, 1, "agent");

    public IReadOnlyList<DatasetEvent> Events(Dataset data)
    {
        int crossed = 0;
        for (int e = 0; e < data.Episodes; e++)
        {
            var layout = TwoRoomsLayout.ReadFrom(data.Layout(e));
            int room0 = layout.Room(data.State(e, 0)[0], data.State(e, 0)[1]);
            for (int t = 1; t <= data.Steps; t++)
                if (layout.Room(data.State(e, t)[0], data.State(e, t)[1]) != room0) { crossed++; break; }
        }
        return [new DatasetEvent("doorCrossingRate", "episodes crossing rooms", (double)crossed / data.Episodes)];
    }

    public string RareEvent => "door crossings";

    public int CountRareEvents(ReadOnlySpan<float> states, int steps, ReadOnlySpan<float> layout)
    {
        var l = TwoRoomsLayout.ReadFrom(layout);
        int crossings = 0;
        for (int t = 1; t <= steps; t++)
            if (l.Room(states[2 * t], states[2 * t + 1]) != l.Room(states[2 * t - 2], states[2 * t - 1])) crossings++;
        return crossings;
    }

    // Cost landscapes: each planning cost over the arena for one goal across the wall.
    public (float X, float Y) LandscapeGoal(ulong layoutSeed) =>
        LandscapeReport.DefaultGoal(this, LayoutOf(layoutSeed));

    public IReadOnlyList<Landscapes.Summary> SaveLandscapes(
        string folder,
        IEnumerable<IPlanningModel> models,
        ulong layoutSeed,
        RenderConfig render,
        float goalX,
        float goalY,
        float cell,
        CancellationToken cancel) =>
        LandscapeReport.Save(folder, models, this, LayoutOf(layoutSeed), render, goalX, goalY, cell, cancel)
            .Select(LandscapeReport.Summarise).ToList();

    /// <summary>
    /// The layout training data drew first from <paramref name="seed"/> (the fixed layout, or the first random
    /// one).
    /// </summary>
    public TwoRoomsLayout LayoutOf(ulong seed) => TwoRoomsLayout.Create(Layout, ref seed, BorderLow, BorderHigh);
}
