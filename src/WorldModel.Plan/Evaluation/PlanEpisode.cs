using System.Text.Json;
using System.Text.Json.Nodes;
using WorldModel.Core.Config;
using WorldModel.Sim;
using WorldModel.Sim.PushBall;
using WorldModel.Sim.TwoRooms;
using WorldModel.Sim.Worlds;

namespace WorldModel.Plan.Evaluation;

/// <summary>
/// One planning task: a layout, a start state, a goal state and a step budget. Two-Rooms: start and
/// goal are (x, y); Kind says whether they are in different rooms; TaskHorizon is the steps an expert
/// needs (shortest path through the door at the maximum step length). Push-Ball: see <see cref="PushBallEpisodes"/>.
/// </summary>
public sealed record PlanEpisode(int Id, string Kind, float[] Layout, float[] Start, float[] Goal, int Budget, int TaskHorizon)
{
    public const string Across = "across", Same = "same";
}

/// <summary>Which start/goal pairs an evaluation uses, drawn as PLDM does.</summary>
public sealed record EpisodesConfig
{
    /// <summary>Pairs with start and goal in different rooms (one uniformly in each, sides swapped half the time).</summary>
    [Range(0, 100_000)] public int AcrossRooms { get; init; } = 50;
    /// <summary>Pairs with start and goal in the same room.</summary>
    [Range(0, 100_000)] public int SameRoom { get; init; } = 50;
    /// <summary>Push-Ball: episodes, each an agent, a ball and a target drawn as the world's reset draws them.</summary>
    [Range(0, 100_000)] public int Pushes { get; init; } = 50;
    /// <summary>Steps allowed per episode (PLDM: 200).</summary>
    [Range(1, 100_000)] public int Budget { get; init; } = 200;
    /// <summary>Distance of starts and goals from walls (PLDM: 2.6).</summary>
    [Range(0, 16)] public float Margin { get; init; } = 2.6f;
    /// <summary>
    /// Seed of the pairs (and, for randomised layouts, of the layouts). Training data draws its
    /// layouts from its own seed and stream, so with random layouts these are layouts never seen in training.
    /// </summary>
    [Range(0, long.MaxValue)] public long Seed { get; init; } = 1_000_003;
}

public static class PlanEpisodes
{
    /// <summary>Draws the configured episodes of <paramref name="world"/>; deterministic in (config, world).</summary>
    public static PlanEpisode[] Generate(EpisodesConfig config, WorldConfig world) => world switch
    {
        TwoRoomsConfig t => Generate(config, t),
        PushBallConfig p => PushBallEpisodes.Generate(config, p),
        _ => throw new ArgumentOutOfRangeException(nameof(world), world.GetType().Name, "unknown world"),
    };

    /// <summary>Draws the configured pairs; deterministic in (config, world).</summary>
    public static PlanEpisode[] Generate(EpisodesConfig config, TwoRoomsConfig world)
    {
        var batch = new TwoRoomsBatch(world, 1);
        var episodes = new List<PlanEpisode>();
        int total = config.AcrossRooms + config.SameRoom;
        for (int i = 0; i < total; i++)
        {
            bool across = i < config.AcrossRooms;
            ulong rng = Rng.Derive((ulong)config.Seed, (ulong)i, stream: 11);
            var layout = TwoRoomsLayout.Create(world.Layout, ref rng, world.BorderLow, world.BorderHigh);
            batch.SetLayout(0, layout);
            int startRoom = Rng.Uniform(ref rng) < 0.5f ? 0 : 1;
            int goalRoom = across ? 1 - startRoom : startRoom;
            var start = batch.SampleFreePointInRoom(0, startRoom, ref rng, config.Margin);
            var goal = batch.SampleFreePointInRoom(0, goalRoom, ref rng, config.Margin);
            var layoutValues = new float[TwoRoomsLayout.Dim];
            layout.WriteTo(layoutValues);
            episodes.Add(Create(i, layoutValues, [start.X, start.Y], [goal.X, goal.Y], config.Budget, world));
        }
        return episodes.ToArray();
    }

    public static PlanEpisode Create(int id, float[] layout, float[] start, float[] goal, int budget, TwoRoomsConfig world)
    {
        var l = TwoRoomsLayout.ReadFrom(layout);
        Span<float> pieces = stackalloc float[8];
        l.WallPieces(world.BorderLow, world.BorderHigh, pieces);
        int horizon = TwoRoomsGeometry.TaskHorizon(l, pieces, start[0], start[1], goal[0], goal[1], world.MaxStep);
        string kind = l.Room(start[0], start[1]) == l.Room(goal[0], goal[1]) ? PlanEpisode.Same : PlanEpisode.Across;
        return new PlanEpisode(id, kind, layout, start, goal, budget, horizon);
    }

