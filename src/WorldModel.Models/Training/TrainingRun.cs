using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using TorchSharp;
using WorldModel.Core.Config;
using WorldModel.Core.IO;
using WorldModel.Data;
using WorldModel.Models.Objectives;
using WorldModel.Render;

namespace WorldModel.Models.Training;

/// <summary>
/// A run folder: config.json (resolved), metrics.jsonl, checkpoints/step-NNNNNNN/ and checkpoints/latest,
/// (the CLI adds loss.png/.svg). Resuming loads the latest checkpoint and continues so that the run matches an
/// uninterrupted one (batch k depends only on (seed, k)).
/// </summary>
public sealed class TrainingRun
{
    public const string ConfigFile = "config.json", MetricsFile = "metrics.jsonl", CheckpointsFolder = "checkpoints", LatestFile = "latest";
    public TrainingRun(RunConfig config, string folder)
    {
        Config = config;
        Folder = folder;
    }

    public RunConfig Config { get; }
    public string Folder { get; }

    public static string ContentHash(RunConfig config) => ConfigLoader.Hash(config, "train-v1");

    /// <summary>
    /// What checkpoints are bound to: the hash of the run's config.json as written when the run began.
    /// The file is never rewritten, so a later build that adds config keys (with defaults) still
    /// loads the run's checkpoints.
    /// </summary>
    public static string RunHash(string folder)
    {
        string path = Path.Combine(folder, ConfigFile);
        if (!File.Exists(path)) throw new CheckpointException($"{path} is missing: '{folder}' is not a training run folder");
        return AtomicFile.Sha256(System.Text.Encoding.UTF8.GetBytes(File.ReadAllText(path)))[..16];
    }

    /// <summary>Reads the resolved config of an existing run folder (for --resume and eval-model).</summary>
    public static RunConfig LoadConfig(string folder)
    {
        string path = Path.Combine(folder, ConfigFile);
        if (!File.Exists(path)) throw new CheckpointException($"{path} is missing: '{folder}' is not a training run folder");
        return ConfigLoader.LoadFile<RunConfig>(path);
    }

    public string? LatestCheckpoint()
    {
        string latest = Path.Combine(Folder, CheckpointsFolder, LatestFile);
        if (!File.Exists(latest)) return null;
        string folder = Path.Combine(Folder, CheckpointsFolder, File.ReadAllText(latest).Trim());
        return Directory.Exists(folder) ? folder : null;
    }

    /// <summary>Steps the latest checkpoint has reached (0 without one).</summary>
    public int CompletedSteps()
    {
        string? latest = LatestCheckpoint();
        return latest is not null && int.TryParse(Path.GetFileName(latest).Replace("step-", ""), NumberStyles.None, CultureInfo.InvariantCulture, out int step) ? step : 0;
    }

    /// <summary>Builds the model this run trains (architecture from the config, weights random until loaded).</summary>
    public LatentWorldModel CreateModel()
    {
        var format = new SceneBuilder(Config.Data.World, Config.Data.Render).Format;
        bool idm = Config.Objective is JepaObjectiveConfig j && j.InverseDynamics > 0;
        int actionDim = WorldModel.Sim.Worlds.WorldConfig.SpecOf(Config.Data.World).ActionDim;
        bool ema = Config.Objective is JepaObjectiveConfig { TargetEma: > 0 };
        return new LatentWorldModel(Config.Model, format.Channels, format.Size, actionDim, withDecoder: Config.Objective is PixelObjectiveConfig, withInverseDynamics: idm, withTargetEncoder: ema);
    }

    /// <summary>Times a run resumes itself after TorchSharp's intermittent Scalar error before giving up.</summary>
    public const int ScalarRaceRetries = 3;

