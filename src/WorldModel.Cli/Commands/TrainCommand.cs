using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Spectre.Console;
using WorldModel.Cli.Terminal;
using WorldModel.Core.Config;
using WorldModel.Data;
using WorldModel.Models;
using WorldModel.Models.Training;
using WorldModel.Render;
using WorldModel.Report;
using WorldModel.Experiments;
using WorldModel.Experiments.Stages;
using WorldModel.Experiments.Graph;

namespace WorldModel.Cli.Commands;

/// <summary>`wm train`: data (generated or reused) → model → optimisation, into a run folder; resumable.</summary>
public static class TrainCommand
{
    public static Option<string> DeviceOption() => new("--device")
    {
        Description = "cpu, cuda or auto (cuda when available)",
        DefaultValueFactory = _ => "auto",
    };

    public static DeviceKind ParseDevice(string s) => s switch
    {
        "cpu" => DeviceKind.Cpu,
        "cuda" => DeviceKind.Cuda,
        "auto" => DeviceKind.Auto,
        _ => throw new ArgumentException($"--device '{s}' is not allowed; allowed: cpu, cuda, auto"),
    };

    public static Command Build()
    {
        var configOpt = new Option<string>("--config")
        {
            Description = "Training config (JSON), e.g. configs/tiny.json",
        };
        var setOpt = new Option<string[]>("--set")
        {
            Description = "Override a config key: --set train.steps=500 (repeatable)",
        };
        var outOpt = new Option<string>("--out")
        {
            Description = "Run folder (default: experiments/<name>/<date-time>)",
        };
        var resumeOpt = new Option<string>("--resume")
        {
            Description = "Continue the run in this folder from its latest checkpoint",
        };
        var fromOpt = new Option<string>("--from")
        {
            Description = "With --resume: the checkpoint to continue from, e.g. step-0000010 (default: the latest)",
        };
        var device = DeviceOption();
        var cmd = new Command(
            "train", "Train a world model (JEPA or pixel) from a config; checkpoints, metrics, resumable")
        {
            configOpt, setOpt, outOpt, resumeOpt, fromOpt, device,
        };
        cmd.SetAction((parse, cancel) => Task.Run(() => CommandRunner.Run(() =>
        {
            string? resume = parse.GetValue(resumeOpt);
            RunConfig config;
            string folder;
            if (resume is not null)
            {
                if (parse.GetValue(configOpt) is not null || (parse.GetValue(setOpt) ?? []).Length > 0)
                    throw new ArgumentException(
                        "--resume continues a run with the config saved in its folder; drop --config and --set " +
                        "(start a new run to change settings)");
                if (parse.GetValue(outOpt) is not null)
                    throw new ArgumentException(
                        "--resume continues the run in its own folder; drop --out " +
                        "(to train elsewhere, start a new run with --config)");
                config = TrainingRun.LoadConfig(resume);
                folder = resume;
            }
            else
            {
                if (parse.GetValue(fromOpt) is not null)
                    throw new ArgumentException(
                        "--from picks the checkpoint of a resumed run; use it with --resume RUN_DIR");
                string path = parse.GetValue(configOpt)
                    ?? throw new ArgumentException("give --config FILE (a new run) or --resume RUN_DIR (continue one)");
                config = ConfigLoader.LoadFile<RunConfig>(path, parse.GetValue(setOpt) ?? []);
                folder = parse.GetValue(outOpt) ?? Path.Combine(Paths.Experiments, config.Name, TrainingRun.NewRunId());
            }
            var torchDevice = TorchRuntime.Initialise(ParseDevice(parse.GetValue(device)!));
            var data = DataStage.OpenOrGenerate(config.Data, ConsoleObserver.Instance, cancel);
            var format = new SceneBuilder(data.Config.World, data.Config.Render).Format;
            var choice = RendererFactory.Create(data.Config.Render.Renderer, format);
            using var renderer = choice.Renderer;

            var run = new TrainingRun(config, folder) { ResumeFrom = parse.GetValue(fromOpt) };
            int total = config.Train.Steps;
            AnsiConsole.MarkupLine(
                $"run [bold]{Markup.Escape(config.Name)}[/] → {Markup.Escape(Paths.Show(folder))}: " +
                $"{ConfigNames.Kind(config.Objective.GetType())} objective, " +
                $"{config.Model.Latent.ToString().ToLowerInvariant()} latent, " +
                $"{total:N0} steps of {config.Train.BatchSize} × {config.Train.Rollout + 1} frames " +
                $"on {torchDevice.type.ToString().ToLowerInvariant()}; renderer {Markup.Escape(choice.Reason)}");
            if (run.FindResumePoint().Folder is { } latest)
                AnsiConsole.MarkupLine($"resuming from {Markup.Escape(Paths.Show(latest))}");
            else if (run.InitFromFolder() is { } source)
                AnsiConsole.MarkupLine($"starting from the final weights of {Markup.Escape(Paths.Show(source))} " +
                                       "(initFrom; a fresh optimiser and schedule)");
            var sw = Stopwatch.StartNew();
            int start = TrainStage.Train(
                run, data, "train", new UnitContext(torchDevice, ConsoleObserver.Instance, cancel), renderer);
            AnsiConsole.MarkupLine(
                $"[green]done[/]: steps {start}–{total} in {sw.Elapsed.TotalSeconds:F0} s; " +
                $"checkpoints, metrics.jsonl and loss.png in {Markup.Escape(Paths.Show(folder))}");
            return CommandRunner.Ok;
        })));
        return cmd;
    }
}
