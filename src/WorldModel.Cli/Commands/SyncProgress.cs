namespace WorldModel.Cli.Commands;

/// <summary>Reports on the calling thread (System.Progress would post to the thread pool and arrive late).</summary>
public sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
