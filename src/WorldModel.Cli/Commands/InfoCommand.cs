using System.CommandLine;
using TorchSharp;
using WorldModel.Cli.Terminal;
using WorldModel.Models;

using WorldModel.Cli.Host;
using WorldModel.Experiments;

namespace WorldModel.Cli.Commands;

/// <summary>
/// `wm info`: what `wm` runs on (machine, torch device and threads, allocator), for bug reports and benchmarks.
/// </summary>
public static class InfoCommand
{
    public static Command Build()
    {
        var cmd = new Command("info", "What wm runs on: machine, torch device and threads, memory allocator");
        cmd.SetAction(_ => CommandRunner.Run(() =>
        {
            var device = TorchRuntime.Initialise();
            // Plain "key: value" lines (no table): pasted whole into bug reports, and never wrapped.
            Console.WriteLine($"machine: {MachineInfo.Describe()}");
            Console.WriteLine(
                $"torch: TorchSharp {typeof(torch).Assembly.GetName().Version}, " +
                $"default device {device.type.ToString().ToLowerInvariant()}, " +
                $"CUDA {(torch.cuda.is_available() ? "available" : "not available (CPU build or no GPU)")}");
            Console.WriteLine(
                $"threads: {torch.get_num_threads()} intra-op, {torch.get_num_interop_threads()} inter-op");
            Console.WriteLine($"allocator: {GlibcAllocator.Describe()}");
            return CommandRunner.Ok;
        }));
        return cmd;
    }
}
