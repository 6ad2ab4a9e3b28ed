using TorchSharp;

namespace WorldModel.Models;

/// <summary>Which device models run on: cpu, cuda, or auto (cuda when this build and machine have it).</summary>
public enum DeviceKind
{
    Auto,
    Cpu,
    Cuda,
}

/// <summary>
/// Process-wide TorchSharp set-up, done once before the first tensor: glibc's allocator kept from
/// returning freed blocks to the OS (measured here: 8.0 s → 0.91 s per training step, see
/// ../shared/TORCHSHARP.md), and the device chosen. mallopt covers the main heap only; per-thread
/// arenas need the start-up settings of <see cref="GlibcAllocator"/>, which `wm` applies itself.
/// Code never assumes CPU: it asks for <see cref="Device"/>.
/// </summary>
public static class TorchRuntime
{
    private static readonly object Gate = new();
    private static bool _allocatorTuned;

    /// <summary>Tunes the allocator (Linux, glibc) and returns the device to use.</summary>
    public static torch.Device Initialise(DeviceKind kind = DeviceKind.Auto)
    {
        lock (Gate)
        {
            if (!_allocatorTuned) GlibcAllocator.TuneInProcess();
            _allocatorTuned = true;
        }
        return Device(kind);
    }

    public static torch.Device Device(DeviceKind kind) => kind switch
    {
        DeviceKind.Cpu => torch.CPU,
        DeviceKind.Cuda when torch.cuda.is_available() => torch.CUDA,
        DeviceKind.Cuda => throw new InvalidOperationException(
            "device cuda was asked for, but this build has no CUDA: build with -p:TorchBackend=cuda (package TorchSharp-cuda-linux) on a machine with an NVIDIA driver, or use --device cpu"),
        DeviceKind.Auto => torch.cuda.is_available() ? torch.CUDA : torch.CPU,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown device"),
    };

    /// <summary>Managed bytes a <see cref="GcPause"/> lets the process allocate before the collector may run anyway.</summary>
    public const long GcPauseBudget = 64L << 20;

    /// <summary>
    /// Keeps the garbage collector out of a stretch of torch calls (a training step, a scoring pass).
    /// TorchSharp 0.107 converts numbers to Scalars implicitly (every <c>a + b</c> passes a Scalar 1, and
    /// so do its optimisers) and keeps nothing alive during the native call, so a collection in the
    /// middle lets the finaliser free a Scalar that libtorch is still reading (<see cref="IsScalarRace"/>).
    /// With no collection inside the stretch, garbage is collected between stretches, when every call
    /// that used it has returned. A stretch that allocates more than <see cref="GcPauseBudget"/>, or a
    /// pause already running (nesting), simply runs unprotected: the retries remain as the fallback.
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
        /// <summary>Whether the collector is held off (false: the runtime could not set the budget aside, or a pause was already running).</summary>
        public bool Active => started && System.Runtime.GCSettings.LatencyMode == System.Runtime.GCLatencyMode.NoGCRegion;

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
        e is System.Runtime.InteropServices.ExternalException && e.ToString().Contains("c10/core/Scalar.h", StringComparison.Ordinal);
}
