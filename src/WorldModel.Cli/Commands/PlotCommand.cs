using System.CommandLine;
using Spectre.Console;
using WorldModel.Plan.Evaluation;
using WorldModel.Experiments;

namespace WorldModel.Cli.Commands;

/// <summary>`wm plot RESULTS...`: re-draws success plots from one or more results files (compare runs).</summary>
public static class PlotCommand
{
    public static Command Build()
    {
        var inputs = new Argument<string[]>("RESULTS")
        {
            Description = "results.json files, or folders holding one (from 'wm run' or 'wm eval-plan')",
            Arity = ArgumentArity.OneOrMore,
        };
        var outOpt = new Option<string>("--out") { Description = "Folder for the plots and table.md", Required = true };
        var title = new Option<string>("--title") { Description = "Plot title", DefaultValueFactory = _ => "planning" };
        var label = new Option<bool>("--label-by-file")
        {
            Description = "Prefix each method with its file's folder name (to tell runs apart)",
        };
        var cmd = new Command(
            "plot", "Re-draw success-vs-horizon plots from results files; several files are drawn together")
        {
            inputs, outOpt, title, label,
        };
        cmd.SetAction(parse => CommandRunner.Run(() =>
        {
            var rows = new List<PlanRow>();
            var files = parse.GetValue(inputs)!;
            bool byFile = parse.GetValue(label) || files.Length > 1;
            foreach (string path in files)
            {
                string name = Path.GetFileName(Path.GetFullPath(
                    Directory.Exists(path) ? path : Path.GetDirectoryName(Path.GetFullPath(path))!).TrimEnd('/'));
                rows.AddRange(PlanResults.Read(path)
                    .Select(r => byFile ? r with { Method = $"{name}: {r.Method}" } : r));
            }
            string outFolder = parse.GetValue(outOpt)!;
            var plots = PlanReport.SavePlots(outFolder, rows, parse.GetValue(title)!);
            Core.IO.AtomicFile.WriteAllText(Path.Combine(outFolder, "table.md"), PlanReport.Table(rows));
            AnsiConsole.WriteLine(PlanReport.Table(rows));
            AnsiConsole.MarkupLine($"[green]wrote[/] {string.Join(", ", plots.Select(p => p + ".png/.svg"))} " +
                $"and table.md to {Markup.Escape(Paths.Show(outFolder))}");
            return CommandRunner.Ok;
        }));
        return cmd;
    }
}
