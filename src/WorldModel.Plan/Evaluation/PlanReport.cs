using System.Globalization;
using System.Text;
using WorldModel.Report;

namespace WorldModel.Plan.Evaluation;

/// <summary>
/// Plots and tables of planning results: success versus task horizon and versus planner horizon, per method.
/// </summary>
public static class PlanReport
{
    /// <summary>
    /// success_vs_task_horizon(_loose) and, with several planner horizons, success_vs_planner_horizon; PNG and SVG.
    /// </summary>
    public static IReadOnlyList<string> SavePlots(string folder, IReadOnlyList<PlanRow> rows, string title)
    {
        Directory.CreateDirectory(folder);
        var written = new List<string>();
        int maxTask = rows.Count == 0 ? 1 : rows.Max(r => r.Result.TaskSteps);
        int width = Math.Max(5, (int)Math.Ceiling(maxTask / 8.0 / 5) * 5);
        foreach (bool strict in new[] { true, false })
        {
            // Each method at its longest planner horizon.
            var series = rows.GroupBy(r => r.Method).Select(g =>
            {
                int h = g.Max(r => r.PlannerHorizon);
                var bins = SuccessSummary.ByTaskSteps(g.Where(r => r.PlannerHorizon == h), width).ToArray();
                var rates = bins.Select(b => Rate.Of(b.Rows, SuccessSummary.Threshold(strict))).ToArray();
                return new SuccessPlot.Series(
                    $"{g.Key} (H={h})",
                    bins.Select(b => b.Centre).ToArray(),
                    rates.Select(r => r.Value).ToArray(),
                    rates.Select(r => r.Low).ToArray(),
                    rates.Select(r => r.High).ToArray());
            }).ToList();
            string name = strict ? "success_vs_task_horizon" : "success_vs_task_horizon_loose";
            SuccessPlot.Save(
                Path.Combine(folder, name),
                $"{title}\nsuccess vs task horizon ({(strict ? "strict, < √2 px" : "< 4.5 px")}; Wilson 95%)",
                $"task horizon: steps the expert needs (bins of {width})", "success (%)", series);
            written.Add(name);
        }
        if (rows.Select(r => r.PlannerHorizon).Distinct().Count() > 1)
        {
            // Two-Rooms: the across-room episodes, where the horizon matters; other worlds: every episode.
            bool rooms = HasRooms(rows);
            var across = rows.Where(r => !rooms || r.Result.Kind == PlanEpisode.Across).ToList();
            var series = across.GroupBy(r => r.Method).Select(g =>
            {
                var byH = g.GroupBy(r => r.PlannerHorizon).OrderBy(x => x.Key).ToArray();
                var rates = byH.Select(x => Rate.Of(x.ToArray(), SuccessSummary.Threshold(true))).ToArray();
                return new SuccessPlot.Series(
                    g.Key,
                    byH.Select(x => (double)x.Key).ToArray(),
                    rates.Select(r => r.Value).ToArray(),
                    rates.Select(r => r.Low).ToArray(),
                    rates.Select(r => r.High).ToArray());
            }).ToList();
            SuccessPlot.Save(
                Path.Combine(folder, "success_vs_planner_horizon"),
                $"{title}\n{(rooms ? "across-room " : "")}success vs planner horizon (strict; Wilson 95%)",
                "planner horizon H (steps)",
                "success (%)",
                series);
            written.Add("success_vs_planner_horizon");
        }
        return written;
    }

    /// <summary>
    /// A Markdown table: one row per method and planner horizon. Two-Rooms splits same-room from across-room
    /// episodes; a world with one kind of episode (Push-Ball) shows all of them at both thresholds; a world with
    /// several other kinds (the maze's distance bins) shows each kind, strict, then all at 4.5 px.
    /// </summary>
    public static string Table(IReadOnlyList<PlanRow> rows)
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        bool rooms = HasRooms(rows);
        var kinds = rooms ? [] : rows.Select(r => r.Result.Kind).Distinct().ToArray();
        if (kinds.Length == 1) kinds = [];
        string header = rooms
            ? "| method | H | same room, strict | across rooms, strict | across rooms, < 4.5 px "
            : kinds.Length > 0
                ? "| method | H | " + string.Concat(kinds.Select(k => $"{k}, strict | ")) + "all, < 4.5 px "
                : "| method | H | strict | < 4.5 px ";
        header += "| steps (successes) | plan s/episode | ms/replan per episode |";
        sb.AppendLine(header);
        sb.AppendLine("|" + string.Concat(Enumerable.Repeat("---|", header.Count(ch => ch == '|') - 1)));
        foreach (var g in rows.GroupBy(r => (r.Method, r.PlannerHorizon))
            .OrderBy(g => g.Key.Method, StringComparer.Ordinal).ThenBy(g => g.Key.PlannerHorizon))
        {
            var same = g.Where(r => r.Result.Kind == PlanEpisode.Same).ToArray();
            var across = rooms ? g.Where(r => r.Result.Kind == PlanEpisode.Across).ToArray() : g.ToArray();
            var solved = g.Where(r => r.Result.Strict).ToArray();
            string Cell(PlanRow[] xs, bool strict) => xs.Length == 0
                ? "—"
                : Rate.Of(xs, SuccessSummary.Threshold(strict)).ToString() + $" of {xs.Length}";
            double seconds = g.Average(r => r.Result.PlanSeconds);
            double msPerReplan = 1000 * g.Sum(r => r.Result.PlanSeconds) / Math.Max(1, g.Sum(r => r.Result.Replans));
            string cells = rooms
                ? $" {Cell(same, true)} | {Cell(across, true)} | {Cell(across, false)} |"
                : kinds.Length > 0
                    ? string.Concat(kinds.Select(k => $" {Cell(g.Where(r => r.Result.Kind == k).ToArray(), true)} |"))
                      + $" {Cell(across, false)} |"
                    : $" {Cell(across, true)} | {Cell(across, false)} |";
            sb.AppendLine(
                string.Create(c, $"| {g.Key.Method} | {g.Key.PlannerHorizon} |{cells} ") +
                string.Create(
                    c, $"{(solved.Length == 0 ? "—" : solved.Average(r => r.Result.StrictStep).ToString("F0", c))}") +
                string.Create(c, $" | {seconds:F2} | {msPerReplan:F1} |"));
        }
        return sb.ToString();
    }

    private static bool HasRooms(IEnumerable<PlanRow> rows) =>
        rows.Any(r => r.Result.Kind is PlanEpisode.Same or PlanEpisode.Across);
}
