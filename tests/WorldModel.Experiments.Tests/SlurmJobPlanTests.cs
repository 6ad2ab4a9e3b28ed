using System.Diagnostics;
using WorldModel.Core.Config;
using WorldModel.Experiments.Graph;
using WorldModel.Experiments.Slurm;

namespace WorldModel.Experiments.Tests;

/// <summary>
/// Which jobs a graph becomes and what their batch scripts run; no cluster needed (tests/WorldModel.Cli.Tests'
/// SlurmExecutorTests submit them to a real one).
/// </summary>
public sealed class SlurmJobPlanTests
{
    private static ExperimentConfig Tiny(params string[] sets) =>
        ConfigLoader.LoadFile<ExperimentConfig>(Repository.Config("tiny-experiment.json"), sets);

    [Fact]
    public void Given_three_seeds_Then_each_seeded_unit_kind_is_one_array_job_and_the_rest_are_jobs_of_their_own_in_dependency_order()
    {
        using var tmp = new TempFolder();
        var graph = ExperimentGraph.Build(Tiny("seeds=[0,1,2]"), tmp["run"]);
        var jobs = SlurmJobPlan.Plan(graph.Units);
        string[] trained = ["jepa-latent", "pixel-frames", "pixel-latent"];
        Assert.Equal(["data", "train/jepa-seed{0,1,2}", "train/pixel-seed{0,1,2}",
            "plan/oracle-geodesic-seed0-h2", "plan/oracle-geodesic-seed0-h4",
            .. trained.SelectMany(m => new[] { $"plan/{m}-seed{{0,1,2}}-h2", $"plan/{m}-seed{{0,1,2}}-h4" }),
            "landscape", "report"], jobs.Select(j => j.Name));
        var train = jobs[1];
        Assert.True(train.IsArray);
        Assert.Equal("0,1,2", train.ArrayIndices);
        Assert.Equal("train_jepa-seedN", train.FileName);
        Assert.Equal(["train/jepa-seed0", "train/jepa-seed1", "train/jepa-seed2"], train.Units.Select(u => u.Id));
        Assert.False(jobs[0].IsArray);
        Assert.Equal(graph.Units.Count, jobs.Sum(j => j.Units.Count));
    }

    [Fact]
    public void Given_only_some_seeds_unfinished_Then_the_array_holds_those_seeds_and_a_lone_seed_is_a_plain_job()
    {
        using var tmp = new TempFolder();
        var graph = ExperimentGraph.Build(Tiny("seeds=[0,1,2]"), tmp["run"]);
        string[] unfinished = ["train/jepa-seed0", "train/jepa-seed2", "train/pixel-seed1", "report"];
        var jobs = SlurmJobPlan.Plan([.. graph.Units.Where(u => unfinished.Contains(u.Id))]);
        Assert.Equal(["train/jepa-seed{0,2}", "train/pixel-seed1", "report"], jobs.Select(j => j.Name));
        Assert.Equal("0,2", jobs[0].ArrayIndices);
        Assert.False(jobs[1].IsArray);
    }

    [Fact]
    public void Given_a_seed_beyond_the_largest_array_index_Then_its_units_run_as_jobs_of_their_own()
    {
        using var tmp = new TempFolder();
        var graph = ExperimentGraph.Build(Tiny("seeds=[3,5000]", "evaluation.plannerHorizons=[2]"), tmp["run"]);
        var jobs = SlurmJobPlan.Plan(graph.Units);
        Assert.Contains(jobs, j => j.Name == "train/jepa-seed5000" && !j.IsArray);
        Assert.Contains(jobs, j => j.Name == "train/jepa-seed3" && !j.IsArray);
    }

    [Fact]
    public void Given_a_two_level_model_Then_the_high_levels_are_an_array_of_their_own_after_the_low_levels()
    {
        using var tmp = new TempFolder();
        var graph = ExperimentGraph.Build(Tiny("seeds=[0,1]", "evaluation.plannerHorizons=[2]",
            "models=[{\"name\":\"jepa\",\"model\":{\"widths\":[8,16],\"predictorHidden\":16}," +
            "\"train\":{\"steps\":10,\"batchSize\":8,\"rollout\":4,\"warmupSteps\":2}," +
            "\"hierarchy\":{\"skip\":2,\"train\":{\"steps\":10,\"batchSize\":8,\"rollout\":2,\"warmupSteps\":2}}}]"),
            tmp["run"]);
        var names = SlurmJobPlan.Plan(graph.Units).Select(j => j.Name).ToList();
        int low = names.IndexOf("train/jepa-seed{0,1}"), high = names.IndexOf("train/jepa-seed{0,1}-high");
        Assert.True(low >= 0 && high > low, string.Join(", ", names));
        Assert.Contains("plan/jepa-latent-hier-seed{0,1}-h2", names);
    }

    [Fact]
    public void Given_an_array_job_When_its_script_runs_as_task_2_Then_it_runs_wm_for_seed_2_with_the_asked_resources()
    {
        using var tmp = new TempFolder("wm test's run");
        var graph = ExperimentGraph.Build(Tiny("seeds=[0,2]"), tmp["run"]);
        var spec = SlurmJobPlan.Plan(graph.Units).Single(j => j.Name == "train/jepa-seed{0,2}");
        var options = new SlurmOptions
        {
            // echo stands in for wm: the script's last line prints what a job would run.
            JobCommand = "echo",
            Device = "cpu",
            CpusPerUnit = 3,
            GpusPerUnit = 1,
            Partition = "long",
            Time = "1:00:00",
            WorkingDirectory = tmp.Path,
        };
        string text = SlurmScript.Text(spec, tmp["run"], "wm/run/train/jepa-seedN", options);
        foreach (var line in new[] { "#SBATCH --array=0,2", "#SBATCH --cpus-per-task=3", "#SBATCH --gres=gpu:1",
                     "#SBATCH --partition=long", "#SBATCH --time=1:00:00", "#SBATCH --kill-on-invalid-dep=yes",
                     $"#SBATCH --chdir={tmp.Path}", "#SBATCH --job-name=wm/run/train/jepa-seedN" })
            Assert.Contains(line + "\n", text);
        Assert.Contains($"#SBATCH --output={tmp["run"]}/slurm/logs/train_jepa-seed%a.%A.log\n", text);
        File.WriteAllText(tmp["job.sh"], text);
        var psi = new ProcessStartInfo("bash", [tmp["job.sh"]]) { RedirectStandardOutput = true };
        psi.Environment["SLURM_ARRAY_TASK_ID"] = "2";
        psi.Environment["SLURM_CPUS_PER_TASK"] = "3";
        using var job = Process.Start(psi)!;
        string ran = job.StandardOutput.ReadToEnd().Trim();
        job.WaitForExit();
        Assert.Equal(0, job.ExitCode);
        Assert.Equal($"run {tmp["run"]}/config.json --out {tmp["run"]} --unit train/jepa-seed2 --device cpu", ran);
        Assert.Equal($"{tmp["run"]}/slurm/logs/train_jepa-seed2.41.log",
            SlurmScript.LogOf(tmp["run"], spec, "41", 2));
    }
}
