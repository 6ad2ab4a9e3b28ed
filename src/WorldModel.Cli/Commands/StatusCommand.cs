using System.CommandLine;
using Spectre.Console;
using WorldModel.Core.Config;
using WorldModel.Experiments;
using WorldModel.Experiments.Graph;
using WorldModel.Experiments.Slurm;

namespace WorldModel.Cli.Commands;

/// <summary>
/// `wm status RUN`: each unit of a run and where it stands: finished (units/*.json and its output), or, for units
/// of the latest Slurm submission, pending, running, failed or cancelled, with job ids and logs. Exit 1 when a
/// unit failed or was cancelled.
/// </summary>
public static class StatusCommand
{
    public static Command Build()
    {
        var run = new Argument<string>("RUN")
        {
            Description = "A run folder of `wm run`, e.g. experiments/x/run-<hash>",
        };
        var cmd = new Command("status", "Show each unit of a run: finished, pending, running, failed or cancelled")
        {
            run,
        };
        cmd.SetAction(parse => CommandRunner.Run(() =>
        {
            var graph = Open(parse.GetValue(run)!);
            var units = RunStatus.Of(graph);
            var table = new Table().AddColumns("unit", "state", "job", "detail");
            foreach (var u in units)
                table.AddRow(Markup.Escape(u.Unit), Colour(u.State), Markup.Escape(u.Job?.SlurmId ?? "—"),
                    Markup.Escape(u.Detail));
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine(string.Join(", ", units.GroupBy(u => u.State).OrderBy(g => g.Key)
                .Select(g => $"{g.Count()} {Word(g.Key)}")));
            var broken = units.Where(u => u.NeedsRerun).ToList();
            foreach (var u in broken)
                AnsiConsole.MarkupLine($"[red]{Word(u.State)}[/]: {Markup.Escape(u.Unit)} " +
                    $"({Markup.Escape(u.Detail)}); log: {Markup.Escape(Paths.Show(u.Job!.Log))}");
            if (broken.Count == 0) return CommandRunner.Ok;
            AnsiConsole.MarkupLine(
                "run the same `wm run` again to submit what did not finish (finished units are reused)");
            return CommandRunner.Failed;
        }));
        return cmd;
    }

    /// <summary>The graph of a run folder, from its config.json.</summary>
    internal static ExperimentGraph Open(string folder)
    {
        string config = Path.Combine(folder, ExperimentRunner.ConfigFile);
        if (!File.Exists(config))
            throw new ArgumentException($"{folder} holds no {ExperimentRunner.ConfigFile}; give a run folder of " +
                "`wm run`, e.g. experiments/<name>/run-<hash>");
        return ExperimentGraph.Build(ConfigLoader.LoadFile<ExperimentConfig>(config), folder);
    }

    private static string Word(UnitState state) => state switch
    {
        UnitState.NotStarted => "not started",
        _ => state.ToString().ToLowerInvariant(),
    };

    private static string Colour(UnitState state) => state switch
    {
        UnitState.Finished => "[green]finished[/]",
        UnitState.Failed => "[red]failed[/]",
        UnitState.Cancelled => "[red]cancelled[/]",
        UnitState.Running => "[blue]running[/]",
        _ => Word(state),
    };
}
