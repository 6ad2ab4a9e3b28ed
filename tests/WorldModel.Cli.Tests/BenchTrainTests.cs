namespace WorldModel.Cli.Tests;

/// <summary>`wm bench train --pytorch`: a Python that cannot serve as the reference is named before minutes
/// of timing.</summary>
[Collection("cli")]
public sealed class BenchTrainTests
{
    [Fact]
    public void Given_a_python_that_does_not_exist_Then_the_error_names_it_and_says_what_to_install_before_any_timing()
    {
        var r = CliRunner.Run("bench", "train", "--steps", "1", "--pytorch", "/nonexistent/python3");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("--pytorch /nonexistent/python3: cannot run it", r.Error);
        Assert.Contains("apt-get install python3-torch", r.Error);
        Assert.DoesNotContain("model s/step", r.Out);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void Given_a_python_without_torch_Then_the_error_quotes_its_import_error()
    {
        using var tmp = new TempFolder();
        var fake = tmp["python3"];
        File.WriteAllText(fake, "#!/bin/sh\necho \"ModuleNotFoundError: No module named 'torch'\" >&2\nexit 1\n");
        File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var r = CliRunner.Run("bench", "train", "--steps", "1", "--pytorch", fake);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("cannot import torch (ModuleNotFoundError: No module named 'torch')", r.Error);
        Assert.DoesNotContain("model s/step", r.Out);
    }
}
