using System.IO.Compression;

namespace WorldModel.Cli.Tests;

[Collection("cli")]
public sealed class DataCommandTests
{
    [Fact]
    public void Given_the_tiny_config_When_a_user_generates_inspects_previews_and_exports_Then_each_step_writes_its_files()
    {
        using var tmp = new TempFolder();
        string data = tmp["data"];
        var gen = CliRunner.Run("data", "generate", "--config", Repository.Config("tiny.json"), "--out", data);
        Assert.True(gen.ExitCode == 0, gen.Error);
        Assert.Contains("64 episodes × 8 steps = 512 transitions", gen.Out);
        Assert.Contains("done", gen.Out);

        var again = CliRunner.Run("data", "generate", "--config", Repository.Config("tiny.json"), "--out", data);
        Assert.Contains("already complete", again.Out);

        var inspect = CliRunner.Run("data", "inspect", data, "--out", tmp["inspect"]);
        Assert.True(inspect.ExitCode == 0, inspect.Error);
        Assert.Contains("episodes crossing rooms", inspect.Out);
        Assert.True(IsPng(tmp["inspect/coverage.png"]));
        Assert.True(new FileInfo(tmp["inspect/coverage.svg"]).Length > 1000);
        Assert.Contains("\"transitions\": 512", File.ReadAllText(tmp["inspect/stats.json"]));

        var preview = CliRunner.Run("data", "preview", data, "--out", tmp["preview"], "--episodes", "3",
            "--frames", "4", "--renderer", "cpu");
        Assert.True(preview.ExitCode == 0, preview.Error);
        Assert.True(IsPng(tmp["preview/preview.png"]));
        Assert.Equal("GIF89a",
            System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(tmp["preview/preview.gif"])[..6]));

        var export = CliRunner.Run("data", "export", data, "--out", tmp["d.npz"], "--frames"); // npz by default
        Assert.True(export.ExitCode == 0, export.Error);
        using var zip = ZipFile.OpenRead(tmp["d.npz"]);
        Assert.Equal(["states.npy", "actions.npy", "layouts.npy", "meta_json.npy", "frames.npy"],
            zip.Entries.Select(e => e.FullName));
        Assert.Equal(64L * 9 * 32 * 32 * 2 + 128, zip.GetEntry("frames.npy")!.Length);
    }

    [Fact]
    public void Given_a_bad_export_format_or_preview_size_Then_the_error_says_what_is_allowed()
    {
        using var tmp = new TempFolder();
        CliRunner.Run("data", "generate", "--config", Repository.Config("tiny.json"), "--out", tmp["d"]);
        var r = CliRunner.Run("data", "export", tmp["d"], "--format", "hdf5", "--out", tmp["x"]);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("allowed: npz", r.Error);
        var p = CliRunner.Run("data", "preview", tmp["d"], "--frames", "0");
        Assert.Contains("--frames 0 is not allowed; allowed: 1 to 64", p.Error);
    }

    [Fact]
    public void Given_a_corrupted_dataset_Then_inspect_fails_naming_the_chunk()
    {
        using var tmp = new TempFolder();
        CliRunner.Run("data", "generate", "--config", Repository.Config("tiny.json"), "--out", tmp["d"]);
        var chunk = tmp["d/chunk-00001.bin"];
        var bytes = File.ReadAllBytes(chunk);
        bytes[100] ^= 1;
        File.WriteAllBytes(chunk, bytes);
        var r = CliRunner.Run("data", "inspect", tmp["d"]);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("chunk-00001.bin failed its checksum", r.Error);
    }

    private static bool IsPng(string path) =>
        File.Exists(path)
            && File.ReadAllBytes(path).AsSpan(0, 8)
                .SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A });
}
