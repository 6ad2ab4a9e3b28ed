using System.Text.Json.Nodes;
using WorldModel.Models.Objectives;
using WorldModel.Models.Training;
using WorldModel.Render;
using WorldModel.Render.Cpu;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace WorldModel.Models.Tests;

/// <summary>
/// initFrom (a curriculum's second phase): a run starts from a finished run's weights, resumes from its own
/// checkpoints, and refuses a source it cannot start from.
/// </summary>
[Collection("torch")]
public sealed class InitFromTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"wm-initfrom-{Guid.NewGuid():N}");

    private static readonly ModelConfig Tiny = new() { Widths = [8, 16], Latent = LatentKind.Flat, LatentDim = 16 };

    private static RunConfig Config(string name, int steps) => new()
    {
        Name = name, Data = TinyWorld.Dataset.Config, Model = Tiny, Objective = new JepaObjectiveConfig(),
        Train = new TrainConfig { Steps = steps, BatchSize = 16, Rollout = 4, LearningRate = 2e-3, WarmupSteps = 2 },
        CheckpointEvery = 3, KeepCheckpoints = 0, LogEvery = 1,
    };

    private const int SourceSteps = 60;

    public void Dispose()
    {
        try { Directory.Delete(_root, true); } catch (IOException) { }
    }

    /// <summary>Trains <paramref name="config"/> in _root/<paramref name="name"/>; stopped after
    /// <paramref name="stopAfter"/> steps as Ctrl+C would stop it, when given.</summary>
    private TrainingRun Train(RunConfig config, string name, string? resumeFrom = null, int? stopAfter = null)
    {
        var data = TinyWorld.Dataset;
        var renderer = new CpuRasterizer(new SceneBuilder(data.Config.World, data.Config.Render).Format);
        var run = new TrainingRun(config, Path.Combine(_root, name)) { ResumeFrom = resumeFrom };
        using var stop = new CancellationTokenSource();
        try
        {
            ScalarRace.RetryOnce(() => run.Run(data, renderer, CPU,
                m => { if (m.Step + 1 == stopAfter) stop.Cancel(); }, stop.Token), output.WriteLine);
        }
        catch (OperationCanceledException) when (stopAfter is not null) { }
        return run;
    }

    private static double[] Losses(TrainingRun run) =>
        [.. File.ReadAllLines(Path.Combine(run.Folder, TrainingRun.MetricsFile)).Where(l => l.Length > 0)
            .Select(l => JsonNode.Parse(l)!["loss"]!.GetValue<double>())];

    private static string ModelSha(TrainingRun run, int step) =>
        Checkpoint.Verify(Path.Combine(run.Folder, TrainingRun.CheckpointsFolder, Checkpoint.FolderName(step)))
            .Sha256[Checkpoint.ModelFile];

    [Fact]
    public void Given_a_finished_run_When_a_run_starts_from_it_Then_its_first_loss_is_where_the_source_ended_it_records_the_source_and_a_resume_reproduces_it()
    {
        var source = Train(Config("source", SourceSteps), "source");
        var fresh = Train(Config("fresh", 6), "fresh");
        var started = Train(Config("started", 6) with { InitFrom = "../source" }, "started");

        double sourceEnd = Losses(source).TakeLast(10).Average(), freshFirst = Losses(fresh)[0];
        double startedFirst = Losses(started)[0];
        output.WriteLine($"source's last 10 steps {sourceEnd:F3}; first step: fresh {freshFirst:F3}, " +
                         $"started from the source {startedFirst:F3}");
        // The same seed and batches: only the starting weights differ. Started from the trained ones, the first step
        // is within a quarter of the way from where the source ended to where a fresh start begins.
        Assert.True(freshFirst - sourceEnd > 0.5,
            $"the source learned too little to tell ({freshFirst} → {sourceEnd})");
        Assert.True(startedFirst < sourceEnd + 0.25 * (freshFirst - sourceEnd),
            $"{startedFirst} is not near the source's end {sourceEnd} (a fresh start: {freshFirst})");
        var record = JsonNode.Parse(File.ReadAllText(Path.Combine(started.Folder, TrainingRun.InitFile)))!;
        Assert.Equal(source.Folder, record["from"]!.GetValue<string>());
        Assert.Equal(Checkpoint.FolderName(SourceSteps), record["checkpoint"]!.GetValue<string>());
        Assert.Equal(ModelSha(source, SourceSteps), record["modelSha256"]!.GetValue<string>());

        // Stopped after step 3 and resumed, a run continues from its own checkpoint (not from the source again) and
        // ends on the same weights as the uninterrupted one.
        var stopped = Train(started.Config, "stopped", stopAfter: 3);
        Assert.Equal(3, stopped.CompletedSteps());
        Train(started.Config, "stopped");
        Assert.Equal(ModelSha(started, 6), ModelSha(stopped, 6));
        Assert.Equal(Losses(started), Losses(stopped));
    }

    [Fact]
    public void Given_a_source_that_is_missing_unfinished_or_of_another_model_Then_the_run_is_refused_naming_what_to_fix()
    {
        var missing = Assert.Throws<CheckpointException>(() =>
            Train(Config("a", 3) with { InitFrom = "../nowhere" }, "a"));
        Assert.Contains("nowhere", missing.Message);
        Assert.Contains("not a training run folder", missing.Message);

        var source = Train(Config("source", 9), "source", stopAfter: 3);
        Assert.Equal(3, source.CompletedSteps());
        var unfinished = Assert.Throws<CheckpointException>(() =>
            Train(Config("b", 3) with { InitFrom = "../source" }, "b"));
        Assert.Contains("has trained 3 of 9 steps; finish it first", unfinished.Message);

        var other = Train(Config("other", 3), "other");
        var wider = Assert.Throws<CheckpointException>(() =>
            Train(Config("c", 3) with { Model = Tiny with { LatentDim = 32 }, InitFrom = "../other" }, "c"));
        Assert.Contains("another model", wider.Message);
        Assert.Contains("latentDim", wider.Message);
        Assert.False(Directory.Exists(Path.Combine(_root, "c", TrainingRun.CheckpointsFolder)),
            "a refused run writes no checkpoint");
    }
}
