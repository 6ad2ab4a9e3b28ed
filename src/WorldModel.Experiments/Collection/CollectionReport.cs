using System.Globalization;
using System.Text;
using WorldModel.Core.IO;
using WorldModel.Data;
using WorldModel.Plan.Evaluation;
using WorldModel.Report;

namespace WorldModel.Experiments.Collection;

/// <summary>
/// What active collection did, per strategy and round: transitions, how often the world's rare event happened in
/// the data (per 1,000 transitions), the share of the arena visited, and the planning success of the models
/// trained on the data so far; collection.csv, plots (success versus transitions collected, rare events versus
/// round, a coverage map per strategy) and the report's "Data collection" section.
/// </summary>
public static class CollectionReport
{
    /// <summary>
    /// One strategy after one round, over seeds: success strict (within √2 px), and loose (within 4.5 px, Push-Ball's
    /// measure).
    /// </summary>
    public sealed record RoundRow(
        string Strategy,
        int Round,
        long Transitions,
        double RarePerThousand,
        double Coverage,
        IReadOnlyDictionary<string, Rate> Success,
        IReadOnlyDictionary<string, Rate> Loose);

    /// <summary>Writes collection.csv and the plots; returns the report section (Markdown).</summary>
    public static string Write(
        ExperimentConfig config,
        string folder,
        IReadOnlyList<CollectUnit> rounds,
        IReadOnlyList<PlanRow> rows)
    {
        var world = (IDatasetWorld)config.Data.World;
        var plots = Path.Combine(folder, "plots");
        Directory.CreateDirectory(plots);
        var stats = rounds.ToDictionary(r => r, r => DatasetStats.Compute(r.Open()));
        var rare = rounds.ToDictionary(r => r, r => RareEvents.PerThousand(r.Open()));
        // The round 0 data is every strategy's start.
        var strategies = config.Collection!.Strategies.Select(s => s.Label).ToArray();
        var table = new List<RoundRow>();
        var methods = MethodsOf(rows);
        foreach (var label in strategies)
            for (int r = 0; r <= config.Collection.Rounds; r++)
            {
                var units = rounds.Where(u => u.Round == r && (r == 0 || u.Label == label)).ToList();
                if (units.Count == 0) continue;
                string at = $"{(r == 0 ? "initial" : label)}@{CollectionGraph.Transitions(units[0].Transitions)}/";
                Dictionary<string, Rate> Success(bool strict) => methods.ToDictionary(m => m, m => Rate.Of(
                    Hardest(rows.Where(x => x.Method == at + m).ToList()), SuccessSummary.Threshold(strict)));
                table.Add(new RoundRow(label, r, units[0].Transitions, units.Average(u => rare[u]),
                    units.Average(u => stats[u].CoveredCellShare), Success(true), Success(false)));
            }

        WriteCsv(Path.Combine(folder, "collection.csv"), table, methods, world.RareEvent);
        // One figure per planning method: with two (say two-level and over a graph) each tells its own story.
        foreach (var method in methods)
            SuccessPlot.Save(Path.Combine(plots, SuccessPlotName(method)),
                $"{config.Name}: {method}\nsuccess vs transitions collected (strict; Wilson 95%)",
                "transitions collected", "success (%)",
                strategies.Select(s => Series(s, table.Where(t => t.Strategy == s && t.Success[method].Trials > 0),
                    method)).ToList());
        LinePlot.Save(Path.Combine(plots, "rare_events_vs_round"),
            $"{config.Name}\n{world.RareEvent} per 1,000 transitions of the data so far", "round", world.RareEvent,
            strategies.Select(s => new LinePlot.Series(s,
                table.Where(t => t.Strategy == s).Select(t => (double)t.Round).ToArray(),
                table.Where(t => t.Strategy == s).Select(t => t.RarePerThousand).ToArray())), integerX: true);
        foreach (var label in strategies)
        {
            var last = rounds.Where(u => u.Label == label && u.Seed == config.Seeds[0]).MaxBy(u => u.Round);
            if (last is not null)
                Plots.Heatmap(Path.Combine(plots, $"coverage-{label}"), stats[last].Coverage,
                    $"{label}: {stats[last].CoverageOf} positions after round {last.Round} (seed {last.Seed})",
                    "visits");
        }
        return Markdown(config, table, methods, world.RareEvent);
    }

    /// <summary>The success-versus-transitions figure of one method: "jepa/latent-hier" → its file name.</summary>
    public static string SuccessPlotName(string method) =>
        "success_vs_transitions-" + method.Replace('/', '-');

