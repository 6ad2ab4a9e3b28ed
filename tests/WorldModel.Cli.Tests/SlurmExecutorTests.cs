using System.Diagnostics;
using System.Text.RegularExpressions;
using WorldModel.Core.Config;
using WorldModel.Core.IO;
using WorldModel.Experiments;
using WorldModel.Experiments.Graph;
using WorldModel.Experiments.Slurm;
using WorldModel.Experiments.Stages;
using Xunit.Abstractions;

namespace WorldModel.Cli.Tests;

/// <summary>
/// `wm run --executor slurm`, `wm status`, `wm cancel` and `wm sweep --executor slurm` on a real single-node Slurm
/// (<see cref="SlurmCluster"/>), never a mock: each job runs the tests' own wm.dll. A Slurm run must equal a local
/// run of the same config, episode by episode.
/// </summary>
[Collection("cli")]
public sealed class SlurmExecutorTests(SlurmExecutorTests.Cluster cluster, ITestOutputHelper output)
    : IClassFixture<SlurmExecutorTests.Cluster>
{
    private static string Config => Repository.Config("tiny-experiment.json");

    /// <summary>The tiny experiment with only its small JEPA: every job takes seconds.</summary>
    private static readonly string[] Jepa =
    [
        "--device", "cpu", "--set",
        "models=[{\"name\":\"jepa\",\"model\":{\"widths\":[8,16],\"predictorHidden\":16},"
            + "\"train\":{\"steps\":10,\"batchSize\":8,\"rollout\":4,\"warmupSteps\":2}}]",
    ];

    private static readonly string[] OneSeed = [.. Jepa, "--set", "evaluation.plannerHorizons=[2]"];

    private static readonly string[] TwoSeeds = [.. OneSeed, "--set", "seeds=[0,1]"];

    /// <summary>
    /// Each job gets as many CPUs as torch has threads here: a job's torch uses the CPUs it was given, and float
    /// rounding depends on the thread count, so only then do its episodes equal the local run's.
    /// </summary>
    private static string[] OnSlurm =>
        ["--executor", "slurm", "--cpus-per-unit", TorchSharp.torch.get_num_threads().ToString()];

    [SlurmFact]
    public void Given_the_tiny_experiment_When_run_on_Slurm_Then_its_episodes_and_report_equal_a_local_run_and_a_second_submission_submits_nothing()
    {
        string local = cluster.Reference("two-seeds", TwoSeeds);
        using var tmp = new TempFolder("wm-slurm");
        string[] run = ["run", Config, "--out", tmp["run"], .. TwoSeeds, .. OnSlurm];
        var r = Timed("on Slurm", () => CliRunner.Run(run));
        Assert.True(r.ExitCode == 0, r.Error + r.Out);
        // A model's seeds are one array job; the array's planning waits for the whole training array.
        var train = Regex.Match(r.Out, @"submitted job (\d+) \(array 0,1\): train/jepa-seed\{0,1\}\n");
        Assert.True(train.Success, r.Out);
        Assert.Contains($"(array 0,1): plan/jepa-latent-seed{{0,1}}-h2 (after {train.Groups[1].Value})", r.Out);
        Assert.Matches(@"\[7/7\] report: 12 planned episodes", r.Out);
        Assert.Contains("done: 12 planned episodes", r.Out);

        var same = CliRunner.Run("compare", local, tmp["run"]);
        Assert.True(same.ExitCode == 0, same.Out + same.Error);
        Assert.Equal(Headings(local), Headings(tmp["run"]));
        Assert.Equal(Stages(local), Stages(tmp["run"]));

        var jobs = SlurmSubmission.Load(tmp["run"])!;
        Assert.Equal([0, 1], jobs.Units.Where(u => u.Unit.StartsWith("train/", StringComparison.Ordinal))
            .Select(u => u.ArrayIndex));
        Assert.All(jobs.Units, u => Assert.True(File.Exists(u.Log), u.Log));
        Assert.StartsWith(Path.Combine(tmp["run"], "slurm", "logs"), jobs["train/jepa-seed1"]!.Log);
        // log.txt: a whole line per unit, though separate jobs appended them.
        var log = File.ReadAllLines(Path.Combine(tmp["run"], "log.txt"));
        Assert.All(log, l => Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \S+: .+: \d+ s$", l));
        Assert.Equal(jobs.Units.Select(u => u.Unit).Order(), log.Select(l => l.Split(' ')[2].TrimEnd(':')).Order());

        string before = File.ReadAllText(SlurmSubmission.PathOf(tmp["run"]));
        var again = CliRunner.Run(run);
        Assert.True(again.ExitCode == 0, again.Error + again.Out);
        Assert.Contains("nothing to submit", again.Out);
        Assert.DoesNotContain("submitted job", again.Out);
        Assert.Equal(before, File.ReadAllText(SlurmSubmission.PathOf(tmp["run"])));
        var status = CliRunner.Run("status", tmp["run"]);
        Assert.True(status.ExitCode == 0, status.Error + status.Out);
        Assert.Contains("8 finished", status.Out);
    }

    [SlurmFact]
    public void Given_a_training_job_killed_When_asked_for_the_status_Then_it_names_the_failed_unit_and_its_log_and_the_same_command_again_completes_equal_to_a_local_run()
    {
        string local = cluster.Reference("one-seed", OneSeed);
        using var tmp = new TempFolder("wm-slurm");
        string[] run = ["run", Config, "--out", tmp["run"], .. OneSeed, .. OnSlurm];
        // The training pauses at its first checkpoint (the variable reaches the jobs through sbatch --export), so the
        // kill lands while it trains.
        var submitted = CliRunner.Run(
            [.. run, "--no-wait", $"--sbatch-arg=--export=ALL,{FaultPoint.Variable}=checkpoint"]);
        Assert.True(submitted.ExitCode == 0, submitted.Error + submitted.Out);
        var train = SlurmSubmission.Load(tmp["run"])!["train/jepa-seed0"]!;
        WaitFor(() => File.Exists(train.Log) && File.ReadAllText(train.Log).Contains("paused"),
            "the training job to pause at its first checkpoint");
        string owner = File.ReadAllText(
            Path.Combine(tmp["run"], "train", "jepa-seed0", FolderLock.FileName + ".owner"));
        using (var job = Process.GetProcessById(int.Parse(owner.Split(' ')[0]))) job.Kill(); // SIGKILL, as an OOM kill
        WaitFor(() => !Units(tmp["run"]).Any(u => u.State is UnitState.Pending or UnitState.Running),
            "the run's other jobs to end");

        var status = CliRunner.Run("status", tmp["run"]);
        output.WriteLine(status.Out);
        Assert.Equal(1, status.ExitCode);
        Assert.Contains($"failed: train/jepa-seed0 (FAILED", status.Out);
        Assert.Contains($"log: {train.Log}", status.Out);
        // The units that waited for it were cancelled by Slurm; the oracle, which needs no training, finished.
        Assert.Contains("cancelled: plan/jepa-latent-seed0-h2 (CANCELLED: a job it waited for failed)", status.Out);
        Assert.Contains(Units(tmp["run"]),
            u => u is { Unit: "plan/oracle-geodesic-seed0-h2", State: UnitState.Finished });

        var rerun = Timed("rerun on Slurm", () => CliRunner.Run(run));
        Assert.True(rerun.ExitCode == 0, rerun.Error + rerun.Out);
        Assert.Contains(": train/jepa-seed0\n", rerun.Out);
        Assert.DoesNotContain(": plan/oracle-geodesic-seed0-h2\n", rerun.Out);
        var same = CliRunner.Run("compare", local, tmp["run"]);
        Assert.True(same.ExitCode == 0, same.Out + same.Error);
    }

    [SlurmFact]
    public void Given_a_submitted_run_When_submitted_again_Then_it_is_refused_and_cancel_names_every_queued_or_running_job()
    {
        using var tmp = new TempFolder("wm-slurm");
        string[] run = ["run", Config, "--out", tmp["run"], .. OneSeed, .. OnSlurm, "--no-wait"];
        var submitted = CliRunner.Run(run);
        Assert.True(submitted.ExitCode == 0, submitted.Error + submitted.Out);
        Assert.Contains("wm status", submitted.Out);
        var twice = CliRunner.Run(run);
        Assert.Equal(1, twice.ExitCode);
        Assert.Contains("queued or running", twice.Error);
        Assert.Contains("wm cancel", twice.Error);

        var cancel = CliRunner.Run("cancel", tmp["run"]);
        Assert.True(cancel.ExitCode == 0, cancel.Error + cancel.Out);
        Assert.Matches(@"cancelled job \d+: report", cancel.Out);
        WaitFor(() => !Units(tmp["run"]).Any(u => u.State is UnitState.Pending or UnitState.Running),
            "the cancelled jobs to end");
        var status = CliRunner.Run("status", tmp["run"]);
        Assert.Equal(1, status.ExitCode);
        Assert.Contains("cancelled: report", status.Out);
        Assert.Contains("nothing to cancel", CliRunner.Run("cancel", tmp["run"]).Out);
    }

    [SlurmFact]
    public void Given_a_two_point_grid_When_swept_on_Slurm_Then_both_runs_are_submitted_before_any_wait_one_job_makes_their_data_and_the_table_holds_both_points()
    {
        using var tmp = new TempFolder("wm-slurm");
        // A dataset of the sweep's own, removed first, so that a job makes it and both runs wait for that one job.
        string[] sets = [.. Jepa, "--set", "data.seed=7"];
        string data = DataStage.Folder(ConfigLoader.LoadFile<ExperimentConfig>(Config,
            sets.Where((_, i) => i > 0 && sets[i - 1] == "--set")).Data);
        if (Directory.Exists(data)) Directory.Delete(data, recursive: true);
        var r = Timed("sweep on Slurm", () => CliRunner.Run(["sweep", Config, .. sets,
            "--grid", "evaluation.plannerHorizons=[2],[4]", "--out", tmp["sweep"], .. OnSlurm]));
        Assert.True(r.ExitCode == 0, r.Error + r.Out);
        var dataJob = Assert.Single(Regex.Matches(r.Out, @"submitted job (\d+): data\n")).Groups[1].Value;
        Assert.Equal(2, Regex.Count(r.Out, $@"submitted job \d+: train/jepa-seed0 \(after {dataJob}\)"));
        Assert.True(r.Out.LastIndexOf("submitted job", StringComparison.Ordinal) <
            r.Out.IndexOf("[1/", StringComparison.Ordinal), "every job is submitted before the first is waited for");
        SweepCommandTests.AssertTableHoldsBothPoints(tmp["sweep"]);
    }

    /// <summary>The cluster for the class, and local runs of the tests' configs to compare Slurm runs with.</summary>
    public sealed class Cluster : IDisposable
    {
        private readonly SlurmCluster _slurm = new();
        private readonly TempFolder _runs = new("wm-slurm-local");
        private readonly HashSet<string> _done = [];

        /// <summary>A local run of the tiny experiment with <paramref name="args"/> (made once per class).</summary>
        public string Reference(string name, string[] args)
        {
            if (_done.Add(name))
            {
                var r = CliRunner.Run(["run", Config, "--out", _runs[name], .. args]);
                Assert.True(r.ExitCode == 0, r.Error + r.Out);
            }
            return _runs[name];
        }

        public void Dispose()
        {
            _slurm.Dispose();
            _runs.Dispose();
        }
    }

    private CliRunner.Result Timed(string what, Func<CliRunner.Result> run)
    {
        var clock = Stopwatch.StartNew();
        var result = run();
        output.WriteLine($"{what}: {clock.Elapsed.TotalSeconds:F0} s\n{result.Out}{result.Error}");
        return result;
    }

    private static IReadOnlyList<UnitStatus> Units(string run) =>
        RunStatus.Of(ExperimentGraph.Build(
            ConfigLoader.LoadFile<ExperimentConfig>(Path.Combine(run, ExperimentRunner.ConfigFile)), run));

    private static void WaitFor(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(3), $"timed out waiting for {what}");
            Thread.Sleep(250);
        }
    }

    private static IEnumerable<string> Headings(string run) =>
        File.ReadLines(Path.Combine(run, "report.md")).Where(l => l.StartsWith('#'));

    /// <summary>The report's stage table without its time column.</summary>
    private static IEnumerable<string> Stages(string run) =>
        File.ReadLines(Path.Combine(run, "report.md")).SkipWhile(l => l != "## Stages").Where(l => l.StartsWith('|'))
            .Select(l => l[..l.LastIndexOf('|', l.Length - 2)]);
}
