using System.Globalization;
using System.Text.Json.Nodes;
using WorldModel.Core.Config;
using WorldModel.Plan.Evaluation;
using WorldModel.Sim;
using WorldModel.Worlds.PointAgent;
using static WorldModel.Plan.Evaluation.EpisodeJson;

namespace WorldModel.Worlds.Maze;

/// <summary>
/// Maze planning tasks: per bin of cell distance (episodes.mazeDistances), episodes.mazePairs start/goal pairs, each in
/// its own layout drawn from the episodes' seed, skipping the training layouts (PLDM's diverse-maze protocol: layouts
/// never seen in training; with layouts 0 training draws every layout, so none is skipped). The start and goal cells
/// are a uniform pair at a distance in the bin, the points uniform free points in them; the task steps are the
/// shortest path at the largest step.
/// </summary>
public static class MazeEpisodes
{
    public const string Example =
        "{\"layout\": [1, 0, ...] (one 0 = open or 1 = wall per edge, in the order of the dataset's layout names), " +
        "\"start\": [x, y], \"goal\": [x, y], \"budget\": 200}";

    /// <summary>Draws the configured pairs; deterministic in (config, world).</summary>
    public static PlanEpisode[] Generate(EpisodesConfig config, MazeConfig world)
    {
        var bins = config.MazeDistances;
        var training = new HashSet<MazeLayout>(MazeLayouts.Training(world));
        var batch = new MazeBatch(world, 1);
        var episodes = new List<PlanEpisode>();
        for (int b = 0; b < bins.Length; b++)
        {
            int min = bins[b], max = b + 1 < bins.Length ? bins[b + 1] - 1 : int.MaxValue;
            for (int pair = 0; pair < config.MazePairs; pair++)
            {
                int i = episodes.Count;
                // Layouts on their own stream: the points drawn in a layout do not shift the layouts after it.
                ulong layoutRng = Rng.Derive((ulong)config.Seed, (ulong)i, stream: 12);
                ulong rng = Rng.Derive((ulong)config.Seed, (ulong)i, stream: 11);
                MazeLayout layout;
                List<(int From, int To)> pairs;
                int tries = 0;
                do
                {
                    if (++tries > 10_000)
                        throw new InvalidOperationException(
                            $"no unseen {world.Cells}×{world.Cells} layout in 10,000 has cells {Kind(bins, b)[1..]} " +
                            "apart; lower episodes.mazeDistances");
                    layout = MazeLayouts.DrawUnseen(world, training, ref layoutRng);
                    pairs = Pairs(layout, min, max);
                }
                while (pairs.Count == 0);
                var (from, to) = pairs[Math.Min(pairs.Count - 1, (int)(Rng.Uniform(ref rng) * pairs.Count))];
                batch.SetLayout(0, layout);
                var start = batch.SampleFreePointInCell(0, from, ref rng, config.Margin);
                var goal = batch.SampleFreePointInCell(0, to, ref rng, config.Margin);
                var values = new float[layout.Edges];
                layout.WriteTo(values);
                episodes.Add(Create(i, Kind(bins, b), values, [start.X, start.Y], [goal.X, goal.Y], config.Budget,
                    world));
            }
        }
        return [.. episodes];
    }

    /// <summary>Bin <paramref name="bin"/>'s name: "d1-2", "d3" (a bin of one distance) or "d5+" (the last).</summary>
    public static string Kind(IReadOnlyList<int> bins, int bin) =>
        bin + 1 == bins.Count ? $"d{bins[bin]}+"
        : bins[bin + 1] - 1 == bins[bin] ? $"d{bins[bin]}"
        : $"d{bins[bin]}-{bins[bin + 1] - 1}";

    /// <summary>Ordered pairs of cells whose distance is in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    private static List<(int From, int To)> Pairs(MazeLayout layout, int min, int max)
    {
        var pairs = new List<(int, int)>();
        for (int from = 0; from < layout.Cells * layout.Cells; from++)
        {
            var distance = layout.CellDistances(from);
            for (int to = 0; to < distance.Length; to++)
                if (distance[to] >= min && distance[to] <= max) pairs.Add((from, to));
        }
        return pairs;
    }

    public static PlanEpisode Create(
        int id,
        string kind,
        float[] layout,
        float[] start,
        float[] goal,
        int budget,
        MazeConfig world)
    {
        var geometry = new MazeGeometry(
            MazeLayout.ReadFrom(world.Cells, layout), world.BorderLow, world.BorderHigh, world.WallThickness);
        float length = geometry.Geodesic(start[0], start[1], goal[0], goal[1]);
        return new PlanEpisode(
            Id: id,
            Kind: kind,
            Layout: layout,
            Start: start,
            Goal: goal,
            Budget: budget,
            TaskSteps: (int)MathF.Ceiling(length / world.MaxStep));
    }

    public static JsonObject Write(PlanEpisode e) => new()
    {
        ["layout"] = new JsonArray([.. e.Layout.Select(v => JsonValue.Create((int)v))]),
        ["start"] = new JsonArray(e.Start[0], e.Start[1]),
        ["goal"] = new JsonArray(e.Goal[0], e.Goal[1]),
        ["budget"] = e.Budget,
        ["kind"] = e.Kind,
        ["taskSteps"] = e.TaskSteps,
    };

