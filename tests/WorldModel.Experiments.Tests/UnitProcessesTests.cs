using WorldModel.Experiments.Graph;

namespace WorldModel.Experiments.Tests;

public sealed class UnitProcessesTests
{
    [Theory]
    [InlineData(1, "exit code 1")]
    [InlineData(137, "exit code 137: killed (SIGKILL), most often by the kernel for lack of memory; run fewer units")]
    [InlineData(143, "exit code 143: killed by signal 15")]
    public void Given_a_units_exit_code_Then_the_failure_says_what_it_means(int code, string expected) =>
        Assert.StartsWith(expected, UnitProcesses.ExitCause(code));
}
