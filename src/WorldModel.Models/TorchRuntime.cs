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
/// The device models run on (torch calls are wrapped by <see cref="TorchGuard"/>). The allocator settings that make
/// training fast are the host's business (`wm`'s entry point: WorldModel.Cli.Host). Code never
/// assumes CPU: it asks for <see cref="Device"/>.
/// </summary>
public static class TorchRuntime
{
    /// <summary>
    /// Makes sure libtorch is there (<see cref="LibTorch.EnsureLoaded"/>) and its CPU convolutions are sound
    /// (<see cref="OneDnnCheck"/>), then gives the device to use for
    /// <paramref name="kind"/>; a clear error when CUDA is asked for and absent. The calling thread gets the
    /// process's torch thread count (<see cref="ProcessThreads"/>).
    /// </summary>
    public static torch.Device Initialise(DeviceKind kind = DeviceKind.Auto)
    {
        LibTorch.EnsureLoaded();
        if (_processThreads == 0) _processThreads = torch.get_num_threads();
        else torch.set_num_threads(_processThreads);
        OneDnnCheck.Run(); // CPU convolutions run on every device (frames are prepared on the CPU)
        return Device(kind);
    }

    private static int _processThreads;

    /// <summary>
    /// Torch's intra-op thread count as the process started (OMP_NUM_THREADS, else the cores); 0 before the first
    /// <see cref="Initialise"/>. Set again on each command's thread because libtorch keeps the count per thread
    /// (OpenMP's) once a thread has done torch work: a thread-pool thread that ran torch at another count (`wm
    /// demo` sets one thread; a test had set one) kept that count in the next command on it, whose floats then
    /// rounded unlike the same command in a fresh process (seen in LocalJobsTests).
    /// </summary>
    public static int ProcessThreads => _processThreads;

    public static torch.Device Device(DeviceKind kind) => kind switch
    {
        DeviceKind.Cpu => torch.CPU,
        DeviceKind.Cuda when torch.cuda.is_available() => torch.CUDA,
        DeviceKind.Cuda => throw new TorchDeviceException(
            $"device cuda was asked for, but libtorch sees no CUDA device (torch backend {LibTorch.Backend}, " +
            $"libtorch {LibTorch.DescribeLoaded()}): on a machine with an NVIDIA driver, build with " +
            "-p:TorchBackend=cuda (package TorchSharp-cuda-linux) or -p:TorchBackend=external with a CUDA build " +
            $"of PyTorch {LibTorch.ExpectedVersion}, or use --device cpu"),
        DeviceKind.Auto => torch.cuda.is_available() ? torch.CUDA : torch.CPU,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown device"),
    };
}

/// <summary>A device was asked for that this build or machine does not have; the message says what to do.</summary>
public sealed class TorchDeviceException(string message) : Exception(message);
