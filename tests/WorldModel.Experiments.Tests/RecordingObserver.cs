using System.Collections.Concurrent;
using WorldModel.Experiments;
using WorldModel.Experiments.Graph;

namespace WorldModel.Experiments.Tests;

/// <summary>Keeps what an experiment reported, so tests assert on units and files, not console wording.</summary>
public sealed class RecordingObserver : IExperimentObserver
{
    public List<UnitRecord> Units { get; } = [];
    public ConcurrentQueue<string> Notes { get; } = new();
    public List<string> Warnings { get; } = [];
    public ConcurrentQueue<string> Infos { get; } = new();

    public IEnumerable<string> Ran => Units.Where(u => !u.Reused).Select(u => u.Id);
    public IEnumerable<string> Reused => Units.Where(u => u.Reused).Select(u => u.Id);

    public T Track<T>(string task, double total, string unit, Func<IWorkProgress, T> work) => work(new Progress(this));
    public void Info(string message) => Infos.Enqueue(message);
    public void Warning(string message) => Warnings.Add(message);
    public void UnitDone(UnitRecord record) => Units.Add(record);

    private sealed class Progress(RecordingObserver owner) : IWorkProgress
    {
        public void Report(double done) { }
        public void Note(string line) => owner.Notes.Enqueue(line);
    }
}
