using System.Diagnostics;

namespace WorldModel.Cli.Tests;

[Collection("cli")]
public sealed class InterruptTests
{
    [Fact]
    public async Task Given_a_generation_interrupted_by_ctrl_c_Then_wm_keeps_finished_chunks_says_how_to_resume_and_the_rerun_completes()
    {
        using var tmp = new TempFolder();
        string[] args = ["data", "generate", "--config", Repository.Config("two-rooms.json"), "--set", "episodes=1000000", "--set", "chunkEpisodes=5000", "--out", tmp["d"]];
        using var p = CliRunner.StartProcess(new Dictionary<string, string>(), args);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        // Wait until some chunks exist, then send SIGINT as Ctrl+C would.
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < TimeSpan.FromSeconds(60) && !p.HasExited &&
               (!Directory.Exists(tmp["d"]) || Directory.GetFiles(tmp["d"], "chunk-*.bin").Length < 4))
            Thread.Sleep(20);
        Assert.False(p.HasExited, "generation finished before it could be interrupted; make the test dataset larger");
        using (var kill = Process.Start("kill", ["-INT", p.Id.ToString()])) kill.WaitForExit();
        Assert.True(p.WaitForExit(30_000), "wm did not stop after SIGINT");
        Assert.Equal(130, p.ExitCode);
        Assert.Contains("run the same command again to resume", await stdout + await stderr);
        Assert.False(File.Exists(Path.Combine(tmp["d"], "dataset.json")), "an interrupted dataset must not look complete");

        var rerun = CliRunner.Run(args);
        Assert.True(rerun.ExitCode == 0, rerun.Error);
        Assert.Matches(@"reused|already complete", rerun.Out);
        Assert.DoesNotMatch(@" 0 reused", rerun.Out);
    }
}
