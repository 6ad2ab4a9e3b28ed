using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace WorldModel.Models;

/// <summary>
/// libtorch's oneDNN (mkldnn) convolutions give wrong results on some CPUs. Seen 2026-12-03 with libtorch 2.10.0
/// on an AMD EPYC with AVX-512 (bf16, vp2intersect): a 3×3 float convolution whose outputs lie within ±10 came out
/// off by up to 6.9 at one thread and 0.98 at two, every time, whatever the heap held; and NaN where the heap
/// held freed NaNs (it reads memory it never wrote). There every model with a 3×3 convolution failed with a NaN
/// loss in its first steps, or trained on silently wrong numbers. So before the first model is built (and in
/// TorchRuntime.Initialise), a small convolution is compared with the same sum computed without a convolution
/// kernel (unfold and a matrix product, what libtorch's own kernel does); when they differ, oneDNN is switched
/// off for this process (libtorch's own kernels: correct, slower, and learned results differ in rounding from
/// references made on CPUs where oneDNN works). Where it works nothing changes.
/// The verdict must not depend on the heap: a first version looked only for NaN, which depends on what freed
/// memory the kernel reads; test hosts (an untuned heap) then sometimes kept the wrong kernel while `wm`
/// processes switched it off, and a run resumed in one kind of process no longer matched the other.
/// </summary>
public static partial class OneDnnCheck
{
    private static readonly object Gate = new();
    private static string? _outcome;

    /// <summary>The <see cref="Outcome"/> of a check that found oneDNN sound.</summary>
    public const string Passed = "passed";

    /// <summary>What the check found: <see cref="Passed"/>, or what was done about a failure; null before it ran.
    /// </summary>
    public static string? Outcome => _outcome;

    /// <summary>Which kernels run CPU convolutions after the check (runs it first): what a report records.</summary>
    public static string Kernels
    {
        get
        {
            Run();
            return _outcome == Passed ? "oneDNN"
                : _disabled ? "libtorch's own (oneDNN gives wrong results on this CPU)"
                : "oneDNN, which gives wrong results on this CPU (no switch to turn it off)";
        }
    }

    private static bool _disabled;

    /// <summary>Runs the check once per process (later calls return at once); writes a warning when it fails.</summary>
    public static void Run()
    {
        lock (Gate)
        {
            if (_outcome is not null) return;
            if (ConvolutionError() is not { } error)
            {
                _outcome = Passed;
                return;
            }
            string found = "oneDNN convolutions on this CPU give wrong results (a test convolution, checked against " +
                           $"the same sums computed without it: {error})";
            _disabled = TryDisable();
            _outcome = _disabled
                ? found + "; oneDNN is off for this process: libtorch's own kernels are slower, and learned " +
                  "results differ in rounding from references made on CPUs where oneDNN works"
                : found + ", and this libtorch has no switch to turn them off: training will likely fail with " +
                  "a NaN loss";
            Console.Error.WriteLine("warning: " + _outcome);
        }
    }

    /// <summary>
    /// How far ("NaN", "off by 0.98") the first wrong one of some 3×3 convolutions (a model's first
    /// stage's shapes, in both memory layouts the models use) is from the same sums computed by unfold and a matrix
    /// product; null when every try agrees to float rounding. Freed NaNs are left where the convolution's
    /// buffers come from, so a kernel that reads unwritten memory shows too. Inputs are made without the random
    /// generator, so the check leaves every seed's stream as it was.
    /// </summary>
    private static string? ConvolutionError()
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        const int batch = 4, inChannels = 18, outChannels = 32, size = 8;
        var x = linspace(-1, 1, batch * inChannels * size * size).reshape(batch, inChannels, size, size);
        var w = linspace(-0.5, 0.5, outChannels * inChannels * 3 * 3).reshape(outChannels, inChannels, 3, 3);
        var b = linspace(-0.1, 0.1, outChannels);
        var expected = nn.functional.unfold(x, 3, padding: 1).transpose(1, 2)
            .matmul(w.reshape(outChannels, -1).t()).transpose(1, 2)
            .reshape(batch, outChannels, size, size) + b.reshape(1, outChannels, 1, 1);
        // Float rounding of a 162-term sum of values within ±1 is far below this; the wrong kernel was off by ~1.
        float tolerance = 1e-3f * Math.Max(1f, expected.abs().max().item<float>());
        var channelsLast = x.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2); // NHWC strides, as the encoder
        for (int i = 0; i < 20; i++)
        {
            full([1 << 16], float.NaN).Dispose();
            full([1 << 12], float.NaN).Dispose();
            foreach (var input in new[] { x, channelsLast })
            {
                using var y = nn.functional.conv2d(input, w, b, padding: [1, 1]);
                if (!y.isfinite().all().item<bool>()) return "NaN";
                float error = (y - expected).abs().max().item<float>();
                if (error > tolerance)
                    return "off by " + error.ToString("g3", System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        return null;
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
