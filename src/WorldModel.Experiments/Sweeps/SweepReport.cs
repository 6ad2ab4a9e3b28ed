using System.Globalization;
using System.Text;
using WorldModel.Core.IO;
using WorldModel.Plan.Evaluation;
using WorldModel.Report;

namespace WorldModel.Experiments.Sweeps;

/// <summary>
/// A sweep's combined results, from each run's results.json: sweep.csv and sweep.md (grid values × method ×
/// planner horizon → success rates with Wilson 95% intervals) and success_vs_grid.png/.svg (strict success of each
/// method at its longest planner horizon, across the grid points).
/// </summary>
public static class SweepReport
{
    public static void Write(string folder, SweepGrid grid, IReadOnlyList<SweepRun> runs, string title)
    {
        var lines = runs.Select((run, i) => (Index: i, Run: run, Rows: PlanResults.Read(run.Folder))).ToList();
        var csv = new StringBuilder(string.Join(',', ["point", .. grid.Keys, "method", "planner_horizon", "episodes",
            "strict_successes", "strict_rate", "strict_low", "strict_high", "loose_successes", "loose_rate", "run"]));
        csv.Append('\n');
        var md = new StringBuilder($"# {title}: sweep over {string.Join(" × ", grid.Keys)}\n\n");
        md.Append(ExperimentReportNote).Append("\n\n");
        md.Append("| point | " + string.Concat(grid.Keys.Select(k => $"{k} | ")) +
            "method | H | strict | < 4.5 px | run |\n");
        md.Append("|" + string.Concat(Enumerable.Repeat("---|", grid.Keys.Count + 6)) + "\n");
        var c = CultureInfo.InvariantCulture;
        foreach (var (index, run, rows) in lines)
            foreach (var g in Groups(rows))
            {
                var strict = Rate.Of(g.Rows, SuccessSummary.Threshold(true));
                var loose = Rate.Of(g.Rows, SuccessSummary.Threshold(false));
                csv.Append(string.Join(',', [index.ToString(c), .. run.Values.Select(Csv), Csv(g.Method),
                    g.Horizon.ToString(c), g.Rows.Length.ToString(c), strict.Successes.ToString(c),
                    strict.Value.ToString("F4", c), strict.Low.ToString("F4", c), strict.High.ToString("F4", c),
                    loose.Successes.ToString(c), loose.Value.ToString("F4", c), Csv(Path.GetFullPath(run.Folder))]));
                csv.Append('\n');
                md.Append($"| {index} | " + string.Concat(run.Values.Select(v => $"`{v}` | ")) +
                    $"{g.Method} | {g.Horizon} | {strict} of {g.Rows.Length} | {loose} | " +
                    $"{Path.GetFileName(Path.GetFullPath(run.Folder))} |\n");
            }
        md.Append("\n![success across the grid](success_vs_grid.png)\n");
        Directory.CreateDirectory(folder);
        AtomicFile.WriteAllText(Path.Combine(folder, "sweep.csv"), csv.ToString());
        AtomicFile.WriteAllText(Path.Combine(folder, "sweep.md"), md.ToString());
        Plot(folder, grid, lines.Select(l => (l.Index, l.Run, l.Rows)).ToList(), title);
    }

    private const string ExperimentReportNote =
        "One run per grid point (its own run folder, report.md and results); success rates pooled over its seeds " +
        "with Wilson 95% intervals.";

    /// <summary>Strict success of each method at its longest planner horizon, one x per grid point.</summary>
    private static void Plot(string folder, SweepGrid grid, List<(int Index, SweepRun Run, PlanRow[] Rows)> points,
        string title)
    {
        // A single numeric key ("64", or a one-number list "[16]") is drawn on its own scale; otherwise by point.
        double[]? numeric = grid.Keys.Count == 1 ? Numbers(points.Select(p => p.Run.Values[0])) : null;
        var methods = points.SelectMany(p => p.Rows.Select(r => r.Method)).Distinct().Order(StringComparer.Ordinal);
        var series = methods.Select(m =>
        {
            var xs = new List<double>();
            var rates = new List<Rate>();
            foreach (var (index, _, rows) in points)
            {
                var own = rows.Where(r => r.Method == m).ToArray();
                if (own.Length == 0) continue;
                int h = own.Max(r => r.PlannerHorizon);
                xs.Add(numeric?[index] ?? index);
                rates.Add(Rate.Of(own.Where(r => r.PlannerHorizon == h).ToArray(), SuccessSummary.Threshold(true)));
            }
            return new SuccessPlot.Series(m, [.. xs], [.. rates.Select(r => r.Value)], [.. rates.Select(r => r.Low)],
                [.. rates.Select(r => r.High)]);
        }).ToList();
        string xLabel = numeric is not null
            ? grid.Keys[0]
            : "grid point: " + string.Join("; ", points.Select(p =>
                $"{p.Index} = {string.Join(", ", grid.Overrides(p.Run.Values))}"));
        SuccessPlot.Save(Path.Combine(folder, "success_vs_grid"),
            $"{title}\nstrict success across the sweep (longest planner horizon; Wilson 95%)", xLabel, "success (%)",
            series);
    }

    private static IEnumerable<(string Method, int Horizon, PlanRow[] Rows)> Groups(PlanRow[] rows) =>
        rows.GroupBy(r => (r.Method, r.PlannerHorizon))
            .OrderBy(g => g.Key.Method, StringComparer.Ordinal).ThenBy(g => g.Key.PlannerHorizon)
            .Select(g => (g.Key.Method, g.Key.PlannerHorizon, g.ToArray()));

    /// <summary>Each value as a number ("64", "[16]"), or null when any is not one.</summary>
    private static double[]? Numbers(IEnumerable<string> values)
    {
        var numbers = new List<double>();
        foreach (var v in values)
        {
            if (!double.TryParse(v.Trim('[', ']', ' '), NumberStyles.Float, CultureInfo.InvariantCulture, out double x))
                return null;
            numbers.Add(x);
        }
        return [.. numbers];
    }

    private static string Csv(string field) =>
        field.IndexOfAny([',', '"', '\n']) >= 0
            ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : field;
}
