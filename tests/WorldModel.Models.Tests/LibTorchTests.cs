using TorchSharp;

namespace WorldModel.Models.Tests;

/// <summary>
/// The backend this build was made with, and the external backend's checks of an installed PyTorch: version read
/// beside torch/lib, compared with the one TorchSharp was built for, refused with both named.
/// </summary>
public sealed class LibTorchTests : IDisposable
{
    private readonly TempFolder _tmp = new("wm-libtorch");

    public void Dispose() => _tmp.Dispose();

    /// <summary>A pip-style install: torch/version.py beside torch/lib, which holds a (fake) libtorch_cpu.so.</summary>
    private string Install(string version)
    {
        string lib = Path.Combine(_tmp.Path, version, "torch", "lib");
        Directory.CreateDirectory(lib);
        File.WriteAllText(Path.Combine(lib, "libtorch_cpu.so"), "");
        File.WriteAllText(Path.Combine(lib, "..", "version.py"),
            $"__version__ = '{version}'\ndebug = False\ncuda = '12.8'\n");
        return lib;
    }

    [Fact]
    public void Given_the_default_build_Then_it_is_the_cpu_backend_with_NuGet_s_libtorch_of_TorchSharp_s_version()
    {
        Assert.Equal("cpu", LibTorch.Backend);
        Assert.Equal("nuget", LibTorch.Natives);
        Assert.Equal("2.10.0", LibTorch.ExpectedVersion);
        Assert.StartsWith(LibTorch.ExpectedVersion, torch.__version__);
        Assert.Equal("0.107.0", LibTorch.TorchSharpVersion);
    }

    [Theory]
    [InlineData("2.10.0", true)]
    [InlineData("2.10.0+cu128", true)]
    [InlineData("2.10.0+cpu", true)]
    [InlineData("2.10.1", false)]
    [InlineData("2.11.0+cu130", false)]
    [InlineData("1.13.0a0", false)]
    [InlineData("2.1.0", false)]
    [InlineData("unknown", false)]
    public void Given_an_installed_version_Then_only_the_same_release_matches(string installed, bool same) =>
        Assert.Equal(same, LibTorch.SameRelease(installed, "2.10.0"));

    [Fact]
    public void Given_a_pip_install_or_a_libtorch_download_Then_the_version_is_read_beside_its_lib_folder()
    {
        var pip = LibTorch.InstalledVersion(Install("2.10.0+cu128"));
        Assert.Equal("2.10.0+cu128", pip?.Version);
        Assert.EndsWith("version.py", pip?.File);

        string download = Path.Combine(_tmp.Path, "libtorch", "lib");
        Directory.CreateDirectory(download);
        File.WriteAllText(Path.Combine(download, "..", "build-version"), "2.10.0+cpu\n");
        Assert.Equal("2.10.0+cpu", LibTorch.InstalledVersion(download)?.Version);

        Assert.Null(LibTorch.InstalledVersion(_tmp.Path));
    }

    [Fact]
    public void Given_an_install_of_the_expected_release_Then_the_check_passes_with_its_version()
    {
        Assert.Equal("2.10.0+cu128", LibTorch.Check(Install("2.10.0+cu128"), force: false));
    }

    [Fact]
    public void Given_an_install_of_another_release_Then_the_check_refuses_naming_both_versions_and_the_way_past_it()
    {
        string lib = Install("2.11.0+cu130");
        var e = Assert.Throws<LibTorchException>(() => LibTorch.Check(lib, force: false));
        Assert.Contains("libtorch 2.11.0+cu130", e.Message);
        Assert.Contains("built for libtorch 2.10.0", e.Message);
        Assert.Contains("pip install torch==2.10.0", e.Message);
        Assert.Contains(LibTorch.ForceVariable + "=1", e.Message);
        Assert.Equal("2.11.0+cu130", LibTorch.Check(lib, force: true));
    }

    [Fact]
    public void Given_Debian_s_python3_torch_Then_the_check_refuses_its_1_13()
    {
        // Debian 12's python3-torch is a real libtorch of another release (the tests' dependencies install it).
        const string debian = "/usr/lib/python3/dist-packages/torch/lib";
        Assert.True(Directory.Exists(debian), "python3-torch is not installed: scripts/ensure-deps.sh --tests");
        var e = Assert.Throws<LibTorchException>(() => LibTorch.Check(debian, force: false));
        Assert.Contains("1.13", e.Message);
        Assert.Contains("2.10.0", e.Message);
    }

    [Fact]
    public void Given_a_folder_that_is_missing_or_holds_no_libtorch_or_no_version_Then_the_check_says_which()
    {
        Assert.Contains("no such folder",
            Assert.Throws<LibTorchException>(() => LibTorch.Check(_tmp["absent"], force: false)).Message);
        Assert.Contains("holds no libtorch_cpu.so",
            Assert.Throws<LibTorchException>(() => LibTorch.Check(_tmp.Path, force: false)).Message);
        string bare = _tmp["bare/lib"];
        Directory.CreateDirectory(bare);
        File.WriteAllText(Path.Combine(bare, "libtorch_cpu.so"), "");
        Assert.Contains("cannot tell which libtorch",
            Assert.Throws<LibTorchException>(() => LibTorch.Check(bare, force: false)).Message);
        Assert.Equal("unknown", LibTorch.Check(bare, force: true));
    }
}