    /// <summary>
    /// One benchmark entry. The task steps are recomputed; the kind is kept when it names a bin holding the start and
    /// goal cells' distance ("d1-2", "d3", "d5+"), and is "d" + that distance when absent.
    /// </summary>
    public static PlanEpisode? Read(JsonObject item, string at, int id, MazeConfig world, List<ConfigError> errors)
    {
        int before = errors.Count;
        float lo = world.BorderLow, hi = world.BorderHigh;
        UnknownKeys(item, at, ["layout", "start", "goal", "budget", "kind", "taskSteps"], errors);
        var layout = ReadLayout(item["layout"], $"{at}.layout", world.Cells, errors);
        var start = Point(item["start"], $"{at}.start", lo, hi, errors);
        var goal = Point(item["goal"], $"{at}.goal", lo, hi, errors);
        int budget = Budget(item, at, errors);
        if (layout is null) return null; // walls need a whole layout
        var maze = MazeLayout.ReadFrom(world.Cells, layout);
        Span<float> pieces = stackalloc float[4 * MazeLayouts.MaxWallRects];
        int count = MazeWalls.Pieces(maze, lo, hi, world.WallThickness, pieces);
        pieces = pieces[..(4 * count)];
        if (start is not null && PointPhysics.Inside(start[0], start[1], pieces))
            errors.Add(new($"{at}.start", $"({start[0]}, {start[1]}) is inside a wall"));
        if (goal is not null && PointPhysics.Inside(goal[0], goal[1], pieces))
            errors.Add(new($"{at}.goal", $"({goal[0]}, {goal[1]}) is inside a wall"));
        if (errors.Count > before) return null;
        int distance = maze.CellDistances(MazeBatch.CellOf(world, start![0], start[1]))
            [MazeBatch.CellOf(world, goal![0], goal[1])];
        string kind = $"d{distance}";
        if (item["kind"] is { } kindNode)
        {
            if (kindNode is JsonValue kv && kv.TryGetValue(out string? named) && Holds(named, distance)) kind = named;
            else
                errors.Add(new($"{at}.kind",
                    $"{kindNode.ToJsonString()} does not hold the start and goal cells' distance {distance}; " +
                    $"allowed: a bin holding it, e.g. \"d{distance}\" or \"d{distance}+\", or no kind"));
        }
        return errors.Count == before ? Create(id, kind, layout, start, goal, budget, world) : null;
    }

    /// <summary>
    /// The layout list: one 0 or 1 per edge, a connected maze, and walls a scene can draw (else the benchmark holds
    /// unsolvable or undrawable tasks).
    /// </summary>
    private static float[]? ReadLayout(JsonNode? node, string at, int cells, List<ConfigError> errors)
    {
        int edges = MazeLayout.EdgeCount(cells);
        string order = $"in the order {string.Join(", ", MazeLayout.Names(cells))}";
        if (node is not JsonArray list)
        {
            errors.Add(new(at, $"missing or not a list; expected {edges} values, 0 (open) or 1 (wall), {order}"));
            return null;
        }
        if (list.Count != edges)
        {
            errors.Add(new(at,
                $"has {list.Count} values; a {cells}×{cells} maze (cells {cells}) has {edges} edges, {order}"));
            return null;
        }
        int before = errors.Count;
        var values = new float[edges];
        for (int e = 0; e < edges; e++)
            if (!TryNumber(list[e], out values[e]) || values[e] is not (0f or 1f))
                errors.Add(new($"{at}[{e}]",
                    $"{list[e]?.ToJsonString() ?? "null"} is not allowed; allowed: 0 (open) or 1 (wall) " +
                    $"for {MazeLayout.Names(cells)[e]}"));
        if (errors.Count > before) return null;
        var maze = MazeLayout.ReadFrom(cells, values);
        if (!maze.Connected)
        {
            var distances = maze.CellDistances(0);
            errors.Add(new(at,
                $"the maze is not connected: cell {Array.FindIndex(distances, d => d < 0)} (row × {cells} + column) " +
                "cannot be reached from cell 0; open a wall"));
        }
        else if (MazeWalls.RectCount(maze) is var rects && rects > MazeLayouts.MaxWallRects)
            errors.Add(new(at,
                $"its walls need {rects} rectangles; a scene draws at most {MazeLayouts.MaxWallRects}; open a wall"));
        return errors.Count > before ? null : values;
    }

    /// <summary>Whether a bin name "dA", "dA-B" or "dA+" holds <paramref name="distance"/>.</summary>
    private static bool Holds(string? kind, int distance)
    {
        if (kind is null || kind.Length < 2 || kind[0] != 'd') return false;
        var body = kind[1..];
        static bool Number(string s, out int v) =>
            int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out v);
        if (body.EndsWith('+')) return Number(body[..^1], out int from) && distance >= from;
        var parts = body.Split('-');
        return parts.Length switch
        {
            1 => Number(parts[0], out int only) && distance == only,
            2 => Number(parts[0], out int a) && Number(parts[1], out int b) && distance >= a && distance <= b,
            _ => false,
        };
    }
}
