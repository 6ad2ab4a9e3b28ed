using WorldModel.Experiments.Graph;

namespace WorldModel.Experiments;

/// <summary>
/// How an experiment tells its caller what it does. The library never writes to the console: the CLI
/// draws bars and lines, tests record, a cluster job logs. Implementations must be thread-safe for
/// <see cref="IWorkProgress.Report"/> (training reports from its own thread).
/// </summary>
public interface IExperimentObserver
{
    /// <summary>
    /// Runs <paramref name="work"/>, which does <paramref name="total"/> <paramref name="unit"/> and
    /// reports how many are done.
    /// </summary>
    T Track<T>(string task, double total, string unit, Func<IWorkProgress, T> work);

    void Info(string message);

    void Warning(string message);

    /// <summary>A unit finished (ran now) or was found finished (reused).</summary>
    void UnitDone(UnitRecord record) { }
}

/// <summary>Progress of one tracked piece of work.</summary>
public interface IWorkProgress
{
    /// <summary>How much of the total is done.</summary>
    void Report(double done);

    /// <summary>
    /// A line worth keeping (e.g. the loss at a logging step); a live display may show it beside the bar
    /// instead.
    /// </summary>
    void Note(string line);
}

/// <summary>Tells nothing; for tests and library callers that only want the files.</summary>
public sealed class SilentObserver : IExperimentObserver
{
    public static readonly SilentObserver Instance = new();
    public T Track<T>(string task, double total, string unit, Func<IWorkProgress, T> work) => work(Quiet.Instance);
    public void Info(string message) { }
    public void Warning(string message) { }

    private sealed class Quiet : IWorkProgress
    {
        public static readonly Quiet Instance = new();
        public void Report(double done) { }
        public void Note(string line) { }
    }
}