    /// <summary>
    /// Trains to Config.Train.Steps, resuming from the latest checkpoint when there is one. Returns the step it started from.
    /// Known issue: TorchSharp 0.107 sometimes hands libtorch a Scalar that the garbage collector has already
    /// finalised ("toFloat at c10/core/Scalar.h"), seen in AdamW's step and in tensor adds. Each step runs inside
    /// TorchRuntime.PauseGc, which keeps the collector (and so the finaliser) out of the step; should the error
    /// still occur (a step that outgrows the pause's budget), the run resumes from its latest checkpoint, which reproduces the uninterrupted run exactly (batches depend on (seed, step) only),
    /// and says so through <paramref name="onWarning"/>.
    /// </summary>
    public int Run(Dataset data, IRenderer renderer, torch.Device device, Action<StepMetrics>? onStep = null, CancellationToken cancel = default, Action<string>? onWarning = null)
    {
        int start = CompletedSteps();
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                RunOnce(data, renderer, device, onStep, cancel);
                return start;
            }
            catch (System.Runtime.InteropServices.ExternalException e) when (attempt < ScalarRaceRetries && TorchRuntime.IsScalarRace(e))
            {
                onWarning?.Invoke($"TorchSharp's intermittent Scalar error (a known issue); resuming from step {CompletedSteps()} (retry {attempt + 1} of {ScalarRaceRetries})");
            }
        }
    }

    private int RunOnce(Dataset data, IRenderer renderer, torch.Device device, Action<StepMetrics>? onStep, CancellationToken cancel)
    {
        Directory.CreateDirectory(Folder);
        string configPath = Path.Combine(Folder, ConfigFile);
        if (File.Exists(configPath))
        {
            var existing = LoadConfig(Folder);
            if (ContentHash(existing) != ContentHash(Config))
                throw new CheckpointException($"{Folder} holds a run of another config; resume it with --resume {Folder}, or choose another --out");
        }
        else AtomicFile.WriteAllText(configPath, ConfigLoader.ToJson(Config));
        string runHash = RunHash(Folder);

        torch.manual_seed(Config.Train.Seed);
        var model = CreateModel();
        model.to(device);
        var trainer = new Trainer(model, Config.Objective, Config.Train, device);
        int start = 0;
        if (LatestCheckpoint() is { } checkpoint) start = Checkpoint.Load(checkpoint, runHash, model, trainer.Optimizer);
        KeepMetricsBefore(start);

        var sampler = new BatchSampler(data, Config.Train.BatchSize, Config.Train.Horizon + 1, (ulong)Config.Train.Seed, renderer);
        using var metrics = new StreamWriter(Path.Combine(Folder, MetricsFile), append: true);
        trainer.Run(sampler, start, Config.Train.Steps, m =>
        {
            int done = m.Step + 1;
            if (m.Step % Config.LogEvery == 0 || done == Config.Train.Steps)
            {
                var line = new JsonObject { ["step"] = m.Step, ["lr"] = m.LearningRate, ["loss"] = m.Loss, ["seconds"] = m.Seconds };
                foreach (var (k, v) in m.Terms) line[k] = v;
                metrics.WriteLine(line.ToJsonString());
                metrics.Flush();
            }
            if (done % Config.CheckpointEvery == 0 || done == Config.Train.Steps) SaveCheckpoint(done, runHash, model, trainer);
            onStep?.Invoke(m);
        }, cancel);
        return start;
    }

    private void SaveCheckpoint(int step, string runHash, LatentWorldModel model, Trainer trainer)
    {
        string name = Checkpoint.FolderName(step);
        Checkpoint.Save(Path.Combine(Folder, CheckpointsFolder, name), step, runHash, model, trainer.Optimizer);
        AtomicFile.WriteAllText(Path.Combine(Folder, CheckpointsFolder, LatestFile), name);
    }

    /// <summary>On resume, drop metric lines the resumed steps will write again.</summary>
    private void KeepMetricsBefore(int step)
    {
        string path = Path.Combine(Folder, MetricsFile);
        if (!File.Exists(path)) return;
        var kept = File.ReadAllLines(path).Where(l => JsonNode.Parse(l)?["step"]?.GetValue<int>() < step).ToArray();
        AtomicFile.WriteAllText(path, kept.Length == 0 ? "" : string.Join('\n', kept) + "\n");
    }

    public static string NewRunId() => DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
}
