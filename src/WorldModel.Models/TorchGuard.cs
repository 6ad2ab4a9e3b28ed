using System.Runtime.InteropServices;

namespace WorldModel.Models;

/// <summary>
/// The one guard around torch work. Why it exists: TorchSharp 0.107 converts numbers to native
/// Scalars implicitly (every <c>a + b</c> passes a Scalar 1, and so do its optimisers) and keeps
/// nothing alive during the native call, so a garbage collection in the middle lets the finaliser
/// free a Scalar that libtorch is still reading ("toFloat at c10/core/Scalar.h", see
/// <see cref="IsScalarRace"/>). Torch work therefore runs inside a no-GC region; garbage is
/// collected between stretches, when every call that used it has returned. A stretch that outgrows
/// the region's budget runs unprotected, so a pure computation is retried once on the error
/// (<see cref="Pure"/>), and a stateful one (an optimiser step, <see cref="Step"/>) lets it propagate
/// to its caller, which resumes from its last checkpoint.
/// </summary>
public static class TorchGuard
{
    /// <summary>
    /// Managed bytes a <see cref="GcPause"/> lets the process allocate before the collector may run anyway.
    /// </summary>
    public const long GcPauseBudget = 64L << 20;

    /// <summary>
    /// Keeps the garbage collector out of a stretch of torch calls. A stretch that allocates more than
    /// <see cref="GcPauseBudget"/>, or a pause already running (nesting), runs unprotected.
    /// </summary>
    public static GcPause PauseGc()
    {
        try { return new GcPause(GC.TryStartNoGCRegion(GcPauseBudget)); }
        catch (InvalidOperationException) { return default; }  // already inside a pause
        catch (ArgumentOutOfRangeException) { return default; } // budget beyond what this GC allows
    }

    /// <summary>Ends a <see cref="PauseGc"/> pause; the collector may then run.</summary>
    public readonly struct GcPause(bool started) : IDisposable
    {
        /// <summary>
        /// Whether the collector is held off (false: the runtime could not set the budget aside, or a pause was
        /// already running).
        /// </summary>
        public bool Active =>
            started && System.Runtime.GCSettings.LatencyMode == System.Runtime.GCLatencyMode.NoGCRegion;

        public void Dispose()
        {
            if (!started || System.Runtime.GCSettings.LatencyMode != System.Runtime.GCLatencyMode.NoGCRegion) return;
            try { GC.EndNoGCRegion(); }
            catch (InvalidOperationException) { } // the budget ran out and the collector already ran
        }
    }

    /// <summary>
    /// TorchSharp 0.107's intermittent error: libtorch reads a Scalar the garbage collector already finalised
    /// (an implicit double → Scalar conversion inside TorchSharp with nothing keeping it alive during the call).
    /// </summary>
    public static bool IsScalarRace(Exception e) =>
        e is ExternalException && e.ToString().Contains("c10/core/Scalar.h", StringComparison.Ordinal);

    /// <summary>A stateful torch step (a training step): inside a GC pause; the Scalar error propagates.</summary>
    public static GcPause Step() => PauseGc();

    /// <summary>
    /// A pure torch computation (scoring, encoding): inside a GC pause, retried once on the Scalar error.
    /// </summary>
    public static T Pure<T>(Func<T> work)
    {
        using var pause = PauseGc();
        try { return work(); }
        catch (ExternalException e) when (IsScalarRace(e)) { return work(); }
    }

    /// <inheritdoc cref="Pure{T}"/>
    public static void Pure(Action work) => Pure(() => { work(); return 0; });
}
