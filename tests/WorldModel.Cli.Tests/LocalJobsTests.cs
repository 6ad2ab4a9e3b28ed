namespace WorldModel.Cli.Tests;

/// <summary>`wm run --jobs N`: units several at a time, each in a `wm` process of its own.</summary>
[Collection("cli")]
public sealed class LocalJobsTests
{
    [Fact]
    public void Given_jobs_2_When_the_tiny_experiment_runs_Then_its_units_run_in_processes_and_plan_the_episodes_a_run_here_plans()
    {
        using var tmp = new TempFolder();
        string config = Repository.Config("tiny-experiment.json");
        // The run to match: every unit one after the other in one `wm` process, at the thread count a unit gets
        // (float rounding depends on it). A process of its own, not this test host: torch's thread count set here
        // does not reach the thread-pool threads `wm run` works on once they have done torch work at another.
        var oneThread = new Dictionary<string, string>
        {
            ["OMP_NUM_THREADS"] = "1",
            ["DOTNET_PROCESSOR_COUNT"] = "1",
        };
        var here = CliRunner.RunProcessWithOutput(oneThread, "run", config, "--out", tmp["here"], "--device", "cpu");
        Assert.True(here.ExitCode == 0, here.Error + here.Out);

        var jobs = CliRunner.Run("run", config, "--out", tmp["jobs"], "--device", "cpu", "--jobs", "2",
            "--cpus-per-unit", "1");
        Assert.True(jobs.ExitCode == 0, jobs.Error + jobs.Out);
        Assert.Contains("running up to 2 units at once, 1 torch thread each", jobs.Out);
        // Each model ran in a process of its own, which wrote its log; the data and the report ran here.
        string logs = Path.Combine(tmp["jobs"], "local", "logs");
        foreach (string unit in new[] { "train_jepa-seed0", "train_pixel-seed0", "plan_jepa-latent-seed0-h4" })
            Assert.True(File.Exists(Path.Combine(logs, unit + ".log")), unit);
        Assert.Contains("unit train/jepa-seed0 of", File.ReadAllText(Path.Combine(logs, "train_jepa-seed0.log")));
        Assert.False(File.Exists(Path.Combine(logs, "report.log")));
        Assert.Contains("report.md", jobs.Out);
        // The same episodes, planned by every method, with the same results: a unit's process computes what the
        // one process did.
        string[] Rows(string run, string method) =>
            File.ReadAllLines(Path.Combine(tmp[run], "results.csv")).Where(l => l.StartsWith(method + ","))
                .Select(l => string.Join(',', l.Split(',')[..^1])).ToArray(); // all but plan_seconds
        foreach (string method in new[] { "oracle/geodesic", "jepa/latent", "pixel/frames", "pixel/latent" })
        {
            Assert.NotEmpty(Rows("jobs", method));
            Assert.Equal(Rows("here", method), Rows("jobs", method));
        }

        // Run again: every unit is reused, none is started.
        var again = CliRunner.Run("run", config, "--out", tmp["jobs"], "--device", "cpu", "--jobs", "2");
        Assert.True(again.ExitCode == 0, again.Error + again.Out);
        Assert.DoesNotContain(": started", again.Out);
    }

    [Fact]
    public void Given_a_unit_that_fails_in_its_process_Then_the_run_fails_naming_it_its_log_and_the_units_it_held_back()
    {
        using var tmp = new TempFolder();
        // The JEPA's training folder holds another run's config: its process refuses to train there.
        Directory.CreateDirectory(Path.Combine(tmp["run"], "train", "jepa-seed0"));
        File.WriteAllText(Path.Combine(tmp["run"], "train", "jepa-seed0", "config.json"), "{\"kind\": \"other\"}");
        var r = CliRunner.Run("run", Repository.Config("tiny-experiment.json"), "--out", tmp["run"], "--device",
            "cpu", "--jobs", "2");
        Assert.NotEqual(0, r.ExitCode);
        string said = r.Out + r.Error;
        Assert.Contains("train/jepa-seed0 (exit code", said);
        Assert.Contains("train_jepa-seed0.log", said);
        // Announced when it failed, before the run's closing summary.
        int announced = said.IndexOf("train jepa seed 0: failed, exit code", StringComparison.Ordinal);
        Assert.InRange(announced, 0, said.IndexOf(" failed: ", StringComparison.Ordinal));
        Assert.Contains("plan/jepa-latent-seed0-h4 (not run: needs train/jepa-seed0)", said);
        // The other model was not held back by the failure.
        Assert.Contains(" train/pixel-seed0: ", File.ReadAllText(Path.Combine(tmp["run"], "log.txt")));
    }

    [Theory]
    [InlineData(new[] { "--jobs", "0" }, "--jobs 0 is not allowed; allowed: 1 or more")]
    [InlineData(new[] { "--jobs", "2", "--executor", "slurm" }, "--jobs is for --executor local")]
    [InlineData(new[] { "--cpus-per-unit", "2" }, "--cpus-per-unit needs --jobs 2 or more")]
    [InlineData(new[] { "--jobs", "2", "--cpus-per-unit", "0" }, "--cpus-per-unit 0 is not allowed; allowed: 1 or more")]
    public void Given_bad_job_options_Then_the_run_refuses_before_any_work_saying_what_is_allowed(
        string[] options, string message)
    {
        using var tmp = new TempFolder();
        var r = CliRunner.Run(["run", Repository.Config("tiny-experiment.json"), "--out", tmp["run"], .. options]);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains(message, r.Out + r.Error);
        Assert.False(Directory.Exists(Path.Combine(tmp["run"], "train")));
    }
}
