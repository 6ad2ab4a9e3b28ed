using System.CommandLine;
using Spectre.Console;
using WorldModel.Core.Config;
using WorldModel.Models;
using WorldModel.Experiments;
using WorldModel.Cli.Terminal;

namespace WorldModel.Cli.Commands;

/// <summary>`wm run CONFIG`: a whole experiment, cached and resumable stage by stage.</summary>
public static class RunCommand
{
    public static Command Build()
    {
        var config = new Argument<string>("CONFIG")
        {
            Description = "Experiment config (JSON), e.g. configs/quickstart.json",
        };
        var setOpt = new Option<string[]>("--set")
        {
            Description = "Override a config key: --set evaluation.plannerHorizons=[16,48] (repeatable)",
        };
        var outOpt = new Option<string>("--out")
        {
            Description = "Run folder (default: experiments/<name>/run-<config hash>, " +
                "so a rerun reuses finished stages)",
        };
        var device = TrainCommand.DeviceOption();
        var cmd = new Command(
            "run",
            "Run an experiment: data → train (each model × seed) → planning evaluation → " +
            "results, plots and report.md")
        {
            config, setOpt, outOpt, device,
        };
        cmd.SetAction((parse, cancel) => Task.Run(() => CommandRunner.Run(() =>
        {
            // The whole config is checked before any work starts.
            var experiment = ConfigLoader.LoadFile<ExperimentConfig>(
                parse.GetValue(config)!, parse.GetValue(setOpt) ?? []);
            string folder = parse.GetValue(outOpt) ?? ExperimentRunner.DefaultFolder(experiment);
            var torchDevice = TorchRuntime.Initialise(TrainCommand.ParseDevice(parse.GetValue(device)!));
            AnsiConsole.MarkupLine(
                $"experiment [bold]{Markup.Escape(experiment.Name)}[/] → {Markup.Escape(Paths.Show(folder))} " +
                $"on {torchDevice.type.ToString().ToLowerInvariant()}");
            ExperimentRunner.Run(experiment, folder, torchDevice, ConsoleObserver.Instance, cancel);
            return CommandRunner.Ok;
        })));
        return cmd;
    }
}
