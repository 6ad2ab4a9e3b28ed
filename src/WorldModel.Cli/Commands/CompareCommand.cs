using System.CommandLine;
using Spectre.Console;
using WorldModel.Experiments;
using WorldModel.Plan.Evaluation;

namespace WorldModel.Cli.Commands;

/// <summary>
/// `wm compare A B`: are two runs' per-episode results the same (every column but the timing)?
/// Exit 0 when identical, 3 when not; the machines both ran on are shown, since learned models'
/// float rounding (and so their episodes) differs between CPU families.
/// </summary>
public static class CompareCommand
{
    /// <summary>The exit code when the runs differ (0: identical; 1 or 2: they could not be read).</summary>
    public const int Differ = 3;

    public static Command Build()
    {
        var first = new Argument<string>("A")
        {
            Description = "A run folder or results.json, e.g. experiments/reference/quickstart",
        };
        var second = new Argument<string>("B") { Description = "Another, e.g. experiments/quickstart/run-<hash>" };
        var cmd = new Command(
            "compare", "Compare two runs' per-episode results (all columns but timing); exit 3 if they differ")
        {
            first, second,
        };
        cmd.SetAction(parse => CommandRunner.Run(() =>
        {
            string a = parse.GetValue(first)!, b = parse.GetValue(second)!;
            var comparison = ResultsComparison.Of(PlanResults.Read(a), PlanResults.Read(b));
            var table = new Table().AddColumns("method", "same", "different", $"only in A", $"only in B");
            foreach (var m in comparison.Methods)
                table.AddRow(
                    Markup.Escape(m.Name),
                    m.Same.ToString(),
                    m.Different.ToString(),
                    m.OnlyInFirst.ToString(),
                    m.OnlyInSecond.ToString());
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine($"A ran on: {Markup.Escape(Machine(a))}");
            AnsiConsole.MarkupLine($"B ran on: {Markup.Escape(Machine(b))}");
            if (comparison.Identical)
            {
                AnsiConsole.MarkupLine(
                    $"[green]identical[/]: {comparison.Methods.Sum(m => m.Same)} episodes, " +
                    "every column but plan_seconds");
                return CommandRunner.Ok;
            }
            AnsiConsole.MarkupLine(
                "[red]different[/]: the rows above differ (on another CPU family, or with other CPU convolution " +
                "kernels, learned models' rows can differ by float rounding alone; oracle rows should not)");
            return Differ;
        }));
        return cmd;
    }

    /// <summary>The "- Machine:" line of the run's report.md, if it has one.</summary>
    private static string Machine(string path)
    {
        string folder = Directory.Exists(path) ? path : Path.GetDirectoryName(Path.GetFullPath(path))!;
        string report = Path.Combine(folder, "report.md");
        var line = File.Exists(report)
            ? File.ReadLines(report).FirstOrDefault(l => l.StartsWith("- Machine: ", StringComparison.Ordinal))
            : null;
        return line?["- Machine: ".Length..] ?? $"unknown (no report.md in {Paths.Show(folder)})";
    }
}
