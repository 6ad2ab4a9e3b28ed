namespace WorldModel.Cli.Tests;

/// <summary>`wm info` names the torch backend, the libtorch loaded and its path, CUDA, device and threads.</summary>
[Collection("cli")]
public sealed class InfoCommandTests
{
    private static Dictionary<string, string> Env(params (string Key, string Value)[] set)
    {
        // The child inherits this process's environment: make the libtorch variables explicit.
        var env = new Dictionary<string, string> { ["WM_LIBTORCH"] = "", ["WM_LIBTORCH_FORCE"] = "" };
        foreach (var (k, v) in set) env[k] = v;
        return env;
    }

    private static string Line(string output, string key) =>
        output.Split('\n').SingleOrDefault(l => l.StartsWith(key + ": ", StringComparison.Ordinal))
            ?? throw new Xunit.Sdk.XunitException($"no \"{key}:\" line in:\n{output}");

    [Fact]
    public void Given_the_default_build_Then_info_names_the_backend_the_libtorch_loaded_cuda_device_and_threads()
    {
        var r = CliRunner.RunProcessWithOutput(Env(), "info");

        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains("cpu (TorchSharp 0.107.0, built for libtorch 2.10.0; libtorch from the NuGet package",
            Line(r.Out, "torch backend"));
        var libtorch = Line(r.Out, "libtorch");
        Assert.StartsWith("libtorch: 2.10.0 (from the NuGet package) at /", libtorch);
        Assert.True(File.Exists(libtorch[(libtorch.IndexOf(" at ", StringComparison.Ordinal) + 4)..].Trim()),
            "the libtorch path printed is not a file: " + libtorch);
        Assert.Matches(@"^cuda: (available, \d+ device\(s\), cuDNN .*|not available .*)$", Line(r.Out, "cuda").Trim());
        Assert.Matches(@"^threads: \d+ intra-op, \d+ inter-op$", Line(r.Out, "threads").Trim());
        Assert.Matches(@"^device: (cpu|cuda) \(--device auto\)$", Line(r.Out, "device").Trim());
        Line(r.Out, "machine");
        Line(r.Out, "allocator");
        // The oneDNN check (docs/internals.md) says what it decided, on stdout and, when it switched oneDNN off,
        // once on stderr; and it decides the same in `wm` (a tuned heap) as in this test host (an untuned one):
        // a verdict that hung on the heap made runs resumed across the two differ.
        bool off = r.Error.Contains("warning: oneDNN convolutions on this CPU give wrong results");
        Assert.StartsWith(off ? "cpu convolutions: libtorch's own" : "cpu convolutions: oneDNN (checked",
            Line(r.Out, "cpu convolutions"));
        WorldModel.Models.TorchRuntime.Initialise(WorldModel.Models.DeviceKind.Cpu);
        Assert.Equal(off ? "off" : "passed",
            WorldModel.Models.OneDnnCheck.Outcome == WorldModel.Models.OneDnnCheck.Passed ? "passed" : "off");
    }

    [Fact]
    public void Given_no_cuda_When_info_is_asked_for_device_cuda_Then_a_one_line_error_after_what_it_could_find()
    {
        var r = CliRunner.RunProcessWithOutput(Env(), "info", "--device", "cuda");

        if (Line(r.Out, "cuda").StartsWith("cuda: available", StringComparison.Ordinal))
        {
            Assert.Equal(0, r.ExitCode); // a machine with a GPU: the device line says cuda
            Assert.StartsWith("device: cuda", Line(r.Out, "device"));
            return;
        }
        Assert.Equal(2, r.ExitCode);
        // The oneDNN check's warning comes first where it fails (once per process; docs/internals.md).
        string error = string.Join('\n', r.Error.Trim().Split('\n').Where(l => !l.StartsWith("warning: oneDNN")));
        Assert.StartsWith("error: device cuda was asked for, but libtorch sees no CUDA device", error);
        Assert.Contains("--device cpu", error);
        Assert.Single(error.Split('\n'));
    }

    [Fact]
    public void Given_a_libtorch_folder_for_a_build_that_brings_its_own_Then_info_refuses_naming_the_backend_switch()
    {
        foreach (var r in new[]
        {
            CliRunner.RunProcessWithOutput(Env(), "info", "--libtorch", "/opt/pytorch/torch/lib"),
            CliRunner.RunProcessWithOutput(Env(("WM_LIBTORCH", "/opt/pytorch/torch/lib")), "info"),
        })
        {
            Assert.Equal(1, r.ExitCode);
            Assert.Contains("names /opt/pytorch/torch/lib, but this wm was built with the cpu backend", r.Error);
            Assert.Contains("-p:TorchBackend=external", r.Error);
            Line(r.Out, "torch backend"); // what needs no libtorch is still printed
        }
    }
}
