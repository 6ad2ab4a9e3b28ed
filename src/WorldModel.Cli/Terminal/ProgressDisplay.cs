using System.Diagnostics;
using Spectre.Console;
using Spectre.Console.Rendering;
using WorldModel.Experiments;

namespace WorldModel.Cli.Terminal;

/// <summary>
/// Progress for long steps: a live bar with rate and ETA in a terminal (notes such as the loss shown
/// beside the bar, since a line written while the bar draws is garbled); periodic plain lines and every
/// note when output goes to a file or CI log (a live bar would only print at the end there).
/// </summary>
public static class ProgressDisplay
{
    public static T Run<T>(string description, double total, string unit, Func<IWorkProgress, T> work)
    {
        if (AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected)
        {
            T result = default!;
            AnsiConsole.Progress()
                .AutoClear(false)
                .HideCompleted(false)
                .Columns(
                    new TaskDescriptionColumn(),
                    new ProgressBarColumn(),
                    new PercentageColumn(),
                    new RateColumn(unit),
                    new ElapsedTimeColumn(),
                    new RemainingTimeColumn(),
                    new SpinnerColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask(Markup.Escape(description), maxValue: total);
                    result = work(new LiveProgress(task, description));
                    task.Value = total;
                });
            return result;
        }

        var plain = new PlainProgress();
        var sw = Stopwatch.StartNew();
        using var timer = new Timer(
            _ => Console.WriteLine(Line(description, plain.Done, total, unit, sw.Elapsed)), null, 2000, 2000);
        var r = work(plain);
        timer.Dispose();
        Console.WriteLine(Line(description, total, total, unit, sw.Elapsed));
        return r;
    }

    private static string Line(string description, double value, double total, string unit, TimeSpan elapsed)
    {
        double rate = value / Math.Max(1e-9, elapsed.TotalSeconds);
        string eta = rate > 0 && value < total
            ? $", ETA {TimeSpan.FromSeconds((total - value) / rate):hh\\:mm\\:ss}"
            : "";
        return $"{description}: {100 * value / Math.Max(1, total):F0}% ({value:N0}/{total:N0} {unit}, " +
            $"{Format.Rate(rate)} {unit}/s, {elapsed:hh\\:mm\\:ss}{eta})";
    }

    private sealed class LiveProgress(ProgressTask task, string description) : IWorkProgress
    {
        public void Report(double done) => task.Value = done;
        public void Note(string line) => task.Description = Markup.Escape($"{description}  {line.Trim()}");
    }

    private sealed class PlainProgress : IWorkProgress
    {
        private double _done;
        public double Done => Volatile.Read(ref _done);
        public void Report(double done) => Volatile.Write(ref _done, done);
        public void Note(string line) => Console.WriteLine("  " + line.Trim());
    }

    private sealed class RateColumn(string unit) : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Markup($"[blue]{Format.Rate(task.Speed ?? 0)} {Markup.Escape(unit)}/s[/]");
    }
}
