using System.Diagnostics;

namespace WorldModel.Cli.Tests;

[Collection("cli")]
public sealed class GlFailureTests
{
    /// <summary>Runs the real `wm` in a child process: EGL state is process-wide and must not leak into other tests.</summary>
    private static (int Code, string Error) RunWm(IDictionary<string, string> env, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "wm.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in env) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        _ = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, err.Result);
    }

    [Fact]
    public void Given_no_usable_EGL_driver_When_gl_is_asked_for_Then_wm_exits_with_an_error_naming_the_packages_not_a_native_crash()
    {
        using var tmp = new TempFolder();
        var gen = CliRunner.Run("data", "generate", "--config", CliRunner.Config("tiny.json"), "--out", tmp["d"]);
        Assert.Equal(0, gen.ExitCode);
        // glvnd finds no EGL vendor: the same as a machine without Mesa or an NVIDIA driver.
        var env = new Dictionary<string, string> { ["__EGL_VENDOR_LIBRARY_FILENAMES"] = "/nonexistent/egl_vendor.json" };
        var (code, error) = RunWm(env, "data", "preview", tmp["d"], "--renderer", "gl", "--out", tmp["p"]);
        Assert.Equal(1, code);
        Assert.Contains("OpenGL is unavailable", error);
        Assert.Contains("libgl1-mesa-dri", error);
        Assert.Contains("--renderer cpu", error);

        // auto falls back to the CPU renderer and still writes the preview.
        var (autoCode, autoError) = RunWm(env, "data", "preview", tmp["d"], "--renderer", "auto", "--out", tmp["p"]);
        Assert.True(autoCode == 0, autoError);
        Assert.True(File.Exists(tmp["p/preview.png"]));
    }
}
