namespace WorldModel.Core.IO;

/// <summary>
/// Named places half-way through a write where the fault-injection suite can hold the process, so that a
/// kill lands exactly there instead of by luck (a checkpoint or results write takes milliseconds). With
/// <c>WM_FAULT_PAUSE=NAME</c> set, reaching the point NAME says so on stderr and sleeps until killed;
/// unset (always, outside the tests) it costs one string compare. Points: <c>write:FILE</c> (an atomic
/// write whose temporary file is complete, before the rename over FILE), <c>checkpoint</c> (a checkpoint
/// folder half-written: weights saved, optimiser state and meta.json not yet) and <c>reuse-copy</c> (a unit
/// copied by `wm run --reuse-from` into its temporary folder, before the rename into place).
/// </summary>
public static class FaultPoint
{
    /// <summary>The environment variable that names the point to pause at.</summary>
    public const string Variable = "WM_FAULT_PAUSE";

    private static readonly string? Paused = Environment.GetEnvironmentVariable(Variable);

    public static void Reach(string name)
    {
        if (Paused is null || Paused != name) return;
        Console.Error.WriteLine($"fault point {name}: paused ({Variable})");
        Thread.Sleep(TimeSpan.FromMinutes(10));
    }
}
