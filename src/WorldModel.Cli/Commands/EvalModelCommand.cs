using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using TorchSharp;
using WorldModel.Cli.Terminal;
using WorldModel.Core.IO;
using WorldModel.Data;
using WorldModel.Models;
using WorldModel.Models.Evaluation;
using WorldModel.Models.Objectives;
using WorldModel.Models.Training;
using WorldModel.Render;
using WorldModel.Report;
using WorldModel.Experiments;
using WorldModel.Experiments.Stages;

namespace WorldModel.Cli.Commands;

/// <summary>`wm eval-model RUN_DIR`: how good a trained model is before any planning.</summary>
public static class EvalModelCommand
{
    public static Command Build()
    {
        var run = new Argument<string>("RUN_DIR") { Description = "A training run folder (made by 'wm train')" };
        var outOpt = new Option<string>("--out")
        {
            Description = "Folder for summary.json and plots (default: RUN_DIR/eval)",
        };
        var samples = new Option<int>("--samples")
        {
            Description = "Held-out sequences evaluated (and training frames for the probe)",
            DefaultValueFactory = _ => 2048,
        };
        var horizonOpt = new Option<int?>("--horizon")
        {
            Description = "Rollout length evaluated, in steps (default: the training rollout; at most the data's " +
                "episode steps): models trained on different rollouts compare at one length",
        };
        var pessimismOpt = new Option<float>("--pessimism")
        {
            Description = "The imagined-plans check scored as a pessimistic planner scores (plan.pessimism): plus " +
                "this weight times the ensemble heads' disagreement (models trained with objective.ensembleHeads)",
        };
        var device = TrainCommand.DeviceOption();
        var cmd = new Command(
            "eval-model",
            "Prediction error vs rollout length, collapse diagnostics and linear probes on held-out episodes")
        {
            run, outOpt, samples, horizonOpt, pessimismOpt, device,
        };
        cmd.SetAction((parse, cancel) => Task.Run(() => CommandRunner.Run(() =>
        {
            string folder = parse.GetValue(run)!;
            int n = parse.GetValue(samples);
            if (n is < 64 or > 100_000)
                throw new ArgumentException($"--samples {n} is not allowed; allowed: 64 to 100000");
            var config = TrainingRun.LoadConfig(folder);
            int horizon = parse.GetValue(horizonOpt) ?? config.Train.Rollout;
            if (horizon < 1 || horizon > config.Data.Steps)
                throw new ArgumentException(
                    $"--horizon {horizon} is not allowed; allowed: 1 to {config.Data.Steps} " +
                    "(the data's episode steps)");
            float pessimism = parse.GetValue(pessimismOpt);
            if (!(pessimism >= 0 && float.IsFinite(pessimism)))
                throw new ArgumentException($"--pessimism {pessimism} is not allowed; allowed: 0 or more");
            if (pessimism > 0 && config.Objective is not JepaObjectiveConfig { EnsembleHeads: >= 2 })
                throw new ArgumentException(
                    $"--pessimism {pessimism}: {folder} was trained without ensemble heads; allowed only for models " +
                    "trained with objective.ensembleHeads >= 2");
            var torchDevice = TorchRuntime.Initialise(TrainCommand.ParseDevice(parse.GetValue(device)!));
            var training = new TrainingRun(config, folder);
            string checkpoint = training.LatestCheckpoint()
                ?? throw new CheckpointException(
                    $"{folder} has no checkpoint yet; train first ('wm train --resume {folder}')");

            var train = DataStage.OpenOrGenerate(config.Data, ConsoleObserver.Instance, cancel);
            // Held-out episodes: the same world and policy, another seed.
            var heldOutConfig = config.Data with
            {
                Name = config.Data.Name + "-heldout",
                Seed = config.Data.Seed + 1_000_003,
                Episodes = Math.Min(config.Data.Episodes, 2000),
            };
            var heldOut = DataStage.OpenOrGenerate(heldOutConfig, ConsoleObserver.Instance, cancel);
            var format = new SceneBuilder(train.Config.World, train.Config.Render).Format;
            using var renderer = RendererFactory.Create(train.Config.Render.Renderer, format).Renderer;

            var model = training.CreateModel();
            model.to(torchDevice);
            int step = Checkpoint.Load(checkpoint, TrainingRun.Identity(folder), model, optimizer: null);
            AnsiConsole.MarkupLine(
                $"evaluating {Markup.Escape(Paths.Show(checkpoint))} (step {step}) on {n:N0} held-out sequences");
            var report = ModelEvaluation.Run(
                model, config.Objective, train, heldOut, renderer, horizon, torchDevice, n, pessimism);
            Print(report);
            Save(parse.GetValue(outOpt) ?? Path.Combine(folder, "eval"), config.Name, step, report);
            return CommandRunner.Ok;
        })));
        return cmd;
    }

