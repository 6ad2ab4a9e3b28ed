using WorldModel.Core.Config;
using WorldModel.Experiments;
using WorldModel.Experiments.Graph;
using static TorchSharp.torch;

namespace WorldModel.Experiments.Tests;

/// <summary>`wm run --reuse-from RUN`: one trained model planned another way without training it again.</summary>
public sealed class RunReuseTests
{
    // The tiny experiment's JEPA alone (its pixel model would only add time).
    private static ExperimentConfig Tiny(params string[] sets) =>
        ConfigLoader.LoadFile<ExperimentConfig>(Repository.Config("tiny-experiment.json"),
        [
            "models=[{\"name\":\"jepa\",\"model\":{\"widths\":[8,16],\"predictorHidden\":16},"
            + "\"train\":{\"steps\":10,\"batchSize\":8,\"rollout\":4,\"warmupSteps\":2}}]",
            .. sets,
        ]);

    private static ExperimentGraph Run(ExperimentConfig config, string folder, RecordingObserver observer,
        params string[] reuseFrom) =>
        ExperimentRunner.Run(config, folder, new LocalExecutor(), new UnitContext(CPU, observer, default),
            reuseFrom: reuseFrom);

    [Fact]
    public void Given_a_finished_run_When_planned_another_way_with_reuse_from_it_Then_the_model_is_copied_not_trained_and_planning_runs()
    {
        using var tmp = new TempFolder();
        var config = Tiny();
        Run(config, tmp["first"], new RecordingObserver());

        // Another evaluation: the same training key, other planning keys.
        var other = Tiny("evaluation.plan.replanEvery=2");
        var observer = new RecordingObserver();
        Run(other, tmp["second"], observer, tmp["first"]);
        Assert.Contains("train/jepa-seed0", observer.Reused);
        Assert.DoesNotContain("train/jepa-seed0", observer.Ran);
        Assert.Contains("plan/jepa-latent-seed0-h4", observer.Ran);
        Assert.Contains("landscape", observer.Ran); // plots/ is shared with the report: never copied
        Assert.Empty(observer.Warnings); // the copied record carries the key this config gives
        Assert.Contains(observer.Infos, i => i.Contains("1 train", StringComparison.Ordinal));
        // The model is the first run's, byte for byte (weights, optimiser state, metrics).
        string[] made = TrainedFiles.Of(tmp["first"]), copied = TrainedFiles.Of(tmp["second"]);
        Assert.Equal(made.Select(f => Path.GetRelativePath(tmp["first"], f)),
            copied.Select(f => Path.GetRelativePath(tmp["second"], f)));
        foreach (var (a, b) in made.Zip(copied)) Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(b));
        Assert.True(File.Exists(Path.Combine(tmp["first"], "train", "jepa-seed0", ".lock.owner")));
        Assert.False(File.Exists(Path.Combine(tmp["second"], "train", "jepa-seed0", ".lock.owner")));
        // The reused model plans as the original: the first run's episodes planned here again are the same.
        var again = new RecordingObserver();
        Run(config, tmp["third"], again, tmp["second"]);
        Assert.Contains("train/jepa-seed0", again.Reused);
        Assert.Contains("plan/jepa-latent-seed0-h4", again.Ran); // the second run planned otherwise
        Assert.Equal(WithoutTiming(tmp["first"]), WithoutTiming(tmp["third"]));

        // The same config reused from the first run: every unit but the landscape and report is copied.
        var all = new RecordingObserver();
        Run(config, tmp["fourth"], all, tmp["first"]);
        Assert.Equal(["landscape", "report"], all.Ran);
        Assert.Equal(File.ReadAllLines(Path.Combine(tmp["first"], "results.csv")),
            File.ReadAllLines(Path.Combine(tmp["fourth"], "results.csv")));
    }

    [Fact]
    public void Given_a_unit_made_with_other_settings_or_begun_here_Then_it_is_not_copied_and_runs_here()
    {
        using var tmp = new TempFolder();
        Run(Tiny("evaluation.oracles=[]"), tmp["first"], new RecordingObserver());

        // Two more training steps: another training key, so nothing is copied and the summary names the unit.
        var longer = new RecordingObserver();
        var graph = ExperimentGraph.Build(Tiny("evaluation.oracles=[]", "models.0.train.steps=12"), tmp["longer"]);
        var outcome = RunReuse.CopyFinished(graph, [tmp["first"]], longer);
        Assert.Empty(outcome.Copied);
        Assert.Contains("train/jepa-seed0", outcome.OtherKey);
        Assert.Contains(longer.Infos, i => i.Contains("other settings", StringComparison.Ordinal)
                                           && i.Contains("train/jepa-seed0", StringComparison.Ordinal));
        Assert.False(Directory.Exists(Path.Combine(tmp["longer"], "train")));

        // A training this run began (here: its folder with a file of its own) is resumed, never replaced.
        string begun = Path.Combine(tmp["begun"], "train", "jepa-seed0");
        Directory.CreateDirectory(begun);
        File.WriteAllText(Path.Combine(begun, "mine.txt"), "written here");
        var here = RunReuse.CopyFinished(ExperimentGraph.Build(Tiny("evaluation.oracles=[]"), tmp["begun"]),
            [tmp["first"]], new RecordingObserver());
        Assert.DoesNotContain("train/jepa-seed0", here.Copied);
        Assert.Equal("written here", File.ReadAllText(Path.Combine(begun, "mine.txt")));
        Assert.False(File.Exists(UnitRecord.PathOf(tmp["begun"], "train/jepa-seed0")));
    }

    [Fact]
    public void Given_a_folder_that_is_no_run_or_the_run_itself_Then_reuse_is_refused_before_any_unit_runs()
    {
        using var tmp = new TempFolder();
        Directory.CreateDirectory(tmp["empty"]);
        var observer = new RecordingObserver();
        var e = Assert.Throws<ArgumentException>(() => Run(Tiny(), tmp["run"], observer, tmp["empty"]));
        Assert.Contains("not a run folder", e.Message);
        Assert.Contains("config.json", e.Message);
        Assert.Empty(observer.Units);
        Assert.False(File.Exists(Path.Combine(tmp["run"], ExperimentRunner.ConfigFile))); // nothing written

        Directory.CreateDirectory(tmp["run"]);
        File.WriteAllText(Path.Combine(tmp["run"], ExperimentRunner.ConfigFile), ConfigLoader.ToJson(Tiny()));
        var own = Assert.Throws<ArgumentException>(() => Run(Tiny(), tmp["run"], observer, tmp["run"]));
        Assert.Contains("own folder", own.Message);
        Assert.Empty(observer.Units);
    }

    /// <summary>results.csv's lines without their last column, plan_seconds.</summary>
    private static string[] WithoutTiming(string run) =>
        [.. File.ReadAllLines(Path.Combine(run, "results.csv")).Select(l => l[..l.LastIndexOf(',')])];
}
