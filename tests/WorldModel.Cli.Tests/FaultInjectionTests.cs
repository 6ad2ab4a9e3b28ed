using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using WorldModel.Core.IO;
using Xunit.Abstractions;

namespace WorldModel.Cli.Tests;

/// <summary>
/// Faults a run meets in practice, injected for real: SIGKILL and SIGINT at random points (the points are
/// drawn from a fixed seed per case, so a failure reproduces), cut-off and bit-flipped files of every kind,
/// an output path below a file, a full disk (a 256 KiB tmpfs) and two runs on one folder. Each case
/// asserts a clear message and a non-zero exit, that nothing already written is lost or changed, and that
/// the rerun ends with the same bytes as a run that met no fault.
/// </summary>
[Collection("cli")]
public sealed class FaultInjectionTests(ITestOutputHelper output)
{
    private static readonly Dictionary<string, string> NoEnv = new();

    /// <summary>
    /// Training with a checkpoint every 20 of 100 steps, all kept, a metrics line per step; batches of 32 make
    /// it last a second or more, so a signal sent after any of the first 50 lines lands before the end (150
    /// steps of 64 took 50 s a run on a CPU without oneDNN, and five tests here train it).
    /// </summary>
    private static readonly string[] Training =
    [
        "--set", "train.steps=100", "--set", "train.batchSize=32", "--set", "checkpointEvery=20",
        "--set", "keepCheckpoints=0", "--set", "logEvery=1", "--device", "cpu",
    ];

    private const string Final = "checkpoints/step-0000100/model.bin";

    private static readonly Lazy<byte[]> UninterruptedWeights = new(() =>
    {
        using var tmp = new TempFolder("wm-fault-ref");
        var r = CliRunner.Run(["train", "--config", Repository.Config("tiny.json"), "--out", tmp["run"], .. Training]);
        Assert.True(r.ExitCode == 0, r.Error + r.Out);
        return File.ReadAllBytes(Path.Combine(tmp["run"], Final));
    });

    [Theory]
    [InlineData("KILL", 1)]
    [InlineData("KILL", 2)]
    [InlineData("INT", 4)]
    public void Given_training_stopped_by_a_signal_at_a_random_step_When_resumed_Then_nothing_saved_changes_and_the_weights_equal_an_uninterrupted_run(
        string signal, int seed)
    {
        using var tmp = new TempFolder("wm-fault");
        int afterLines = 3 + new Random(seed).Next(50);
        string metrics = Path.Combine(tmp["run"], "metrics.jsonl");
        var (code, said) = RunUntil(
            ["train", "--config", Repository.Config("tiny.json"), "--out", tmp["run"], .. Training], signal,
            () => File.Exists(metrics) && File.ReadAllLines(metrics).Length >= afterLines);
        output.WriteLine($"{signal} after {afterLines} metric lines: exit {code}");
        Assert.NotEqual(0, code);
        var saved = Checkpoints(tmp["run"]);

        var resumed = CliRunner.Run("train", "--resume", tmp["run"], "--device", "cpu");
        Assert.True(resumed.ExitCode == 0, said + resumed.Error + resumed.Out);
        foreach (var (file, hash) in saved) Assert.Equal(hash, Hash(file));
        Assert.Equal(UninterruptedWeights.Value, File.ReadAllBytes(Path.Combine(tmp["run"], Final)));
        Assert.Empty(Directory.GetDirectories(Path.Combine(tmp["run"], "checkpoints"), "*.tmp"));
    }

