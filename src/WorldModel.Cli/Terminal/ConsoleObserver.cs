using Spectre.Console;
using WorldModel.Experiments;

namespace WorldModel.Cli.Terminal;

/// <summary>What the CLI shows of an experiment: progress bars (or lines in a log), messages and warnings.</summary>
public sealed class ConsoleObserver : IExperimentObserver
{
    public static readonly ConsoleObserver Instance = new();

    public T Track<T>(string task, double total, string unit, Func<IWorkProgress, T> work)
        => ProgressDisplay.Run(task, total, unit, work);

    public void Info(string message) => AnsiConsole.MarkupLine(Markup.Escape(message));

    public void Warning(string message) => AnsiConsole.MarkupLine($"[yellow]warning[/]: {Markup.Escape(message)}");
}
