namespace WorldModel.Cli.Tests;

[Collection("cli")]
public sealed class GlFailureTests
{
    [Fact]
    public void Given_no_usable_EGL_driver_When_gl_is_asked_for_Then_wm_exits_with_an_error_naming_the_packages_not_a_native_crash()
    {
        using var tmp = new TempFolder();
        var gen = CliRunner.Run("data", "generate", "--config", Repository.Config("tiny.json"), "--out", tmp["d"]);
        Assert.Equal(0, gen.ExitCode);
        // glvnd finds no EGL vendor: the same as a machine without Mesa or an NVIDIA driver.
        var env = new Dictionary<string, string>
        {
            ["__EGL_VENDOR_LIBRARY_FILENAMES"] = "/nonexistent/egl_vendor.json"
        };
        var (code, error) = CliRunner.RunProcess(env, "data", "preview", tmp["d"], "--renderer", "gl",
            "--out", tmp["p"]);
        Assert.Equal(1, code);
        Assert.Contains("OpenGL is unavailable", error);
        Assert.Contains("libgl1-mesa-dri", error);
        Assert.Contains("--renderer cpu", error);

        // auto falls back to the CPU renderer and still writes the preview.
        var (autoCode, autoError) = CliRunner.RunProcess(env, "data", "preview", tmp["d"], "--renderer", "auto",
            "--out", tmp["p"]);
        Assert.True(autoCode == 0, autoError);
        Assert.True(File.Exists(tmp["p/preview.png"]));
    }
}