    [Theory]
    [InlineData(5)]
    [InlineData(6)]
    public void Given_data_generation_killed_after_a_random_chunk_When_rerun_Then_finished_chunks_are_kept_and_the_dataset_matches(
        int seed)
    {
        using var tmp = new TempFolder("wm-fault");
        string[] generate = ["data", "generate", "--config", Repository.Config("tiny.json"),
            "--set", "data.episodes=400000", "--set", "data.chunkEpisodes=4000"];
        int afterChunks = 1 + new Random(seed).Next(10);
        var (code, _) = RunUntil([.. generate, "--out", tmp["d"]], "KILL",
            () => Directory.Exists(tmp["d"]) && Directory.GetFiles(tmp["d"], "chunk-*.bin").Length >= afterChunks);
        Assert.NotEqual(0, code);
        Assert.False(File.Exists(Path.Combine(tmp["d"], "dataset.json")), "a killed dataset must not look complete");
        var kept = Directory.GetFiles(tmp["d"], "chunk-*.bin").ToDictionary(f => f, Hash);

        var rerun = CliRunner.Run([.. generate, "--out", tmp["d"]]);
        Assert.True(rerun.ExitCode == 0, rerun.Error + rerun.Out);
        var whole = CliRunner.Run([.. generate, "--out", tmp["whole"]]);
        Assert.True(whole.ExitCode == 0, whole.Error + whole.Out);
        foreach (var (file, hash) in kept) Assert.Equal(hash, Hash(file));
        var chunks = Directory.GetFiles(tmp["whole"], "chunk-*.bin").Select(Path.GetFileName).Order().ToList();
        Assert.Equal(chunks, Directory.GetFiles(tmp["d"], "chunk-*.bin").Select(Path.GetFileName).Order());
        foreach (var c in chunks)
            Assert.Equal(Hash(Path.Combine(tmp["whole"], c!)), Hash(Path.Combine(tmp["d"], c!)));
    }

    [Fact]
    public void Given_an_experiment_killed_while_it_trains_When_rerun_Then_its_results_equal_an_uninterrupted_run()
    {
        using var tmp = new TempFolder("wm-fault");
        // The JEPA trains 80 steps (a checkpoint every 5): the kill lands after its first checkpoint.
        string[] run = ["run", Repository.Config("tiny-experiment.json"), "--device", "cpu",
            "--set", "models.0.train.steps=80", "--set", "evaluation.plannerHorizons=[2]",
            "--set", "keepCheckpoints=0"];
        string jepa = Path.Combine(tmp["run"], "train", "jepa-seed0");
        var (code, _) = RunUntil([.. run, "--out", tmp["run"]], "KILL",
            () => File.Exists(Path.Combine(jepa, "checkpoints", "latest")));
        Assert.NotEqual(0, code);
        var saved = Checkpoints(jepa);

        var rerun = CliRunner.Run([.. run, "--out", tmp["run"]]);
        Assert.True(rerun.ExitCode == 0, rerun.Error + rerun.Out);
        var whole = CliRunner.Run([.. run, "--out", tmp["whole"]]);
        Assert.True(whole.ExitCode == 0, whole.Error + whole.Out);
        foreach (var (file, hash) in saved) Assert.Equal(hash, Hash(file));
        var same = CliRunner.Run("compare", tmp["whole"], tmp["run"]);
        Assert.True(same.ExitCode == 0, same.Out + same.Error);
    }

    [Fact]
    public void Given_an_evaluation_killed_after_its_first_part_When_rerun_Then_its_results_equal_an_uninterrupted_one()
    {
        using var tmp = new TempFolder("wm-fault");
        Assert.Equal(0, CliRunner.Run("train", "--config", Repository.Config("tiny.json"), "--out", tmp["run"],
            "--device", "cpu").ExitCode);
        // Three parts (H = 2, 4, 8) of 4 episodes of up to 24 steps: the kill lands after the first is saved.
        string[] eval = ["eval-plan", tmp["run"], "--device", "cpu", "--set", "oracles=[]",
            "--set", "plannerHorizons=[2,4,8]", "--set", "episodes.acrossRooms=2", "--set", "episodes.sameRoom=2",
            "--set", "plan.planner.samples=32", "--set", "episodes.budget=24"];
        string parts = Path.Combine(tmp["eval"], "parts");
        var (code, _) = RunUntil([.. eval, "--out", tmp["eval"]], "KILL",
            () => Directory.Exists(parts) && Directory.GetFiles(parts, "results.json", SearchOption.AllDirectories)
                .Length > 0);
        Assert.NotEqual(0, code);
        var saved = Directory.GetFiles(parts, "results.json", SearchOption.AllDirectories).ToDictionary(f => f, Hash);

        var rerun = CliRunner.Run([.. eval, "--out", tmp["eval"]]);
        Assert.True(rerun.ExitCode == 0, rerun.Error + rerun.Out);
        var whole = CliRunner.Run([.. eval, "--out", tmp["whole"]]);
        Assert.True(whole.ExitCode == 0, whole.Error + whole.Out);
        foreach (var (file, hash) in saved) Assert.Equal(hash, Hash(file));
        var same = CliRunner.Run("compare", tmp["whole"], tmp["eval"]);
        Assert.True(same.ExitCode == 0, same.Out + same.Error);
    }