    /// <summary>
    /// `wm export RUN_DIR --out FILE [--format safetensors]`: the latest checkpoint's weights for PyTorch.
    /// </summary>
    public static Command Export()
    {
        var run = new Argument<string>("RUN_DIR") { Description = "A training run folder" };
        var format = new Option<string>("--format")
        {
            Description = "Export format (allowed: safetensors, the default)",
            DefaultValueFactory = _ => "safetensors",
        };
        var outOpt = new Option<string>("--out")
        {
            Description = "Output file, e.g. model.safetensors",
            Required = true,
        };
        var cmd = new Command("export", "Export a trained model's weights for PyTorch (safetensors.torch.load_file)")
        {
            run, format, outOpt,
        };
        cmd.SetAction(parse => CommandRunner.Run(() =>
        {
            string fmt = parse.GetValue(format)!;
            if (fmt != "safetensors")
                throw new ArgumentException($"--format '{fmt}' is not supported; allowed: safetensors");
            string folder = parse.GetValue(run)!;
            var config = TrainingRun.LoadConfig(folder);
            TorchRuntime.Initialise(DeviceKind.Cpu);
            var training = new TrainingRun(config, folder);
            string checkpoint = training.LatestCheckpoint()
                ?? throw new CheckpointException($"{folder} has no checkpoint yet");
            var model = training.CreateModel();
            int step = Checkpoint.Load(checkpoint, TrainingRun.Identity(folder), model, optimizer: null);
            string outPath = parse.GetValue(outOpt)!;
            SafetensorsWriter.Write(outPath, model, new Dictionary<string, string>
            {
                ["format"] = "pt",
                ["worldmodel_step"] = step.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["worldmodel_config"] = Core.Config.ConfigLoader.ToJson(config),
            });
            AnsiConsole.MarkupLine($"wrote {Markup.Escape(Paths.Show(outPath))} (step {step}); in Python: [bold]" +
                Markup.Escape("from safetensors.torch import load_file; weights = load_file(path)") + "[/]");
            return CommandRunner.Ok;
        }));
        return cmd;
    }

