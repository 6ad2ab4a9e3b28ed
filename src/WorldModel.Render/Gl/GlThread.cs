using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace WorldModel.Render.Gl;

/// <summary>
/// A GL context is current on one thread only, and calls from any other thread fail silently.
/// All GL work therefore runs on this one dedicated thread; callers post work and wait.
/// </summary>
internal sealed class GlThread : IDisposable
{
    private readonly BlockingCollection<Action> _queue = new();
    private readonly Thread _thread;

    public GlThread()
    {
        _thread = new Thread(() => { foreach (var work in _queue.GetConsumingEnumerable()) work(); })
        {
            IsBackground = true,
            Name = "WorldModel GL",
        };
        _thread.Start();
    }

    public T Invoke<T>(Func<T> work)
    {
        if (Thread.CurrentThread == _thread) return work();
        T result = default!;
        ExceptionDispatchInfo? error = null;
        using var done = new ManualResetEventSlim();
        _queue.Add(() =>
        {
            try { result = work(); }
            catch (Exception e) { error = ExceptionDispatchInfo.Capture(e); }
            finally { done.Set(); }
        });
        done.Wait();
        error?.Throw();
        return result;
    }

    public void Invoke(Action work) => Invoke(() => { work(); return 0; });

    public void Dispose()
    {
        _queue.CompleteAdding();
        _thread.Join();
        _queue.Dispose();
    }
}
