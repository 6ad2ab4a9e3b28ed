using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace WorldModel.Models;

/// <summary>
/// libtorch's oneDNN (mkldnn) convolutions read memory they never wrote on some CPUs. Seen 2026-12-03 with
/// libtorch 2.10.0 on an AMD EPYC with AVX-512 (bf16, vp2intersect): with freed NaN tensors in the heap, a 3×3
/// float convolution came out NaN in 200 of 200 tries at 2 threads, and in none with oneDNN off. There every
/// model with a 3×3 convolution failed with a NaN loss in its first steps (and a finite garbage result is possible
/// too). So before the first model is built (and in TorchRuntime.Initialise), a small convolution runs over freshly
/// poisoned memory; when it comes out non-finite, oneDNN is switched off for this process (libtorch's own kernels:
/// correct, slower, and learned results differ in rounding from references made where oneDNN works). Where it
/// works nothing changes.
/// </summary>
public static partial class OneDnnCheck
{
    private static readonly object Gate = new();
    private static string? _outcome;

    /// <summary>What the check found: "passed", or what was done about a failure. Null before it ran.</summary>
    public static string? Outcome => _outcome;

    /// <summary>Runs the check once per process (later calls return at once); writes a warning when it fails.</summary>
    public static void Run()
    {
        lock (Gate)
        {
            if (_outcome is not null) return;
            if (!ConvolutionReadsUnwrittenMemory())
            {
                _outcome = "passed";
                return;
            }
            _outcome = TryDisable()
                ? "oneDNN convolutions on this CPU read unwritten memory (NaN results); oneDNN is off for this " +
                  "process: libtorch's own kernels are slower, and learned results differ in rounding from " +
                  "references made on CPUs where oneDNN works"
                : "oneDNN convolutions on this CPU read unwritten memory (NaN results), and this libtorch has no " +
                  "switch to turn them off: training will likely fail with a NaN loss";
            Console.Error.WriteLine("warning: " + _outcome);
        }
    }

    /// <summary>
    /// Whether a 3×3 convolution (the models' kind) over memory that held NaNs comes out non-finite. Its inputs
    /// are made without the random generator, so the check leaves every seed's stream as it was.
    /// </summary>
    private static bool ConvolutionReadsUnwrittenMemory()
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var x = linspace(-1, 1, 4 * 18 * 8 * 8).reshape(4, 18, 8, 8);
        var w = linspace(-0.5, 0.5, 32 * 18 * 3 * 3).reshape(32, 18, 3, 3);
        var b = linspace(-0.1, 0.1, 32);
        for (int i = 0; i < 50; i++)
        {
            // Freed NaNs for the convolution's outputs and workspaces to land on (the allocator reuses them).
            full([1 << 16], float.NaN).Dispose();
            full([1 << 12], float.NaN).Dispose();
            using var y = nn.functional.conv2d(x, w, b, padding: [1, 1]);
            if (!y.isfinite().all().item<bool>()) return true;
        }
        return false;
    }

    /// <summary>
    /// at::globalContext().setUserEnabledMkldnn(false), through libtorch_cpu's C++ exports; NNPACK, the next
    /// kernel libtorch tries, off too: on such a CPU it cannot start and warns at every convolution (24,000
    /// lines in 5 minutes of training), before libtorch's own kernel runs anyway.
    /// </summary>
    private static bool TryDisable()
    {
        string? path = LibTorch.MappedLibrary("libtorch_cpu.so");
        if (path is null || !NativeLibrary.TryLoad(path, out var library)) return false;
        if (!NativeLibrary.TryGetExport(library, "_ZN2at13globalContextEv", out var context)
            || !NativeLibrary.TryGetExport(library, "_ZN2at7Context20setUserEnabledMkldnnEb", out var mkldnn))
            return false;
        bool nnpack = NativeLibrary.TryGetExport(library, "_ZN2at7Context20setUserEnabledNNPACKEb", out var nnp);
        unsafe
        {
            var global = ((delegate* unmanaged<nint>)context)();
            ((delegate* unmanaged<nint, byte, void>)mkldnn)(global, 0);
            if (nnpack) ((delegate* unmanaged<nint, byte, void>)nnp)(global, 0);
        }
        return true;
    }
}
