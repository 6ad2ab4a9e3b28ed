using System.Globalization;
using System.Text;
using System.Text.Json;
using WorldModel.Core.IO;
using WorldModel.Plan.Mpc;

namespace WorldModel.Plan.Evaluation;

/// <summary>One episode of one evaluation: which method (model/cost space), training seed, planner and horizon.</summary>
public sealed record PlanRow(string Method, int Seed, string Planner, int Horizon, EpisodeResult Result);

/// <summary>results.csv (one row per episode, for pandas and spreadsheets) and results.json (the same rows, for `wm plot`).</summary>
public static class PlanResults
{
    public const int FormatVersion = 1;

    private static readonly string[] Columns =
        ["method", "seed", "planner", "horizon", "episode", "kind", "task_horizon", "budget", "strict", "loose", "strict_step", "loose_step", "steps", "final_distance", "min_distance", "replans", "plan_seconds"];

    public static void Write(string folder, IReadOnlyList<PlanRow> rows)
    {
        Directory.CreateDirectory(folder);
        AtomicFile.WriteAllText(Path.Combine(folder, "results.csv"), ToCsv(rows));
        var json = JsonSerializer.Serialize(new ResultsFile(FormatVersion, rows.ToArray()), Options);
        AtomicFile.WriteAllText(Path.Combine(folder, "results.json"), json);
    }

    public static string ToCsv(IEnumerable<PlanRow> rows)
    {
        var sb = new StringBuilder(string.Join(',', Columns)).Append('\n');
        var c = CultureInfo.InvariantCulture;
        foreach (var (method, seed, planner, horizon, r) in rows)
            sb.Append(string.Join(',', [method, seed.ToString(c), planner, horizon.ToString(c), r.Episode.ToString(c), r.Kind, r.TaskHorizon.ToString(c), r.Budget.ToString(c),
                r.Strict ? "1" : "0", r.Loose ? "1" : "0", r.StrictStep.ToString(c), r.LooseStep.ToString(c), r.Steps.ToString(c),
                r.FinalDistance.ToString("G6", c), r.MinDistance.ToString("G6", c), r.Replans.ToString(c), r.PlanSeconds.ToString("G6", c)])).Append('\n');
        return sb.ToString();
    }

    /// <summary>Reads a results.json (or the folder holding one).</summary>
    public static PlanRow[] Read(string path)
    {
        if (Directory.Exists(path)) path = Path.Combine(path, "results.json");
        if (!File.Exists(path)) throw new FileNotFoundException($"results file '{path}' does not exist; pass a results.json or a folder holding one (eval-plan and run write them)");
        ResultsFile? file;
        try { file = JsonSerializer.Deserialize<ResultsFile>(File.ReadAllText(path), Options); }
        catch (JsonException e) { throw new InvalidDataException($"{path} is not a results file: {e.Message}"); }
        if (file is null || file.Rows is null) throw new InvalidDataException($"{path} is not a results file (no rows)");
        if (file.Version != FormatVersion) throw new InvalidDataException($"{path} has results format {file.Version}; this build reads format {FormatVersion}");
        return file.Rows;
    }

    private sealed record ResultsFile(int Version, PlanRow[] Rows);

    private static readonly JsonSerializerOptions Options = new() { WriteIndented = false, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
}
