using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;
using TorchSharp;
using WorldModel.Cli.Terminal;
using WorldModel.Core.Config;
using WorldModel.Core.IO;
using WorldModel.Data;
using WorldModel.Models;
using WorldModel.Models.Training;
using WorldModel.Render;

using WorldModel.Cli.Host;
using WorldModel.Experiments;
using WorldModel.Experiments.Stages;

namespace WorldModel.Cli.Commands;

/// <summary>`wm bench train`: step time and samples/s of the CPU config and of a PLDM-size model.</summary>
public static class TrainBench
{
    public static Command Build()
    {
        var steps = new Option<int>("--steps")
        {
            Description = "Timed steps per model (after 3 warm-up steps)",
            DefaultValueFactory = _ => 10,
        };
        var device = TrainCommand.DeviceOption();
        var outOpt = new Option<string?>("--out") { Description = "Also write the results as JSON to this file" };
        var pytorch = new Option<string?>("--pytorch")
        {
            Description = "Also time the identical step in PyTorch (bench/pytorch/train_step.py, NCHW) " +
                "with this Python, e.g. /usr/bin/python3 with Debian's python3-torch, " +
                "and print wm's step time as a ratio of PyTorch's",
        };
        var cmd = new Command(
            "train", "Training step time: the CPU config and a PLDM-size model (batch 64 × 17 frames)")
        {
            steps, device, outOpt, pytorch,
        };
        cmd.SetAction((parse, cancel) => Task.Run(() => CommandRunner.Run(() =>
        {
            int n = parse.GetValue(steps);
            if (n is < 1 or > 1000) throw new ArgumentException($"--steps {n} is not allowed; allowed: 1 to 1000");
            var python = parse.GetValue(pytorch);
            if (python is not null) PyTorchReference.Check(python); // before minutes of timing, not after
            var torchDevice = TorchRuntime.Initialise(TrainCommand.ParseDevice(parse.GetValue(device)!));
            AnsiConsole.MarkupLine(
                $"machine: {Markup.Escape(MachineInfo.Describe())}; " +
                $"device {torchDevice.type.ToString().ToLowerInvariant()}, {torch.get_num_threads()} torch threads");
            AnsiConsole.MarkupLine($"allocator: {Markup.Escape(GlibcAllocator.Describe())}");
            var cpuConfig = ConfigLoader.LoadFile<RunConfig>(
                Path.Combine(Paths.RepositoryRoot(), "configs", "two-rooms-cpu.json"));
            var pldm = cpuConfig with
            {
                Name = "pldm-size",
                Model = cpuConfig.Model with { Widths = [32, 64, 64], PredictorHidden = 128 },
                Train = cpuConfig.Train with { BatchSize = 64, Rollout = 16 },
            };
            (string Name, RunConfig Config)[] models =
            [
                ("two-rooms-cpu config", cpuConfig),
                ("PLDM size (widths 32-64-64, 17 frames)", pldm),
            ];
            var timed = models.Select(m => StepSeconds(m.Config, n, torchDevice, cancel)).ToList();
            double[]? reference = python is null
                ? null
                : PyTorchReference.Time(python, n, torch.get_num_threads(), torchDevice, models.Length, cancel);

            var table = new Table()
                .AddColumn("model")
                .AddColumn(new TableColumn("batch").RightAligned())
                .AddColumn(new TableColumn("s/step").RightAligned())
                .AddColumn(new TableColumn("model s/step").RightAligned())
                .AddColumn(new TableColumn("seq/s").RightAligned())
                .AddColumn(new TableColumn("frames/s").RightAligned());
            if (reference is not null)
                table.AddColumn(new TableColumn("PyTorch s/step").RightAligned())
                    .AddColumn(new TableColumn("wm / PyTorch").RightAligned());
            var results = new JsonArray();
            for (int i = 0; i < models.Length; i++)
            {
                var (name, config) = models[i];
                var (seconds, modelSeconds) = timed[i];
                int frames = config.Train.BatchSize * (config.Train.Rollout + 1);
                var cells = new List<string>
                {
                    name,
                    $"{config.Train.BatchSize} × {config.Train.Rollout + 1}",
                    $"{seconds:F3}",
                    $"{modelSeconds:F3}",
                    $"{config.Train.BatchSize / seconds:F1}",
                    $"{frames / seconds:F0}",
                };
                var result = new JsonObject
                {
                    ["model"] = name,
                    ["batch"] = config.Train.BatchSize,
                    ["frames"] = config.Train.Rollout + 1,
                    ["secondsPerStep"] = seconds,
                    ["modelSecondsPerStep"] = modelSeconds,
                };
                if (reference is not null)
                {
                    cells.Add($"{reference[i]:F3}");
                    cells.Add($"{modelSeconds / reference[i]:F2}×");
                    result["pytorchSecondsPerStep"] = reference[i];
                    result["ratioToPytorch"] = modelSeconds / reference[i];
                }
                table.AddRow(cells.ToArray());
                results.Add(result);
            }
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine(
                "[grey]s/step: wall time per step (waiting for sampled, rendered batches included); " +
                "model s/step: forward, backward and optimiser only, " +
                "the part bench/pytorch/train_step.py times in PyTorch.[/]");
            if (reference is not null)
                AnsiConsole.MarkupLine(
                    "[grey]wm / PyTorch: model s/step over PyTorch's, same machine, one after the other " +
                    "(the issue's target: ≤ 0.7×). " +
                    "PyTorch runs without wm's allocator settings, as a user would run it; " +
                    "GLIBC_TUNABLES as `wm info` prints it gives PyTorch the same allocator.[/]");
            if (parse.GetValue(outOpt) is { } path)
                AtomicFile.WriteAllText(path, new JsonObject
                {
                    ["bench"] = "train",
                    ["machine"] = MachineInfo.Describe(),
                    ["results"] = results,
                }.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return CommandRunner.Ok;
        })));
        return cmd;
    }

    /// <summary>
    /// Median seconds per step: wall (data sampling and rendering included, as in training) and model only.
    /// </summary>
    private static (double Wall, double Model) StepSeconds(
        RunConfig config, int steps, torch.Device device, CancellationToken cancel)
    {
        var data = DataStage.OpenOrGenerate(config.Data with { Episodes = 2000 }, ConsoleObserver.Instance, cancel);
        var run = new TrainingRun(config, Path.GetTempPath());
        torch.manual_seed(0);
        var model = run.CreateModel();
        model.to(device);
        var trainer = new Trainer(
            model, config.Objective, config.Train with { Steps = steps + 3, WarmupSteps = 1 }, device);
        var sampler = new BatchSampler(
            data,
            config.Train.BatchSize,
            config.Train.Rollout + 1,
            0,
            RendererFactory.Create(
                RendererKind.Cpu, new SceneBuilder(data.Config.World, data.Config.Render).Format).Renderer);
        var wall = new List<double>();
        var modelOnly = new List<double>();
        var sw = Stopwatch.StartNew();
        trainer.Run(sampler, 0, steps + 3, m =>
        {
            if (m.Step >= 3) { wall.Add(sw.Elapsed.TotalSeconds); modelOnly.Add(m.Seconds); }
            sw.Restart();
        }, cancel);
        return (Median(wall), Median(modelOnly));
    }

    private static double Median(List<double> xs)
    {
        xs.Sort();
        return xs[xs.Count / 2];
    }
}
