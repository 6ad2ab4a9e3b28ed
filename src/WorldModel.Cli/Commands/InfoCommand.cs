using System.CommandLine;
using TorchSharp;
using WorldModel.Cli.Host;
using WorldModel.Experiments;
using WorldModel.Models;

namespace WorldModel.Cli.Commands;

/// <summary>
/// `wm info`: what `wm` runs on (machine, torch backend and the libtorch loaded, CUDA, device, threads,
/// allocator), for bug reports, benchmarks and the GPU check (scripts/gpu-check.sh).
/// </summary>
public static class InfoCommand
{
    public static Command Build()
    {
        var device = TrainCommand.DeviceOption();
        var cmd = new Command(
            "info", "What wm runs on: machine, torch backend, libtorch loaded, CUDA, device, threads, allocator")
        {
            device,
        };
        cmd.SetAction(parse => CommandRunner.Run(() =>
        {
            // Plain "key: value" lines (no table): pasted whole into bug reports and grepped by scripts, never wrapped.
            // The lines that need no libtorch come first, so a failure to load it still shows them.
            Console.WriteLine($"machine: {MachineInfo.Describe()}");
            Console.WriteLine($"torch backend: {DescribeBackend()}");
            Console.WriteLine($"allocator: {GlibcAllocator.Describe()}");
            var kind = TrainCommand.ParseDevice(parse.GetValue(device)!);
            LibTorch.EnsureLoaded();
            bool cuda = torch.cuda.is_available();
            Console.WriteLine($"libtorch: {LibTorch.DescribeLoaded()}");
            Console.WriteLine(cuda
                ? $"cuda: available, {torch.cuda.device_count()} device(s), " +
                    $"cuDNN {(torch.cuda.is_cudnn_available() ? "available" : "not available")}"
                : "cuda: not available (this libtorch has no CUDA, or no NVIDIA GPU and driver are visible)");
            Console.WriteLine(
                $"threads: {torch.get_num_threads()} intra-op, {torch.get_num_interop_threads()} inter-op");
            var chosen = TorchRuntime.Initialise(kind);
            Console.WriteLine(OneDnnCheck.Outcome == OneDnnCheck.Passed
                ? "cpu convolutions: oneDNN (checked against a plain sum: agrees)"
                : "cpu convolutions: libtorch's own (oneDNN disagreed with a plain sum here and was switched off)");
            Console.WriteLine($"device: {chosen.type.ToString().ToLowerInvariant()} " +
                $"(--device {parse.GetValue(device)})");
            return CommandRunner.Ok;
        }));
        return cmd;
    }

    /// <summary>The build's backend and where its libtorch comes from.</summary>
    private static string DescribeBackend()
    {
        string torchSharp = $"TorchSharp {LibTorch.TorchSharpVersion}, built for libtorch {LibTorch.ExpectedVersion}";
        return LibTorch.Natives switch
        {
            "nuget" => $"{LibTorch.Backend} ({torchSharp}; libtorch from the NuGet package in wm's folder)",
            "external" => $"external ({torchSharp}; libtorch from " +
                (LibTorch.Directory is { } dir
                    ? $"{dir})"
                    : $"--libtorch or {LibTorch.DirectoryVariable}, neither of which is set)"),
            "none" => $"{LibTorch.Backend} ({torchSharp}; built without its libtorch package: cannot run torch)",
            var other => $"{LibTorch.Backend} ({torchSharp}; natives: {other})",
        };
    }
}