    private static void Print(ModelReport r)
    {
        var errors = new Table()
            .Title($"{r.Objective}: {r.ErrorUnit} vs rollout length")
            .AddColumn("k")
            .AddColumn(new TableColumn("model").RightAligned())
            .AddColumn(new TableColumn("copy last").RightAligned())
            .AddColumn(new TableColumn("probe RMSE (px)").RightAligned());
        // With more than one body (Push-Ball), each body's probe error and what it would be if nothing moved.
        var bodies = r.ProbeTargets.Length > 2 && r.PredictedProbeTargetRmse.Length == r.ModelError.Length
            ? Bodies(r.ProbeTargets)
            : [];
        foreach (var (body, _) in bodies)
            errors.AddColumn(new TableColumn($"{body} px: predicted (still)").RightAligned());
        for (int k = 1; k <= r.ModelError.Length; k++)
            errors.AddRow([
                $"{k}",
                $"{r.ModelError[k - 1]:G4}",
                $"{r.CopyLastError[k - 1]:G4}",
                $"{r.PredictedProbeRmse[k - 1]:F2}",
                .. bodies.Select(b =>
                    $"{BodyRmse(r.PredictedProbeTargetRmse[k - 1], b.Columns):F2} " +
                    $"({BodyRmse(r.StillProbeTargetRmse[k - 1], b.Columns):F2})"),
            ]);
        AnsiConsole.Write(errors);
        var t = new Table().AddColumn("diagnostic").AddColumn(new TableColumn("value").RightAligned());
        t.AddRow(
            $"probe RMSE of encoder latents → {string.Join(", ", r.ProbeTargets)} (px)",
            $"{r.ProbeRmse:F2} (R² {r.ProbeR2:F3})");
        if (r.ProbeTargets.Length > 2)
            t.AddRow("  per target (px)",
                string.Join(", ", r.ProbeTargets.Zip(r.ProbeTargetRmse, (n, v) => $"{n} {v:F2}")));
        t.AddRow("baseline: predict the mean position (px)", $"{r.MeanPositionRmse:F2}");
        t.AddRow("latent size", $"{r.LatentSize}");
        t.AddRow("mean per-element std across inputs", $"{r.MeanFeatureStd:F4}");
        t.AddRow("share of elements with std < 0.01", Format.Percent(r.CollapsedFeatureShare));
        t.AddRow("effective rank", $"{r.EffectiveRank:F1}");
        if (r.Layout is { } layout)
        {
            t.AddRow($"layout probe RMSE: encoded / imagined {layout.Steps} steps on / the mean",
                string.Join("; ", layout.Names.Select((n, j) =>
                    $"{n} {layout.EncodedRmse[j]:F2} / {layout.ImaginedRmse[j]:F2} / {layout.MeanRmse[j]:F2}")));
        }
        if (r.RareEvent is { } e)
        {
            t.AddRow($"probe RMSE {e.Steps} imagined steps on, by sequence (px; sequences)",
                string.Join("; ", e.Parts.Select(p => $"{p.Name} {p.Imagined:F2} ({p.Sequences})")));
            t.AddRow("  nothing moves, the same sequences (px)",
                string.Join("; ", e.Parts.Select(p => $"{p.Name} {p.Still:F2}")));
        }
        if (r.ImaginedPlans is { } p)
        {
            // The goal is each held-out sequence's last frame; its own actions truly reach it.
            string paying = p.Pessimism > 0 ? $" (paying pessimism {p.Pessimism:G3})" : "";
            t.AddRow(
                $"true actions imagined closer to the goal than all {ImaginedPlans.RandomPlans} random plans{paying}",
                Format.Percent(p.TrueBeatsRandom));
            t.AddRow("  than standing still", Format.Percent(p.TrueBeatsStill));
            t.AddRow("  terminal distance / latent variance: true, still, best random",
                $"{p.TrueDistance:G3}, {p.StillDistance:G3}, {p.BestRandomDistance:G3}");
        }
        AnsiConsole.Write(t);
    }

    /// <summary>Probe targets grouped by body: "agent_x", "agent_y" → agent; plain "x", "y" → agent.</summary>
    private static (string Body, int[] Columns)[] Bodies(string[] targets) => targets
        .Select((name, i) => (Body: name.Contains('_') ? name[..name.LastIndexOf('_')] : "agent", i))
        .GroupBy(t => t.Body)
        .Select(g => (g.Key, g.Select(t => t.i).ToArray()))
        .ToArray();

    /// <summary>RMSE over a body's coordinates (px), as the overall probe RMSE is over all of them.</summary>
    private static double BodyRmse(double[] perTarget, int[] columns) =>
        Math.Sqrt(columns.Average(j => perTarget[j] * perTarget[j]));

    private static readonly JsonSerializerOptions SummaryJson = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    };

    private static void Save(string outFolder, string name, int step, ModelReport r)
    {
        Directory.CreateDirectory(outFolder);
        var json = JsonSerializer.Serialize(new { step, report = r }, SummaryJson);
        AtomicFile.WriteAllText(Path.Combine(outFolder, "summary.json"), json);
        var ks = Enumerable.Range(1, r.ModelError.Length).Select(k => (double)k).ToArray();
        LinePlot.Save(
            Path.Combine(outFolder, "prediction_error"),
            $"{name}: prediction error (held-out)",
            "rollout length k",
            r.ErrorUnit,
            [new("model", ks, r.ModelError), new("copy last", ks, r.CopyLastError)]);
        LinePlot.Save(
            Path.Combine(outFolder, "probe"),
            $"{name}: linear probe of predicted latents",
            "rollout length k",
            "position RMSE (px)",
            [
                new("predicted latent", ks, r.PredictedProbeRmse),
                new("encoder latent (k = 0)", ks, ks.Select(_ => r.ProbeRmse).ToArray()),
                new("mean position", ks, ks.Select(_ => r.MeanPositionRmse).ToArray()),
            ]);
        AnsiConsole.MarkupLine(
            $"wrote {Markup.Escape(Paths.Show(outFolder))}/summary.json, prediction_error.png/.svg, probe.png/.svg");
    }
}
