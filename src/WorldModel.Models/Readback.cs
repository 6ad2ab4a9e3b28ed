using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace WorldModel.Models;

/// <summary>
/// How model code copies a result to the host: once, at the end of a computation, from whatever device it ran on.
/// Each read waits for the device to finish the queued work, so a step or a scoring call makes one, after
/// everything it needs is queued (not an item() per number). Reads at memcpy speed: TorchSharp's
/// data&lt;T&gt;().ToArray() copies element by element, ~100× slower. Call inside a dispose scope (the host copies are
/// tensors too).
/// </summary>
public static class Readback
{
    /// <summary>The values of <paramref name="t"/> (any shape, any device) as 32-bit floats, row-major.</summary>
    public static float[] Floats(Tensor t) =>
        MemoryMarshal.Cast<byte, float>(Host(t.to(ScalarType.Float32)).bytes).ToArray();

    /// <summary>The values of a boolean tensor (any shape, any device), row-major.</summary>
    public static bool[] Bools(Tensor t)
    {
        var bytes = Host(t.to(ScalarType.Bool)).bytes;
        var values = new bool[bytes.Length];
        for (int i = 0; i < values.Length; i++) values[i] = bytes[i] != 0;
        return values;
    }

    private static Tensor Host(Tensor t) => t.detach().cpu().contiguous();
}
