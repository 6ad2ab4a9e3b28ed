using System.Diagnostics;

namespace WorldModel.Cli.Tests;

[Collection("cli")]
public sealed class InterruptTests
{
    [Fact]
    public async Task Given_a_generation_interrupted_by_ctrl_c_Then_wm_keeps_finished_chunks_says_how_to_resume_and_the_rerun_completes()
    {
        using var tmp = new TempFolder();
        string[] args = ["data", "generate", "--config", Repository.Config("two-rooms.json"),
            "--set", "episodes=1000000", "--set", "chunkEpisodes=5000", "--out", tmp["d"]];
        using var p = CliRunner.StartProcess(new Dictionary<string, string>(), args);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        // Wait until some chunks exist, then send SIGINT as Ctrl+C would.
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < TimeSpan.FromSeconds(60) && !p.HasExited &&
               (!Directory.Exists(tmp["d"]) || Directory.GetFiles(tmp["d"], "chunk-*.bin").Length < 4))
            Thread.Sleep(20);
        Assert.False(p.HasExited, "generation finished before it could be interrupted; make the test dataset larger");
        CliRunner.AssertSigIntNotIgnored(p);
        using (var kill = Process.Start("kill", ["-INT", p.Id.ToString()])) kill.WaitForExit();
        Assert.True(p.WaitForExit(30_000), "wm did not stop after SIGINT");
        Assert.Equal(130, p.ExitCode);
        Assert.Contains("run the same command again to resume", await stdout + await stderr);
        Assert.False(File.Exists(Path.Combine(tmp["d"], "dataset.json")),
            "an interrupted dataset must not look complete");

        var rerun = CliRunner.Run(args);
        Assert.True(rerun.ExitCode == 0, rerun.Error);
        Assert.Matches(@"reused|already complete", rerun.Out);
        Assert.DoesNotMatch(@" 0 reused", rerun.Out);
    }

    [Fact]
    public async Task Given_training_interrupted_by_ctrl_c_Then_its_steps_are_saved_and_the_resumed_run_matches_an_uninterrupted_one()
    {
        using var tmp = new TempFolder();
        // One checkpoint at the very end: without the one written on interrupt, every step would be lost.
        string[] settings = ["--set", "train.steps=300", "--set", "checkpointEvery=300", "--set", "logEvery=1",
            "--device", "cpu"];
        using var p = CliRunner.StartProcess(new Dictionary<string, string>(),
            ["train", "--config", Repository.Config("tiny.json"), "--out", tmp["run"], .. settings]);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        string metrics = Path.Combine(tmp["run"], "metrics.jsonl");
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < TimeSpan.FromSeconds(120) && !p.HasExited
               && (!File.Exists(metrics) || File.ReadAllLines(metrics).Length < 5))
            Thread.Sleep(20);
        Assert.False(p.HasExited, "training finished before it could be interrupted; raise train.steps");
        CliRunner.AssertSigIntNotIgnored(p);
        using (var kill = Process.Start("kill", ["-INT", p.Id.ToString()])) kill.WaitForExit();
        Assert.True(p.WaitForExit(60_000), "wm did not stop after SIGINT");
        string said = await stdout + await stderr;
        Assert.True(p.ExitCode == 130, said);
        var saved = Directory.GetDirectories(Path.Combine(tmp["run"], "checkpoints"), "step-*");
        Assert.True(saved.Length == 1, said);
        int step = int.Parse(
            Path.GetFileName(saved[0])["step-".Length..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(step, 5, 299);
        Assert.Contains($"saved step {step}", said);

        var resumed = CliRunner.Run("train", "--resume", tmp["run"], "--device", "cpu");
        Assert.True(resumed.ExitCode == 0, resumed.Error + resumed.Out);
        var whole = CliRunner.Run(
            ["train", "--config", Repository.Config("tiny.json"), "--out", tmp["whole"], .. settings]);
        Assert.True(whole.ExitCode == 0, whole.Error + whole.Out);
        Assert.Equal(File.ReadAllBytes(Path.Combine(tmp["whole"], "checkpoints/step-0000300/model.bin")),
            File.ReadAllBytes(Path.Combine(tmp["run"], "checkpoints/step-0000300/model.bin")));
    }
}
