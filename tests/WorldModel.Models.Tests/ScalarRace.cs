using System.Runtime.InteropServices;

namespace WorldModel.Models.Tests;

/// <summary>
/// Known TorchSharp 0.107 issue: libtorch sometimes rejects the Scalar TorchSharp passes to an add
/// ("Exception raised from toFloat at c10/core/Scalar.h"): the garbage collector finalised the temporary
/// Scalar during the native call (GcPauseTests reproduces it). Training steps and planning now run inside
/// TorchGuard.PauseGc, which keeps the collector out; training tests still retry once on exactly that
/// error and say so; any other failure, or a second one, fails the test.
/// </summary>
public static class ScalarRace
{
    public static T RetryOnce<T>(Func<T> body, Action<string>? log = null)
    {
        try { return body(); }
        catch (ExternalException e) when (TorchGuard.IsScalarRace(e))
        {
            log?.Invoke("retrying once after TorchSharp's intermittent Scalar error: " + e.Message);
            return body();
        }
    }
}