    [Fact]
    public void Given_training_killed_half_way_through_writing_a_checkpoint_When_resumed_Then_the_half_is_dropped_and_the_weights_equal_an_uninterrupted_run()
    {
        using var tmp = new TempFolder("wm-fault");
        string checkpoints = Path.Combine(tmp["run"], "checkpoints");
        // Paused at the first checkpoint (step 20) with its weights written and its optimiser state not yet.
        var (code, _) = RunUntil(
            ["train", "--config", Repository.Config("tiny.json"), "--out", tmp["run"], .. Training], "KILL",
            () => Directory.Exists(checkpoints) && Directory.GetDirectories(checkpoints, "step-*.tmp")
                .Any(d => File.Exists(Path.Combine(d, "model.bin"))),
            pauseAt: "checkpoint");
        Assert.NotEqual(0, code);
        Assert.False(File.Exists(Path.Combine(checkpoints, "latest")), "a half-written checkpoint must not be latest");

        var resumed = CliRunner.Run("train", "--resume", tmp["run"], "--device", "cpu");
        Assert.True(resumed.ExitCode == 0, resumed.Error + resumed.Out);
        Assert.Equal(UninterruptedWeights.Value, File.ReadAllBytes(Path.Combine(tmp["run"], Final)));
        Assert.Empty(Directory.GetDirectories(checkpoints, "*.tmp"));
    }

    [Fact]
    public void Given_data_generation_killed_half_way_through_writing_a_chunk_When_rerun_Then_the_dataset_matches()
    {
        using var tmp = new TempFolder("wm-fault");
        string[] generate = ["data", "generate", "--config", Repository.Config("tiny.json"),
            "--set", "data.episodes=64", "--set", "data.chunkEpisodes=16"];
        var (code, _) = RunUntil([.. generate, "--out", tmp["d"]], "KILL",
            () => Directory.Exists(tmp["d"]) && Directory.GetFiles(tmp["d"], ".chunk-00002.bin.*.tmp").Length > 0,
            pauseAt: "write:chunk-00002.bin");
        Assert.NotEqual(0, code);
        Assert.False(File.Exists(Path.Combine(tmp["d"], "chunk-00002.bin")), "the chunk was not renamed in");
        var kept = Directory.GetFiles(tmp["d"], "chunk-*.bin").ToDictionary(f => f, Hash);

        var rerun = CliRunner.Run([.. generate, "--out", tmp["d"]]);
        Assert.True(rerun.ExitCode == 0, rerun.Error + rerun.Out);
        var whole = CliRunner.Run([.. generate, "--out", tmp["whole"]]);
        Assert.True(whole.ExitCode == 0, whole.Error + whole.Out);
        foreach (var (file, hash) in kept) Assert.Equal(hash, Hash(file));
        foreach (var c in Directory.GetFiles(tmp["whole"], "chunk-*.bin").Select(Path.GetFileName))
            Assert.Equal(Hash(Path.Combine(tmp["whole"], c!)), Hash(Path.Combine(tmp["d"], c!)));
        Assert.Empty(Directory.GetFiles(tmp["d"], "*.tmp"));
    }

