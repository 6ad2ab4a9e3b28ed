using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using WorldModel.Core.IO;
using WorldModel.Plan.Mpc;

namespace WorldModel.Plan.Evaluation;

/// <summary>
/// One episode of one evaluation: which method (model/cost space), training seed, planner and horizon.
/// </summary>
public sealed record PlanRow(string Method, int Seed, string Planner, int PlannerHorizon, EpisodeResult Result);

/// <summary>
/// results.csv (one row per episode, for pandas and spreadsheets) and results.json (the same rows, for `wm plot`).
/// </summary>
public static class PlanResults
{
    /// <summary>
    /// 2: rows name the planner horizon plannerHorizon and the expert's steps taskSteps (1: horizon, taskHorizon;
    /// still read).
    /// </summary>
    public const int FormatVersion = 2;

    private static readonly string[] Columns =
        [
            "method",
            "seed",
            "planner",
            "planner_horizon",
            "episode",
            "kind",
            "task_steps",
            "budget",
            "strict",
            "loose",
            "strict_step",
            "loose_step",
            "steps",
            "final_distance",
            "min_distance",
            "replans",
            "plan_seconds"
        ];

    public static void Write(string folder, IReadOnlyList<PlanRow> rows)
    {
        Directory.CreateDirectory(folder);
        AtomicFile.WriteAllText(Path.Combine(folder, "results.csv"), ToCsv(rows));
        var file = new ResultsFile(FormatVersion, rows.ToArray());
        var json = JsonSerializer.Serialize(file with { Sha256 = file.SelfHash() }, Options);
        AtomicFile.WriteAllText(Path.Combine(folder, "results.json"), json);
    }

    public static string ToCsv(IEnumerable<PlanRow> rows)
    {
        var sb = new StringBuilder(string.Join(',', Columns)).Append('\n');
        var c = CultureInfo.InvariantCulture;
        foreach (var (method, seed, planner, horizon, r) in rows)
            sb.Append(string.Join(',', [method, seed.ToString(c), planner, horizon.ToString(c), r.Episode.ToString(c),
                r.Kind, r.TaskSteps.ToString(c), r.Budget.ToString(c),
                r.Strict ? "1" : "0", r.Loose ? "1" : "0", r.StrictStep.ToString(c), r.LooseStep.ToString(c),
                r.Steps.ToString(c),
                r.FinalDistance.ToString("G6", c), r.MinDistance.ToString("G6", c), r.Replans.ToString(c),
                r.PlanSeconds.ToString("G6", c)])).Append('\n');
        return sb.ToString();
    }

    /// <summary>Reads a results.json (or the folder holding one).</summary>
    public static PlanRow[] Read(string path)
    {
        if (Directory.Exists(path)) path = Path.Combine(path, "results.json");
        if (!File.Exists(path))
            throw new FileNotFoundException(
                $"results file '{path}' does not exist; " +
                $"pass a results.json or a folder holding one (eval-plan and run write them)");
        ResultsFile? file;
        try
        {
            var tree = JsonNode.Parse(File.ReadAllText(path)) as JsonObject;
            if (tree?["version"]?.GetValue<int>() == 1) UpgradeFromVersion1(tree);
            file = tree?.Deserialize<ResultsFile>(Options);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{path} is not a results file: {e.Message}");
        }
        if (file is null || file.Rows is null)
            throw new InvalidDataException($"{path} is not a results file (no rows)");
        if (file.Version != FormatVersion)
            throw new InvalidDataException(
                $"{path} has results format {file.Version}; this build reads formats 1 and {FormatVersion}");
        // Files written before 2026-12-03 carry no checksum; a flipped bit in a number is caught from then on.
        if (file.Sha256 is { } recorded && recorded != file.SelfHash())
            throw new InvalidDataException(
                $"{path} failed its checksum: it changed after it was written (a damaged disk or an edit); " +
                "re-make it (delete it and rerun the command that wrote it) or restore it");
        return file.Rows;
    }

    /// <summary>
    /// Format 1 (before the planner horizon and the task's steps had distinct names) read as format 2.
    /// </summary>
    private static void UpgradeFromVersion1(JsonObject tree)
    {
        tree["version"] = FormatVersion;
        foreach (var row in tree["rows"] as JsonArray ?? [])
        {
            if (row is not JsonObject r) continue;
            Rename(r, "horizon", "plannerHorizon");
            if (r["result"] is JsonObject result) Rename(result, "taskHorizon", "taskSteps");
        }

        static void Rename(JsonObject o, string from, string to)
        {
            if (o[from] is not { } value) return;
            o.Remove(from);
            o[to] = value;
        }
    }

    /// <param name="Sha256">SHA-256 of the file as written with this field null (absent in older files).</param>
    private sealed record ResultsFile(int Version, PlanRow[] Rows, string? Sha256 = null)
    {
        public string SelfHash() => AtomicFile.Sha256(
            Encoding.UTF8.GetBytes(JsonSerializer.Serialize(this with { Sha256 = null }, Options)));
    }

    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = false,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase
    };
}
