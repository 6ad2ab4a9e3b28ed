using System.Text.Json.Nodes;
using WorldModel.Core.Config;
using WorldModel.Plan.Evaluation;
using WorldModel.Sim;
using WorldModel.Worlds.PointAgent;
using static WorldModel.Plan.Evaluation.EpisodeJson;

namespace WorldModel.Worlds.TwoRooms;

/// <summary>
/// Two-Rooms planning tasks as PLDM draws them: start and goal uniformly in the same room or in
/// different rooms (2.6 px from walls, sides swapped half the time); the task steps are the
/// shortest path through the door at the largest step.
/// </summary>
public static class TwoRoomsEpisodes
{
    public const string Example = "{\"layout\": {...}, \"start\": [x, y], \"goal\": [x, y], \"budget\": 200}";

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

    public static PlanEpisode Create(
        int id,
        float[] layout,
        float[] start,
        float[] goal,
        int budget,
        TwoRoomsConfig world)
    {
        var l = TwoRoomsLayout.ReadFrom(layout);
        Span<float> pieces = stackalloc float[8];
        l.WallPieces(world.BorderLow, world.BorderHigh, pieces);
        int horizon = TwoRoomsGeometry.TaskSteps(l, pieces, start[0], start[1], goal[0], goal[1], world.MaxStep);
        string kind = l.Room(start[0], start[1]) == l.Room(goal[0], goal[1]) ? PlanEpisode.Same : PlanEpisode.Across;
        return new PlanEpisode(
            Id: id,
            Kind: kind,
            Layout: layout,
            Start: start,
            Goal: goal,
            Budget: budget,
            TaskSteps: horizon);
    }

    public static JsonObject Write(PlanEpisode e)
    {
        var layout = new JsonObject();
        for (int k = 0; k < TwoRoomsLayout.Dim; k++) layout[TwoRoomsLayout.Names[k]] = e.Layout[k];
        return new JsonObject
        {
            ["layout"] = layout,
            ["start"] = new JsonArray(e.Start[0], e.Start[1]),
            ["goal"] = new JsonArray(e.Goal[0], e.Goal[1]),
            ["budget"] = e.Budget,
            ["kind"] = e.Kind,
            ["taskSteps"] = e.TaskSteps,
        };
    }

    public static PlanEpisode? Read(JsonObject item, string at, int id, TwoRoomsConfig world, List<ConfigError> errors)
    {
        int before = errors.Count;
        float lo = world.BorderLow, hi = world.BorderHigh;
        UnknownKeys(item, at, ["layout", "start", "goal", "budget", "kind", "taskSteps", "taskHorizon"], errors);
        var layout = new float[TwoRoomsLayout.Dim];
        if (item["layout"] is not JsonObject lj)
            errors.Add(new($"{at}.layout",
                $"missing; expected an object with {string.Join(", ", TwoRoomsLayout.Names)}"));
        else
        {
            UnknownKeys(lj, $"{at}.layout", TwoRoomsLayout.Names, errors);
            for (int k = 0; k < TwoRoomsLayout.Dim; k++)
                if (!TryNumber(lj[TwoRoomsLayout.Names[k]], out layout[k]))
                    errors.Add(new($"{at}.layout.{TwoRoomsLayout.Names[k]}", "missing or not a number"));
            if (errors.Count == before) CheckLayout(layout, $"{at}.layout", lo, hi, errors);
        }
        bool layoutOk = errors.Count == before;
        var start = Point(item["start"], $"{at}.start", lo, hi, errors);
        var goal = Point(item["goal"], $"{at}.goal", lo, hi, errors);
        int budget = Budget(item, at, errors);
        if (!layoutOk) return null; // walls need a whole layout
        Span<float> pieces = stackalloc float[8];
        TwoRoomsLayout.ReadFrom(layout).WallPieces(lo, hi, pieces);
        if (start is not null && PointPhysics.Inside(start[0], start[1], pieces))
            errors.Add(new($"{at}.start", $"({start[0]}, {start[1]}) is inside a wall"));
        if (goal is not null && PointPhysics.Inside(goal[0], goal[1], pieces))
            errors.Add(new($"{at}.goal", $"({goal[0]}, {goal[1]}) is inside a wall"));
        return errors.Count == before ? Create(id, layout, start!, goal!, budget, world) : null;
    }

    /// <summary>
    /// A layout the world could have drawn: orientation 0 (vertical) or 1 (horizontal), a wall of positive thickness
    /// clear of the border, a door at least 1 px wide within the border (else the benchmark holds unsolvable tasks).
    /// </summary>
    private static void CheckLayout(float[] l, string at, float lo, float hi, List<ConfigError> errors)
    {
        if (l[0] is not (0f or 1f))
            errors.Add(new($"{at}.horizontal",
                $"{l[0]} is not allowed; allowed: 0 (vertical wall) or 1 (horizontal wall)"));
        if (l[1] >= l[2])
            errors.Add(new($"{at}.wall_low",
                $"{l[1]} is not below wall_high ({l[2]}); the wall needs a positive thickness"));
        else if (l[1] <= lo + 1 || l[2] >= hi - 1)
            errors.Add(new($"{at}.wall_low",
                $"the wall [{l[1]}, {l[2]}] touches the border; allowed: within ({lo + 1}, {hi - 1})"));
        if (l[4] - l[3] < 1)
            errors.Add(new($"{at}.door_low",
                $"{l[3]} is not at least 1 px below door_high ({l[4]}); the door must be open"));
        else if (l[3] < lo || l[4] > hi)
            errors.Add(new($"{at}.door_low", $"the door [{l[3]}, {l[4]}] must lie within the border [{lo}, {hi}]"));
    }
}