    /// <summary>
    /// Writes a benchmark file. Two-Rooms: a JSON list of {layout: {horizontal, wall_low, …}, start: [x, y], goal: [x, y], budget};
    /// Push-Ball: {agent: [x, y], ball: [x, y], target: [x, y], budget} (both at rest).
    /// Kind, task horizon and the goal frame's state are recomputed on reading, so a hand-written file needs only those.
    /// </summary>
    public static string ToJson(IEnumerable<PlanEpisode> episodes)
    {
        var list = new JsonArray();
        foreach (var e in episodes)
        {
            if (e.Kind == PushBallEpisodes.Kind)
            {
                list.Add(new JsonObject
                {
                    ["agent"] = new JsonArray(e.Start[0], e.Start[1]),
                    ["ball"] = new JsonArray(e.Start[4], e.Start[5]),
                    ["target"] = new JsonArray(e.Layout[0], e.Layout[1]),
                    ["budget"] = e.Budget,
                    ["taskHorizon"] = e.TaskHorizon,
                });
                continue;
            }
            var layout = new JsonObject();
            for (int k = 0; k < TwoRoomsLayout.Dim; k++) layout[TwoRoomsLayout.Names[k]] = e.Layout[k];
            list.Add(new JsonObject
            {
                ["layout"] = layout,
                ["start"] = new JsonArray(e.Start[0], e.Start[1]),
                ["goal"] = new JsonArray(e.Goal[0], e.Goal[1]),
                ["budget"] = e.Budget,
                ["kind"] = e.Kind,
                ["taskHorizon"] = e.TaskHorizon,
            });
        }
        return list.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>Reads a benchmark file for <paramref name="world"/>; every problem is reported with its path in the file (e.g. "[3].start").</summary>
    public static PlanEpisode[] Load(string path, WorldConfig world)
    {
        if (!File.Exists(path)) throw new ConfigException(path, [new ConfigError("", $"episodes file '{path}' does not exist")]);
        string example = world is PushBallConfig
            ? "{\"agent\": [x, y], \"ball\": [x, y], \"target\": [x, y], \"budget\": 200}"
            : "{\"layout\": {...}, \"start\": [x, y], \"goal\": [x, y], \"budget\": 200}";
        JsonNode? root;
        try { root = JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }); }
        catch (JsonException e) { throw new ConfigException(path, [new ConfigError("", ConfigLoader.InvalidJson(e))]); }
        if (root is not JsonArray items) throw new ConfigException(path, [new ConfigError("", "expected a JSON list of episodes: [" + example + ", ...]")]);
        var errors = new List<ConfigError>();
        var episodes = new List<PlanEpisode>();
        for (int i = 0; i < items.Count; i++)
        {
            string at = $"[{i}]";
            if (items[i] is not JsonObject item) { errors.Add(new(at, "expected an object like " + example)); continue; }
            var episode = world switch
            {
                TwoRoomsConfig t => ReadTwoRooms(item, at, i, t, errors),
                PushBallConfig p => ReadPushBall(item, at, i, p, errors),
                _ => throw new ArgumentOutOfRangeException(nameof(world), world.GetType().Name, "unknown world"),
            };
            if (episode is not null) episodes.Add(episode);
        }
        if (errors.Count > 0) throw new ConfigException(path, errors);
        if (episodes.Count == 0) throw new ConfigException(path, [new ConfigError("", "the list is empty; expected at least one episode")]);
        return episodes.ToArray();
    }

    private static PlanEpisode? ReadTwoRooms(JsonObject item, string at, int id, TwoRoomsConfig world, List<ConfigError> errors)
    {
        int before = errors.Count;
        float lo = world.BorderLow, hi = world.BorderHigh;
        UnknownKeys(item, at, ["layout", "start", "goal", "budget", "kind", "taskHorizon"], errors);
        var layout = new float[TwoRoomsLayout.Dim];
        if (item["layout"] is not JsonObject lj) errors.Add(new($"{at}.layout", $"missing; expected an object with {string.Join(", ", TwoRoomsLayout.Names)}"));
        else
        {
            UnknownKeys(lj, $"{at}.layout", TwoRoomsLayout.Names, errors);
            for (int k = 0; k < TwoRoomsLayout.Dim; k++)
                if (!TryNumber(lj[TwoRoomsLayout.Names[k]], out layout[k])) errors.Add(new($"{at}.layout.{TwoRoomsLayout.Names[k]}", "missing or not a number"));
            if (errors.Count == before) CheckLayout(layout, $"{at}.layout", lo, hi, errors);
        }
        bool layoutOk = errors.Count == before;
        var start = Point(item["start"], $"{at}.start", lo, hi, errors);
        var goal = Point(item["goal"], $"{at}.goal", lo, hi, errors);
        int budget = Budget(item, at, errors);
        if (!layoutOk) return null; // walls need a whole layout
        Span<float> pieces = stackalloc float[8];
        TwoRoomsLayout.ReadFrom(layout).WallPieces(lo, hi, pieces);
        if (start is not null && TwoRoomsPhysics.Inside(start[0], start[1], pieces)) errors.Add(new($"{at}.start", $"({start[0]}, {start[1]}) is inside a wall"));
        if (goal is not null && TwoRoomsPhysics.Inside(goal[0], goal[1], pieces)) errors.Add(new($"{at}.goal", $"({goal[0]}, {goal[1]}) is inside a wall"));
        return errors.Count == before ? Create(id, layout, start!, goal!, budget, world) : null;
    }

    /// <summary>
    /// A layout the world could have drawn: orientation 0 (vertical) or 1 (horizontal), a wall of positive thickness
    /// clear of the border, a door at least 1 px wide within the border (else the benchmark holds unsolvable tasks).
    /// </summary>
    private static void CheckLayout(float[] l, string at, float lo, float hi, List<ConfigError> errors)
    {
        if (l[0] is not (0f or 1f)) errors.Add(new($"{at}.horizontal", $"{l[0]} is not allowed; allowed: 0 (vertical wall) or 1 (horizontal wall)"));
        if (l[1] >= l[2]) errors.Add(new($"{at}.wall_low", $"{l[1]} is not below wall_high ({l[2]}); the wall needs a positive thickness"));
        else if (l[1] <= lo + 1 || l[2] >= hi - 1)
            errors.Add(new($"{at}.wall_low", $"the wall [{l[1]}, {l[2]}] touches the border; allowed: within ({lo + 1}, {hi - 1})"));
        if (l[4] - l[3] < 1) errors.Add(new($"{at}.door_low", $"{l[3]} is not at least 1 px below door_high ({l[4]}); the door must be open"));
        else if (l[3] < lo || l[4] > hi) errors.Add(new($"{at}.door_low", $"the door [{l[3]}, {l[4]}] must lie within the border [{lo}, {hi}]"));
    }

    private static void UnknownKeys(JsonObject item, string at, IReadOnlyCollection<string> allowed, List<ConfigError> errors)
    {
        foreach (var (key, _) in item)
            if (!allowed.Contains(key)) errors.Add(new($"{at}.{key}", $"unknown key; allowed keys here: {string.Join(", ", allowed)}"));
    }

    private static PlanEpisode? ReadPushBall(JsonObject item, string at, int id, PushBallConfig world, List<ConfigError> errors)
    {
        int before = errors.Count;
        UnknownKeys(item, at, ["agent", "ball", "target", "budget", "taskHorizon"], errors);
        var agent = Point(item["agent"], $"{at}.agent", world.BorderLow + world.AgentRadius, world.BorderHigh - world.AgentRadius, errors);
        var ball = Point(item["ball"], $"{at}.ball", world.BorderLow + world.BallRadius, world.BorderHigh - world.BallRadius, errors);
        var target = Point(item["target"], $"{at}.target", world.BorderLow + world.BallRadius, world.BorderHigh - world.BallRadius, errors);
        int budget = Budget(item, at, errors);
        if (agent is not null && ball is not null)
        {
            float dx = agent[0] - ball[0], dy = agent[1] - ball[1], r = world.AgentRadius + world.BallRadius;
            if (dx * dx + dy * dy < r * r) errors.Add(new($"{at}.agent", $"({agent[0]}, {agent[1]}) overlaps the ball; centres must be at least {r} px apart"));
        }
        if (errors.Count > before) return null;
        float[] start = [agent![0], agent[1], 0, 0, ball![0], ball[1], 0, 0];
        return PushBallEpisodes.Create(id, start, target!, budget, world);
    }

    private static int Budget(JsonObject item, string at, List<ConfigError> errors)
    {
        int budget = 0;
        if (item["budget"] is not JsonValue bv || !bv.TryGetValue(out budget) || budget < 1) errors.Add(new($"{at}.budget", "missing or not a whole number ≥ 1"));
        return budget;
    }

    private static float[]? Point(JsonNode? node, string at, float lo, float hi, List<ConfigError> errors)
    {
        if (node is not JsonArray { Count: 2 } a || !TryNumber(a[0], out float x) || !TryNumber(a[1], out float y))
        {
            errors.Add(new(at, "missing or not a pair of numbers [x, y]"));
            return null;
        }
        if (x < lo || x > hi || y < lo || y > hi)
        {
            errors.Add(new(at, $"({x}, {y}) is outside the arena; allowed: {lo} to {hi} on both axes"));
            return null;
        }
        return [x, y];
    }

    private static bool TryNumber(JsonNode? node, out float value)
    {
        value = 0;
        if (node is not JsonValue v || !v.TryGetValue(out double d) || !double.IsFinite(d)) return false;
        value = (float)d;
        return true;
    }
}
