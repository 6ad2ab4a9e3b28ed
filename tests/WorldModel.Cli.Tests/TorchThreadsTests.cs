using TorchSharp;
using WorldModel.Models;

namespace WorldModel.Cli.Tests;

/// <summary>
/// Each command starts at the process's torch thread count, whatever an earlier command left on its thread.
/// In the "cli" collection: this changes a process-wide setting, and nothing else may run torch meanwhile.
/// </summary>
[Collection("cli")]
public sealed class TorchThreadsTests
{
    [Fact]
    public void Given_a_thread_left_at_another_torch_thread_count_When_a_command_initialises_on_it_Then_it_gets_the_process_count()
    {
        int processThreads = 0, leftOver = 0, afterInitialise = 0;
        var thread = new Thread(() =>
        {
            TorchRuntime.Initialise(DeviceKind.Cpu);
            processThreads = TorchRuntime.ProcessThreads;
            // As `wm demo` does on its command's thread (and tests did before a run here).
            torch.set_num_threads(processThreads + 1);
            using (torch.ones(64, 64).matmul(torch.ones(64, 64))) { }
            leftOver = torch.get_num_threads();
            TorchRuntime.Initialise(DeviceKind.Cpu); // the next command on this thread
            afterInitialise = torch.get_num_threads();
        });
        try
        {
            thread.Start();
            thread.Join();
        }
        finally { torch.set_num_threads(TorchRuntime.ProcessThreads); }

        Assert.True(processThreads >= 1);
        Assert.Equal(processThreads + 1, leftOver);
        Assert.Equal(processThreads, afterInitialise);
    }
}