    /// <summary>The planning methods of the trained models, without their STRATEGY@TRANSITIONS/ prefix.</summary>
    private static List<string> MethodsOf(IReadOnlyList<PlanRow> rows) =>
        rows.Select(r => r.Method).Where(m => m.Contains('@', StringComparison.Ordinal))
            .Select(m => m[(m.IndexOf('/', StringComparison.Ordinal) + 1)..]).Distinct().Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>The episodes a collection is about: Two-Rooms' across-room ones; every episode elsewhere.</summary>
    private static List<PlanRow> Hardest(List<PlanRow> rows) =>
        rows.Any(r => r.Result.Kind == PlanEpisode.Across)
            ? rows.Where(r => r.Result.Kind == PlanEpisode.Across).ToList()
            : rows;

    private static SuccessPlot.Series Series(string name, IEnumerable<RoundRow> rows, string method)
    {
        var list = rows.ToList();
        return new SuccessPlot.Series(name,
            list.Select(r => (double)r.Transitions).ToArray(),
            list.Select(r => r.Success[method].Value).ToArray(),
            list.Select(r => r.Success[method].Low).ToArray(),
            list.Select(r => r.Success[method].High).ToArray());
    }

    private static void WriteCsv(string path, List<RoundRow> table, List<string> methods, string rareEvent)
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder("strategy,round,transitions,rare_events_per_1000,coverage");
        // The loose count last, so that "_successes" still names each method's strict column alone.
        foreach (var m in methods) sb.Append(c, $",{m}_successes,{m}_trials,{m}_loose");
        sb.Append('\n');
        foreach (var r in table)
        {
            sb.Append(c, $"{r.Strategy},{r.Round},{r.Transitions},{r.RarePerThousand:G6},{r.Coverage:G6}");
            foreach (var m in methods)
                sb.Append(c, $",{r.Success[m].Successes},{r.Success[m].Trials},{r.Loose[m].Successes}");
            sb.Append('\n');
        }
        AtomicFile.WriteAllText(path, $"# rare event: {rareEvent}\n" + sb);
    }

    private static string Markdown(
        ExperimentConfig config,
        List<RoundRow> table,
        List<string> methods,
        string rareEvent)
    {
        var col = config.Collection!;
        var sb = new StringBuilder();
        sb.AppendLine("## Data collection").AppendLine();
        sb.AppendLine($"Every strategy starts from the same {col.InitialEpisodes:N0} episodes of " +
            $"{Core.Config.ConfigNames.Kind(col.Initial.GetType())} data and adds {col.RoundEpisodes:N0} episodes " +
            $"of {config.Data.Steps} steps per round for {col.Rounds} rounds (the same number of transitions for " +
            "every strategy). Active strategies plan, before each round, with a model trained on the data so far. " +
            $"After each evaluated round the experiment's models are trained on the data so far and planned; success " +
            $"is on across-room pairs (Two-Rooms) or all pairs, strict (within √2 px; in brackets: how many within " +
            "4.5 px), pooled over seeds with Wilson 95% intervals. " +
            $"Rare event: {rareEvent}, per 1,000 transitions of the data so far (mean over seeds).").AppendLine();
        sb.Append("| strategy | round | transitions | " + rareEvent + " / 1,000 | arena visited |");
        foreach (var m in methods) sb.Append(CultureInfo.InvariantCulture, $" {m} |");
        sb.AppendLine();
        sb.AppendLine("|" + string.Concat(Enumerable.Repeat("---|", 5 + methods.Count)));
        foreach (var r in table)
        {
            sb.Append(CultureInfo.InvariantCulture,
                $"| {r.Strategy} | {r.Round} | {r.Transitions:N0} | {r.RarePerThousand:F1} | {100 * r.Coverage:F0}% |");
            foreach (var m in methods)
                sb.Append(r.Success[m].Trials == 0 ? " — |"
                    : $" {r.Success[m]} of {r.Success[m].Trials} ({r.Loose[m].Successes} within 4.5 px) |");
            sb.AppendLine();
        }
        sb.AppendLine();
        foreach (var m in methods)
            sb.AppendLine($"![success vs transitions, {m}](plots/{SuccessPlotName(m)}.png)").AppendLine();
        sb.AppendLine("![rare_events_vs_round](plots/rare_events_vs_round.png)").AppendLine();
        foreach (var s in col.Strategies)
            sb.AppendLine($"![coverage {s.Label}](plots/coverage-{s.Label}.png)");
        return sb.AppendLine().ToString();
    }
}
