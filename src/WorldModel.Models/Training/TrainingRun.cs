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
    public const string ConfigFile = "config.json", MetricsFile = "metrics.jsonl", CheckpointsFolder = "checkpoints",
        LatestFile = "latest";
    public TrainingRun(RunConfig config, string folder)
    {
        Config = config;
        Folder = folder;
    }

    public RunConfig Config { get; }
    public string Folder { get; }

    public static string ContentHash(RunConfig config) => ConfigLoader.Hash(config, "train-v1");

    /// <summary>
    /// What checkpoints are bound to: the run's config.json as written when the run began, read
    /// canonically (an edit that changes no key, such as a trailing newline or a comment, keeps the run
    /// usable; a real change is named key by key). The file is never rewritten, so a later build that
    /// adds config keys (with defaults) still loads the run's checkpoints.
    /// </summary>
    public static Checkpoint.RunIdentity Identity(string folder)
    {
        string path = Path.Combine(folder, ConfigFile);
        if (!File.Exists(path))
            throw new CheckpointException($"{path} is missing: '{folder}' is not a training run folder");
        string text = File.ReadAllText(path);
        string canonical = ConfigLoader.ParseTree(text, path).ToJsonString();
        return new(Hash(canonical), Hash(text), canonical);

        static string Hash(string s) => AtomicFile.Sha256(System.Text.Encoding.UTF8.GetBytes(s))[..16];
    }

    /// <summary>
    /// The canonical hash of <see cref="Identity"/>: names outputs derived from the run (eval-plan folders).
    /// </summary>
    public static string RunHash(string folder) => Identity(folder).Hash;

    /// <summary>Reads the resolved config of an existing run folder (for --resume and eval-model).</summary>
    public static RunConfig LoadConfig(string folder)
    {
        string path = Path.Combine(folder, ConfigFile);
        if (!File.Exists(path))
            throw new CheckpointException($"{path} is missing: '{folder}' is not a training run folder");
        return ConfigLoader.LoadFile<RunConfig>(path);
    }

    /// <summary>This run's checkpoints folder: where a resume starts, what an interrupted run left behind.</summary>
    public RunCheckpoints Checkpoints => new(Path.Combine(Folder, CheckpointsFolder), Config.KeepCheckpoints);

    /// <summary>
    /// Where a resume of this run starts: <see cref="ResumeFrom"/> when set, else the latest checkpoint (see
    /// <see cref="RunCheckpoints.FindResumePoint"/> for the fallbacks and refusals).
    /// </summary>
    public RunCheckpoints.ResumePoint FindResumePoint() => Checkpoints.FindResumePoint(ResumeFrom, Folder);

    /// <summary>
    /// Removes the unfinished checkpoint folders an interrupted run left
    /// (<see cref="RunCheckpoints.RemoveAbandoned"/>).
    /// </summary>
    public int RemoveAbandonedCheckpoints(Action<string>? onWarning = null) => Checkpoints.RemoveAbandoned(onWarning);

    /// <summary>The checkpoint to resume from (a folder name such as step-0000010); null: the latest.</summary>
    public string? ResumeFrom { get; set; }

    /// <summary>The checkpoint a resume would load (null: none yet).</summary>
    public string? LatestCheckpoint() => FindResumePoint().Folder;

    /// <summary>Steps the checkpoint a resume would load has reached (0 without one).</summary>
    public int CompletedSteps() => FindResumePoint().Step;

    /// <summary>
    /// Builds the model this run trains (architecture from the config, weights random until loaded).
    /// </summary>
    public LatentWorldModel CreateModel()
    {
        var format = new SceneBuilder(Config.Data.World, Config.Data.Render).Format;
        bool idm = Config.Objective is JepaObjectiveConfig j && j.InverseDynamics > 0;
        int actionDim = Config.Data.World.Spec.ActionDim;
        bool ema = Config.Objective is JepaObjectiveConfig { TargetEma: > 0 };
        return new LatentWorldModel(
            Config.Model,
            format.Channels,
            format.Size,
            actionDim,
            withDecoder: Config.Objective is PixelObjectiveConfig or JepaObjectiveConfig { Reconstruction: > 0 },
            withInverseDynamics: idm,
            withTargetEncoder: ema,
            hierarchy: Config.Hierarchy,
            ensembleHeads: Config.Objective is JepaObjectiveConfig { EnsembleHeads: > 0 } e ? e.EnsembleHeads : 0);
    }

    /// <summary>The finished run a high level builds on (hierarchy.lowLevel, relative to this run's folder).</summary>
    public string LowLevelFolder() => Config.Hierarchy is { } h
        ? Path.GetFullPath(Path.Combine(Folder, h.LowLevel))
        : throw new InvalidOperationException($"{Folder} is not a hierarchical run");

    /// <summary>
    /// The finished run whose weights this run starts from (initFrom, relative to this run's folder).
    /// </summary>
    public string? InitFromFolder() =>
        Config.InitFrom is { } from ? Path.GetFullPath(Path.Combine(Folder, from)) : null;

    /// <summary>What initFrom's start records beside config.json (<see cref="InitialWeights"/>).</summary>
    public const string InitFile = "init.json";

    /// <summary>
    /// A high level's start: the finished low-level run's weights (encoder, predictor, decoder), frozen, so only
    /// the macro-action encoder and the k-step predictor train.
    /// </summary>
    private void LoadFrozenLowLevel(LatentWorldModel model)
    {
        string folder = LowLevelFolder();
        var lowConfig = LoadConfig(folder);
        var low = new TrainingRun(lowConfig, folder);
        if (low.CompletedSteps() < lowConfig.Train.Steps)
            throw new CheckpointException(
                $"the low level {folder} has trained {low.CompletedSteps():N0} of {lowConfig.Train.Steps:N0} steps; " +
                "finish it first (wm train --resume)");
        if (ConfigLoader.ToJson(lowConfig.Model) != ConfigLoader.ToJson(Config.Model)
            || ConfigLoader.ToJson(lowConfig.Objective) != ConfigLoader.ToJson(Config.Objective))
            throw new CheckpointException(
                $"the low level {folder} has another model or objective than this run's; " +
                "a high level must name the same model and objective as the run it builds on");
        using var lowModel = low.CreateModel();
        Checkpoint.Load(low.LatestCheckpoint()!, Identity(folder), lowModel, optimizer: null);
        var weights = lowModel.state_dict();
        using (torch.no_grad())
        {
            foreach (var (name, tensor) in model.state_dict())
                if (weights.TryGetValue(name, out var w)) tensor.copy_(w);
            // A policy with its own encoder starts from the JEPA's (the jump's training never reads it).
            if (model.HighLevel!.Policy?.Encoder is { } own) own.load_state_dict(model.Encoder.state_dict());
        }
        foreach (var p in model.parameters()) p.requires_grad = false;
        foreach (var p in model.HighLevel!.JumpParameters) p.requires_grad = true;
        foreach (var p in model.HighLevel.Value?.Trainable ?? []) p.requires_grad = true;
        foreach (var p in model.HighLevel.Policy?.Trainable ?? []) p.requires_grad = true;
    }

    /// <summary>
    /// The macro-action box the planner searches (HWM: 2nd to 98th percentile per component of the macro-actions
    /// the training data's action chunks encode to), from a fixed set of batches.
    /// </summary>
    private static void SetMacroBounds(LatentWorldModel model, BatchSampler sampler, torch.Device device)
    {
        using var _ = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var macros = new List<torch.Tensor>();
        for (long b = 0; b < MacroBoundBatches; b++)
        {
            var batch = sampler.Sample(MacroBoundFirstBatch + b);
            macros.Add(model.HighLevel!.EncodeMacros(FrameTensors.Actions(batch, device)).flatten(0, 1));
        }
        model.HighLevel!.SetBounds(torch.cat(macros, 0));
    }

    /// <summary>Batches whose macro-actions set the planner's box: beyond any training step's batch index.</summary>
    private const long MacroBoundBatches = 32, MacroBoundFirstBatch = 1L << 40;

    /// <summary>Times a run resumes itself after TorchSharp's intermittent Scalar error before giving up.</summary>
    public const int ScalarRaceRetries = 3;

    /// <summary>
    /// Trains to Config.Train.Steps, resuming from the latest checkpoint when there is one; returns the step it
    /// started from. Should TorchSharp's Scalar error escape a step's guard (<see cref="TorchGuard"/>), the run
    /// resumes from its latest checkpoint, which reproduces the uninterrupted run exactly (batches depend on
    /// (seed, step) only), and says so through <paramref name="onWarning"/>.
    /// </summary>
    public int Run(
        Dataset data,
        IRenderer renderer,
        torch.Device device,
        Action<StepMetrics>? onStep = null,
        CancellationToken cancel = default,
        Action<string>? onWarning = null)
    {
        // a second run on this folder is refused, not interleaved
        using var running = FolderLock.Acquire(Folder, "wm train");
        int start = CompletedSteps();
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                RunOnce(data, renderer, device, onStep, cancel, onWarning);
                return start;
            }
            catch (System.Runtime.InteropServices.ExternalException e)
                when (attempt < ScalarRaceRetries && TorchGuard.IsScalarRace(e))
            {
                // a retry continues from what this attempt saved, not from the checkpoint first asked for
                ResumeFrom = null;
                onWarning?.Invoke(
                    $"TorchSharp's intermittent Scalar error (a known issue); " +
                    $"resuming from step {CompletedSteps()} (retry {attempt + 1} of {ScalarRaceRetries})");
            }
        }
    }

    private int RunOnce(
        Dataset data,
        IRenderer renderer,
        torch.Device device,
        Action<StepMetrics>? onStep,
        CancellationToken cancel,
        Action<string>? onWarning)
    {
        Directory.CreateDirectory(Folder);
        RemoveAbandonedCheckpoints(onWarning);
        string configPath = Path.Combine(Folder, ConfigFile);
        if (File.Exists(configPath))
        {
            var existing = LoadConfig(Folder);
            if (ContentHash(existing) != ContentHash(Config))
                throw new CheckpointException(
                    $"{Folder} holds a run of another config; " +
                    $"resume it with --resume {Folder}, or choose another --out");
        }
        else AtomicFile.WriteAllText(configPath, ConfigLoader.ToJson(Config));
        var runHash = Identity(Folder);

        torch.manual_seed(Config.Train.Seed);
        var model = CreateModel();
        model.to(device);
        if (Config.Hierarchy is not null) LoadFrozenLowLevel(model);
        var trainer = Config.Hierarchy is null
            ? new Trainer(model, Config.Objective, Config.Train, device)
            : new Trainer(model, Config.Objective, Config.Train, device,
                (m, frames, actions) => Hierarchy.HighLevelObjective.Compute(Config.Objective, m, frames, actions));
        int start = 0;
        var point = FindResumePoint();
        if (point.Note is { } note) onWarning?.Invoke(note);
        if (point.Folder is { } checkpoint) start = Checkpoint.Load(checkpoint, runHash, model, trainer.Optimizer);
        else if (Config.InitFrom is not null) InitialWeights.Load(this, model, onWarning);
        KeepMetricsBefore(start, onWarning);

        var sampler = new BatchSampler(
            data, Config.Train.BatchSize, Config.SequenceStates, (ulong)Config.Train.Seed, renderer,
            frameStride: Config.Hierarchy?.Skip ?? 1);
        using var metrics = new StreamWriter(Path.Combine(Folder, MetricsFile), append: true);
        int trained = start, saved = start;
        // Ctrl+C (cancellation) ends the run after the step in flight; the steps since the last checkpoint are
        // saved as one more, so an interrupted run resumes where it stopped.
        void SaveOnInterrupt()
        {
            if (!cancel.IsCancellationRequested || trained <= saved) return;
            SaveCheckpoint(trained, runHash, model, trainer);
            onWarning?.Invoke($"interrupted: saved step {trained} as {Checkpoint.FolderName(trained)}");
        }
        try
        {
            Train();
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            SaveOnInterrupt();
            throw;
        }
        SaveOnInterrupt();
        return start;

        void Train() => trainer.Run(sampler, start, Config.Train.Steps, m =>
        {
            int done = m.Step + 1;
            if (m.Step % Config.LogEvery == 0 || done == Config.Train.Steps)
            {
                var line = new JsonObject
                {
                    ["step"] = m.Step,
                    ["lr"] = m.LearningRate,
                    ["loss"] = m.Loss,
                    ["seconds"] = m.Seconds
                };
                foreach (var (k, v) in m.Terms) line[k] = v;
                metrics.WriteLine(line.ToJsonString());
                metrics.Flush();
            }
            trained = done;
            if (done == Config.Train.Steps && model.HighLevel is not null) SetMacroBounds(model, sampler, device);
            if (done % Config.CheckpointEvery == 0 || done == Config.Train.Steps)
            {
                SaveCheckpoint(done, runHash, model, trainer);
                saved = done;
            }
            onStep?.Invoke(m);
        }, cancel);
    }

    private void SaveCheckpoint(int step, Checkpoint.RunIdentity runHash, LatentWorldModel model, Trainer trainer)
    {
        string name = Checkpoint.FolderName(step);
        Checkpoint.Save(Path.Combine(Folder, CheckpointsFolder, name), step, runHash, model, trainer.Optimizer);
        AtomicFile.WriteAllText(Path.Combine(Folder, CheckpointsFolder, LatestFile), name);
        Checkpoints.Prune();
    }

    /// <summary>
    /// On resume, drop metric lines the resumed steps will write again, and any line that does not parse (a kill
    /// or a full disk leaves the last one cut off), saying how many.
    /// </summary>
    private void KeepMetricsBefore(int step, Action<string>? onWarning)
    {
        string path = Path.Combine(Folder, MetricsFile);
        if (!File.Exists(path)) return;
        var kept = new List<string>();
        int torn = 0;
        foreach (var line in File.ReadAllLines(path))
        {
            if (line.Length == 0) continue;
            int? lineStep;
            try { lineStep = JsonNode.Parse(line)?["step"]?.GetValue<int>(); }
            catch (Exception e)
                when (e is JsonException or InvalidOperationException or FormatException) { lineStep = null; }
            if (lineStep is null) { torn++; continue; }
            if (lineStep < step) kept.Add(line);
        }
        if (torn > 0)
            onWarning?.Invoke(
                $"{path}: dropped {torn} line{(torn == 1 ? "" : "s")} that did not parse " +
                $"(cut off by an interrupted write)");
        AtomicFile.WriteAllText(path, kept.Count == 0 ? "" : string.Join('\n', kept) + "\n");
    }

    /// <summary>
    /// A new run's folder name: its start time, to the millisecond, and a 6-hex-digit suffix so two runs started
    /// together differ. The suffix counts up from a random start per process: ids drawn in one process never
    /// repeat (a purely random 2-byte suffix collided about once in 14 draws of 100 in one millisecond), and
    /// two processes starting in the same millisecond collide only if their random starts meet (1 in 16.7M).
    /// </summary>
    public static string NewRunId()
    {
        var suffix = (uint)Interlocked.Increment(ref runIdCounter) & 0xFFFFFF;
        return DateTime.Now.ToString("yyyyMMdd-HHmmss-fff", CultureInfo.InvariantCulture) + "-"
            + suffix.ToString("x6", CultureInfo.InvariantCulture);
    }

    static int runIdCounter = System.Security.Cryptography.RandomNumberGenerator.GetInt32(0x1000000);
}
