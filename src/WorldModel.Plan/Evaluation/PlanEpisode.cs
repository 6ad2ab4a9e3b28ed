using System.Text.Json;
using System.Text.Json.Nodes;
using WorldModel.Core.Config;
using WorldModel.Sim.Worlds;

namespace WorldModel.Plan.Evaluation;

/// <summary>
/// One planning task: a layout, a start state, a goal state and a step budget. Kind groups episodes in
/// reports (Two-Rooms: same room or across; Push-Ball: push); TaskSteps is the steps an expert needs
/// (the task steps). Each world draws, reads and writes its own (<see cref="IPlanningWorld"/>).
/// </summary>
public sealed record PlanEpisode(
    int Id,
    string Kind,
    float[] Layout,
    float[] Start,
    float[] Goal,
    int Budget,
    int TaskSteps)
{
    public const string Across = "across", Same = "same";
}

/// <summary>Which start/goal pairs an evaluation uses, drawn as PLDM does.</summary>
public sealed record EpisodesConfig : IValidatable
{
    /// <summary>
    /// Pairs with start and goal in different rooms (one uniformly in each, sides swapped half the time).
    /// </summary>
    [Range(0, 100_000)] public int AcrossRooms { get; init; } = 50;
    /// <summary>Pairs with start and goal in the same room.</summary>
    [Range(0, 100_000)] public int SameRoom { get; init; } = 50;
    /// <summary>
    /// Push-Ball: episodes, each an agent, a ball and a target drawn as the world's reset draws them.
    /// </summary>
    [Range(0, 100_000)] public int Pushes { get; init; } = 50;
    /// <summary>Maze: start/goal pairs per bin of <see cref="MazeDistances"/>.</summary>
    [Range(0, 100_000)] public int MazePairs { get; init; } = 32;
    /// <summary>
    /// Maze: bins of the cell distance between start and goal (breadth-first, through open walls), each given by its
    /// smallest distance, rising; a bin reaches up to the next one, the last has no end. [1, 3, 5] are the bins
    /// "d1-2", "d3-4" and "d5+"; 0 puts start and goal in one cell.
    /// </summary>
    [Range(0, 64)] public int[] MazeDistances { get; init; } = [1, 3, 5];
    /// <summary>Steps allowed per episode (PLDM: 200).</summary>
    [Range(1, 100_000)] public int Budget { get; init; } = 200;
    /// <summary>Distance of starts and goals from walls (PLDM: 2.6).</summary>
    [Range(0, 16)] public float Margin { get; init; } = 2.6f;
    /// <summary>
    /// Seed of the pairs (and, for randomised layouts, of the layouts). Training data draws its
    /// layouts from its own seed and stream, so with random layouts these are layouts never seen in training.
    /// </summary>
    [Range(0, long.MaxValue)] public long Seed { get; init; } = 1_000_003;

    public IEnumerable<ConfigError> Validate()
    {
        for (int i = 1; i < MazeDistances.Length; i++)
            if (MazeDistances[i] <= MazeDistances[i - 1])
                yield return new($"mazeDistances[{i}]",
                    $"{MazeDistances[i]} is not above {MazeDistances[i - 1]}; the bins' smallest distances must rise");
    }
}

/// <summary>
/// Evaluation episodes of any world: drawn from a config, or read from and written to a benchmark file.
/// </summary>
public static class PlanEpisodes
{
    /// <summary>Draws the configured episodes of <paramref name="world"/>; deterministic in (config, world).</summary>
    public static PlanEpisode[] Generate(EpisodesConfig config, WorldConfig world) =>
        PlanningWorld.Of(world).Episodes(config);

    /// <summary>
    /// Writes a benchmark file: a JSON list of the world's entries (Two-Rooms: {layout: {horizontal, wall_low, …},
    /// start: [x, y], goal: [x, y], budget}; Push-Ball: {agent, ball, target, budget}, both at rest).
    /// Kind, task horizon and the goal frame's state are recomputed on reading, so a hand-written file needs only
    /// those.
    /// </summary>
    public static string ToJson(IEnumerable<PlanEpisode> episodes, WorldConfig world)
    {
        var planning = PlanningWorld.Of(world);
        var list = new JsonArray();
        foreach (var e in episodes) list.Add(planning.WriteEpisode(e));
        return list.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>
    /// Reads a benchmark file for <paramref name="world"/>; every problem is reported with its path in the file
    /// (e.g. "[3].start").
    /// </summary>
    public static PlanEpisode[] Load(string path, WorldConfig world)
    {
        if (!File.Exists(path))
            throw new ConfigException(path, [new ConfigError("", $"episodes file '{path}' does not exist")]);
        var planning = PlanningWorld.Of(world);
        string example = planning.EpisodeExample;
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(
                File.ReadAllText(path),
                documentOptions: new JsonDocumentOptions
                {
                    CommentHandling = JsonCommentHandling.Skip,
                    AllowTrailingCommas = true
                });
        }
        catch (JsonException e) { throw new ConfigException(path, [new ConfigError("", ConfigLoader.InvalidJson(e))]); }
        if (root is not JsonArray items)
            throw new ConfigException(
                path, [new ConfigError("", "expected a JSON list of episodes: [" + example + ", ...]")]);
        var errors = new List<ConfigError>();
        var episodes = new List<PlanEpisode>();
        for (int i = 0; i < items.Count; i++)
        {
            string at = $"[{i}]";
            if (items[i] is not JsonObject item)
            {
                errors.Add(new(at, "expected an object like " + example));
                continue;
            }
            if (planning.ReadEpisode(item, at, i, errors) is { } episode) episodes.Add(episode);
        }
        if (errors.Count > 0) throw new ConfigException(path, errors);
        if (episodes.Count == 0)
            throw new ConfigException(path, [new ConfigError("", "the list is empty; expected at least one episode")]);
        return episodes.ToArray();
    }
}

/// <summary>Checks shared by every world's benchmark-file reader.</summary>
public static class EpisodeJson
{
    public static void UnknownKeys(
        JsonObject item,
        string at,
        IReadOnlyCollection<string> allowed,
        List<ConfigError> errors)
    {
        foreach (var (key, _) in item)
            if (!allowed.Contains(key))
                errors.Add(new($"{at}.{key}", $"unknown key; allowed keys here: {string.Join(", ", allowed)}"));
    }

    public static int Budget(JsonObject item, string at, List<ConfigError> errors)
    {
        int budget = 0;
        if (item["budget"] is not JsonValue bv || !bv.TryGetValue(out budget) || budget < 1)
            errors.Add(new($"{at}.budget", "missing or not a whole number ≥ 1"));
        return budget;
    }

    public static float[]? Point(JsonNode? node, string at, float lo, float hi, List<ConfigError> errors)
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

    public static bool TryNumber(JsonNode? node, out float value)
    {
        value = 0;
        if (node is not JsonValue v || !v.TryGetValue(out double d) || !double.IsFinite(d)) return false;
        value = (float)d;
        return true;
    }
}