    [Fact]
    public void Given_an_experiment_killed_half_way_through_writing_planning_results_When_rerun_Then_its_results_equal_an_uninterrupted_run()
    {
        using var tmp = new TempFolder("wm-fault");
        string[] run = ["run", Repository.Config("tiny-experiment.json"), "--device", "cpu",
            "--set", "evaluation.plannerHorizons=[2]"];
        // The first planned part (the geodesic oracle) pauses with its results.json written but not renamed in.
        var (code, _) = RunUntil([.. run, "--out", tmp["run"]], "KILL",
            () => Directory.Exists(Path.Combine(tmp["run"], "plan")) && Directory
                .GetFiles(Path.Combine(tmp["run"], "plan"), ".results.json.*.tmp", SearchOption.AllDirectories)
                .Length > 0,
            pauseAt: "write:results.json");
        Assert.NotEqual(0, code);
        Assert.Empty(Directory.GetFiles(Path.Combine(tmp["run"], "plan"), "results.json", SearchOption.AllDirectories));
        var saved = Checkpoints(Path.Combine(tmp["run"], "train", "jepa-seed0"));

        var rerun = CliRunner.Run([.. run, "--out", tmp["run"]]);
        Assert.True(rerun.ExitCode == 0, rerun.Error + rerun.Out);
        var whole = CliRunner.Run([.. run, "--out", tmp["whole"]]);
        Assert.True(whole.ExitCode == 0, whole.Error + whole.Out);
        foreach (var (file, hash) in saved) Assert.Equal(hash, Hash(file));
        var same = CliRunner.Run("compare", tmp["whole"], tmp["run"]);
        Assert.True(same.ExitCode == 0, same.Out + same.Error);
        Assert.Empty(Directory.GetFiles(tmp["run"], "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void Given_a_run_killed_while_it_copies_a_model_from_another_run_When_rerun_Then_no_half_copy_is_used_and_its_results_equal_a_run_that_trained_it()
    {
        using var tmp = new TempFolder("wm-fault");
        string[] run = ["run", Repository.Config("tiny-experiment.json"), "--device", "cpu",
            "--set", "evaluation.plannerHorizons=[2]", "--set", "models.0.train.steps=12"];
        var first = CliRunner.Run([.. run, "--out", tmp["first"]]);
        Assert.True(first.ExitCode == 0, first.Error + first.Out);
        var source = Folder(tmp["first"]);
        // Planned another way, its models copied from the first run; killed with a copy whole in its temporary folder.
        string[] other = [.. run, "--set", "evaluation.plan.replanEvery=2"];
        string train = Path.Combine(tmp["second"], "train");
        var (code, _) = RunUntil([.. other, "--out", tmp["second"], "--reuse-from", tmp["first"]], "KILL",
            () => Directory.Exists(train) && Directory.GetDirectories(train, ".*.tmp").Length > 0,
            pauseAt: "reuse-copy");
        Assert.NotEqual(0, code);
        Assert.Empty(Directory.GetDirectories(train, "*-seed0")); // no unit half there
        Assert.False(File.Exists(WorldModel.Experiments.Graph.UnitRecord.PathOf(tmp["second"], "train/jepa-seed0")));

        var rerun = CliRunner.Run([.. other, "--out", tmp["second"], "--reuse-from", tmp["first"]]);
        Assert.True(rerun.ExitCode == 0, rerun.Error + rerun.Out);
        Assert.Contains("reused from", rerun.Out);
        Assert.Empty(Directory.GetDirectories(train, ".*.tmp")); // the killed copy's folder is removed
        // Copied, not trained: each model's line in the run's log says it was reused.
        var trained = File.ReadAllLines(Path.Combine(tmp["second"], "log.txt"))
            .Where(l => l.Contains(" train/", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, trained.Count); // jepa and pixel, seed 0
        Assert.All(trained, l => Assert.EndsWith(": reused", l));
        Assert.Equal(source, Folder(tmp["first"])); // the source is read, never changed
        var whole = CliRunner.Run([.. other, "--out", tmp["whole"]]);
        Assert.True(whole.ExitCode == 0, whole.Error + whole.Out);
        var same = CliRunner.Run("compare", tmp["whole"], tmp["second"]);
        Assert.True(same.ExitCode == 0, same.Out + same.Error);
    }

    [Fact]
    public void Given_an_active_collection_round_killed_half_way_through_writing_its_data_When_rerun_Then_every_round_has_the_bytes_of_an_uninterrupted_run()
    {
        using var tmp = new TempFolder("wm-fault");
        string[] run = ["run", Repository.Config("tiny-collection.json"), "--device", "cpu",
            "--set", "collection.strategies=[{\"kind\":\"disagreement\",\"planner\":{\"kind\":\"mppi\"," +
            "\"samples\":8,\"iterations\":1},\"plannerHorizon\":4}]"];
        // Round 1 (after the initial data and the first collector) pauses with its new chunk written, not renamed.
        string collect = Path.Combine(tmp["run"], "collect");
        var (code, _) = RunUntil([.. run, "--out", tmp["run"]], "KILL",
            () => Directory.Exists(collect)
                && Directory.GetFiles(collect, ".chunk-00001.bin.*.tmp", SearchOption.AllDirectories).Length > 0,
            pauseAt: "write:chunk-00001.bin");
        Assert.NotEqual(0, code);
        var before = Directory.GetFiles(collect, "chunk-*.bin", SearchOption.AllDirectories).ToDictionary(f => f, Hash);

        var rerun = CliRunner.Run([.. run, "--out", tmp["run"]]);
        Assert.True(rerun.ExitCode == 0, rerun.Error + rerun.Out);
        var whole = CliRunner.Run([.. run, "--out", tmp["whole"]]);
        Assert.True(whole.ExitCode == 0, whole.Error + whole.Out);
        foreach (var (file, hash) in before) Assert.Equal(hash, Hash(file));
        var chunks = Directory.GetFiles(Path.Combine(tmp["whole"], "collect"), "chunk-*.bin", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(tmp["whole"], f)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(chunks, Directory.GetFiles(collect, "chunk-*.bin", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(tmp["run"], f)).Order(StringComparer.Ordinal));
        foreach (var c in chunks) Assert.Equal(Hash(Path.Combine(tmp["whole"], c)), Hash(Path.Combine(tmp["run"], c)));
        Assert.Empty(Directory.GetFiles(tmp["run"], "*.tmp", SearchOption.AllDirectories));
        var same = CliRunner.Run("compare", tmp["whole"], tmp["run"]);
        Assert.True(same.ExitCode == 0, same.Out + same.Error);
    }

    public static TheoryData<string, string> Corruptions => new()
    {
        { "chunk-00000.bin", "cut" }, { "chunk-00001.bin", "flip" }, { "dataset.json", "cut" },
        { "dataset.json", "flip" },
    };

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void Given_a_dataset_file_cut_off_or_with_a_flipped_bit_When_read_Then_the_error_names_it_and_nothing_is_rewritten(
        string file, string fault)
    {
        using var tmp = new TempFolder("wm-fault");
        Assert.Equal(0, CliRunner.Run("data", "generate", "--config", Repository.Config("tiny.json"),
            "--out", tmp["d"]).ExitCode);
        Corrupt(Path.Combine(tmp["d"], file), fault);
        var before = Folder(tmp["d"]);
        var r = CliRunner.Run("data", "inspect", tmp["d"]);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains(file, r.Error);
        Assert.Equal(before, Folder(tmp["d"]));
    }

    [Theory]
    [InlineData("checkpoints/step-0000020/model.bin", "flip", "resume")]
    [InlineData("checkpoints/step-0000020/optimizer.bin", "cut", "resume")]
    [InlineData("checkpoints/step-0000020/meta.json", "cut", "resume")]
    [InlineData("config.json", "cut", "eval-plan")]
    [InlineData("config.json", "cut", "export")]
    public void Given_a_run_file_cut_off_or_with_a_flipped_bit_When_used_Then_the_error_names_it_and_nothing_is_rewritten(
        string file, string fault, string command)
    {
        using var tmp = new TempFolder("wm-fault");
        Assert.Equal(0, CliRunner.Run("train", "--config", Repository.Config("tiny.json"), "--out", tmp["run"],
            "--device", "cpu").ExitCode);
        Corrupt(Path.Combine(tmp["run"], file), fault);
        var before = Folder(tmp["run"]);
        var r = command switch
        {
            "export" => CliRunner.Run("export", tmp["run"], "--format", "safetensors", "--out", tmp["m.safetensors"]),
            "resume" => CliRunner.Run("train", "--resume", tmp["run"], "--from", "step-0000020", "--device", "cpu"),
            _ => CliRunner.Run("eval-plan", tmp["run"], "--no-oracle", "--device", "cpu"),
        };
        output.WriteLine(r.Error);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains(Path.GetFileName(file), r.Error);
        Assert.Equal(before, Folder(tmp["run"]));
        Assert.False(File.Exists(tmp["m.safetensors"]));
    }

    [Theory]
    [InlineData("cut")]
    [InlineData("digit")]
    public void Given_a_results_file_cut_off_or_with_a_changed_digit_When_compared_Then_the_error_names_it(
        string fault)
    {
        using var tmp = new TempFolder("wm-fault");
        Assert.Equal(0, CliRunner.Run("run", Repository.Config("tiny-experiment.json"), "--out", tmp["run"],
            "--device", "cpu", "--set", "evaluation.plannerHorizons=[2]").ExitCode);
        string results = Path.Combine(tmp["run"], "results.json");
        Corrupt(results, fault);
        var r = CliRunner.Run("compare", results, results);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("results.json", r.Error);
    }

    [Fact]
    public void Given_an_output_path_below_a_file_When_training_Then_it_fails_naming_the_path_and_leaves_the_file()
    {
        using var tmp = new TempFolder("wm-fault");
        File.WriteAllText(tmp["notes.txt"], "mine");
        var r = CliRunner.Run("train", "--config", Repository.Config("tiny.json"), "--out",
            Path.Combine(tmp["notes.txt"], "run"), "--device", "cpu");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("notes.txt", r.Error);
        Assert.Equal("mine", File.ReadAllText(tmp["notes.txt"]));
    }

    [Fact]
    public void Given_a_full_disk_When_generating_Then_it_fails_saying_so_and_the_rerun_elsewhere_completes()
    {
        using var tmp = new TempFolder("wm-fault");
        string disk = tmp["disk"];
        Directory.CreateDirectory(disk);
        var mount = Process.Start("mount", ["-t", "tmpfs", "-o", "size=256k", "tmpfs", disk])!;
        mount.WaitForExit();
        Assert.True(mount.ExitCode == 0, "this test mounts a 256 KiB tmpfs: run it as root (CI does)");
        try
        {
            string[] generate = ["data", "generate", "--config", Repository.Config("tiny.json"),
                "--set", "data.episodes=4000", "--set", "data.chunkEpisodes=100"];
            var r = CliRunner.Run([.. generate, "--out", Path.Combine(disk, "d")]);
            output.WriteLine(r.Error);
            Assert.NotEqual(0, r.ExitCode);
            Assert.Contains("No space left", r.Error);
            Assert.False(File.Exists(Path.Combine(disk, "d", "dataset.json")));
            var elsewhere = CliRunner.Run([.. generate, "--out", tmp["d"]]);
            Assert.True(elsewhere.ExitCode == 0, elsewhere.Error);
        }
        finally
        {
            Process.Start("umount", [disk])!.WaitForExit();
        }
    }

    [Fact]
    public async Task Given_two_trainings_on_one_folder_Then_the_second_is_refused_and_the_first_finishes_untouched()
    {
        using var tmp = new TempFolder("wm-fault");
        // Long enough that the second starts while the first trains.
        string[] args = ["train", "--config", Repository.Config("tiny.json"), "--out", tmp["run"],
            "--set", "train.steps=300", "--set", "checkpointEvery=100", "--set", "logEvery=1", "--device", "cpu"];
        using var first = CliRunner.StartProcess(NoEnv, args);
        var firstOut = first.StandardOutput.ReadToEndAsync();
        var firstErr = first.StandardError.ReadToEndAsync();
        string metrics = Path.Combine(tmp["run"], "metrics.jsonl");
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < TimeSpan.FromSeconds(120) && !first.HasExited && !File.Exists(metrics))
            await Task.Delay(10);
        Assert.False(first.HasExited, "the first training ended before the second started");
        var second = CliRunner.RunProcessWithOutput(NoEnv, args);
        Assert.False(first.HasExited, "the first training ended before the second was refused: raise train.steps");
        Assert.NotEqual(0, second.ExitCode);
        Assert.Contains("in use by another run", second.Error + second.Out);
        await first.WaitForExitAsync();
        Assert.True(first.ExitCode == 0, await firstOut + await firstErr);
        Assert.Equal("step-0000300", File.ReadAllText(Path.Combine(tmp["run"], "checkpoints/latest")));
        var check = CliRunner.Run("train", "--resume", tmp["run"], "--device", "cpu"); // verifies every file
        Assert.True(check.ExitCode == 0, check.Error + check.Out);
    }

    /// <summary>Starts wm, sends the signal once <paramref name="when"/> holds, and returns its exit code.</summary>
    private static (int Code, string Said) RunUntil(
        string[] args,
        string signal,
        Func<bool> when,
        int pollMs = 5,
        string? pauseAt = null)
    {
        using var p = CliRunner.StartProcess(
            pauseAt is null ? NoEnv : new Dictionary<string, string> { [FaultPoint.Variable] = pauseAt }, args);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < TimeSpan.FromSeconds(180) && !p.HasExited && !Safe(when))
            if (pollMs > 0) Thread.Sleep(pollMs);
        // (Not stderr.Result in the message: an interpolated message is built first, and that waits for the exit.)
        if (p.HasExited) Assert.Fail($"wm {args[0]} ended before the fault could be injected: {stderr.Result}");
        if (signal == "INT") CliRunner.AssertSigIntNotIgnored(p);
        Assert.True(Kill(p.Id, signal == "KILL" ? SigKill : SigInt) == 0, $"wm {args[0]} ended before SIG{signal}");
        Assert.True(p.WaitForExit(60_000), $"wm did not stop after SIG{signal}");
        string said = stdout.Result + stderr.Result;
        Assert.True(p.ExitCode != 0, $"wm {args[0]} exited 0: it finished before SIG{signal} arrived\n{said}");
        return (p.ExitCode, said);

        static bool Safe(Func<bool> f)
        {
            try { return f(); }
            catch (IOException) { return false; } // a file being renamed as we look
        }
    }

    private const int SigInt = 2, SigKill = 9;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    /// <summary>Every file of every whole checkpoint, with its hash.</summary>
    private static Dictionary<string, string> Checkpoints(string run)
    {
        string dir = Path.Combine(run, "checkpoints");
        if (!Directory.Exists(dir)) return new();
        return Directory.GetDirectories(dir, "step-*").Where(d => !d.EndsWith(".tmp", StringComparison.Ordinal))
            .SelectMany(Directory.GetFiles).ToDictionary(f => f, Hash);
    }

    /// <summary>Every file below <paramref name="folder"/> with its hash, but the lock (every command takes it).
    /// </summary>
    private static SortedDictionary<string, string> Folder(string folder) =>
        new(Directory.GetFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetFileName(f).StartsWith(".lock", StringComparison.Ordinal))
            .ToDictionary(f => Path.GetRelativePath(folder, f), Hash), StringComparer.Ordinal);

    private static string Hash(string file) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file)));

    /// <summary>
    /// "cut": the file loses its second half; "flip": one bit in its middle changes; "digit": the first digit from
    /// the middle on changes its lowest bit (a number changes and the file still parses: only a checksum sees it).
    /// </summary>
    private static void Corrupt(string file, string fault)
    {
        var bytes = File.ReadAllBytes(file);
        if (fault == "cut") File.WriteAllBytes(file, bytes[..(bytes.Length / 2)]);
        else
        {
            int at = bytes.Length / 2;
            if (fault == "digit") while (bytes[at] is < (byte)'0' or > (byte)'9') at++;
            bytes[at] ^= fault == "digit" ? (byte)0x01 : (byte)0x10;
            File.WriteAllBytes(file, bytes);
        }
    }
}
