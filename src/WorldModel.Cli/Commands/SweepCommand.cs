using System.CommandLine;
using Spectre.Console;
using WorldModel.Cli.Terminal;
using WorldModel.Core.Config;
using WorldModel.Experiments;
using WorldModel.Experiments.Graph;
using WorldModel.Experiments.Sweeps;
using WorldModel.Models;

namespace WorldModel.Cli.Commands;

/// <summary>
/// `wm sweep CONFIG --grid KEY=V1,V2 …`: one experiment per point of the grid (Hydra's multirun), each in its own
/// run folder, then sweep.md, sweep.csv and a plot across the grid.
/// </summary>
public static class SweepCommand
{
    public static Command Build()
    {
        var config = new Argument<string>("CONFIG") { Description = "Experiment config (JSON), the sweep's base" };
        var grid = new Option<string[]>("--grid")
        {
            Description = "A swept key and its values, split at commas outside brackets: --grid " +
                "evaluation.plan.planner.samples=64,128 or --grid 'evaluation.plannerHorizons=[16],[32]' " +
                "(repeatable: the cartesian product)",
            Required = true,
        };
        var setOpt = new Option<string[]>("--set") { Description = "Override a key at every point (repeatable)" };
        var outOpt = new Option<string>("--out")
        {
            Description = "Sweep folder; runs go to OUT/run-<hash> (default: the table in " +
                "experiments/<name>/sweep-<hash>, each run in its own default folder)",
        };
        var reuseOpt = new Option<string[]>("--reuse-from")
        {
            Description = "A run folder whose finished units with the same settings every point copies in first " +
                "(as wm run --reuse-from; the points also reuse each other's when they run here); repeatable",
        };
        var device = TrainCommand.DeviceOption();
        var executor = new ExecutorOptions();
        var cmd = new Command("sweep", "Run an experiment at every point of a grid of overrides; a combined table " +
            "and plot")
        {
            config, grid, setOpt, outOpt, reuseOpt, device,
        };
        executor.AddTo(cmd);
        cmd.SetAction((parse, cancel) => Task.Run(() => CommandRunner.Run(() =>
        {
            var axes = SweepGrid.Parse(parse.GetValue(grid) ?? []);
            string path = parse.GetValue(config)!;
            string[] sets = parse.GetValue(setOpt) ?? [];
            var baseConfig = ConfigLoader.LoadFile<ExperimentConfig>(path, sets);
            // Every point's config is checked before any run starts.
            var runs = SweepRunner.Runs(path, sets, axes, parse.GetValue(outOpt));
            string folder = parse.GetValue(outOpt) ?? SweepRunner.DefaultFolder(baseConfig, axes);
            string deviceName = parse.GetValue(device)!;
            bool slurm = executor.IsSlurm(parse);
            var kind = TrainCommand.ParseDevice(deviceName);
            // The submitter needs no torch device: the jobs ask for theirs.
            var torchDevice = slurm ? TorchSharp.torch.CPU : TorchRuntime.Initialise(kind);
            AnsiConsole.MarkupLine($"sweep of [bold]{Markup.Escape(baseConfig.Name)}[/]: {runs.Count} points → " +
                $"{Markup.Escape(Paths.Show(folder))} {(slurm ? "on Slurm" : "here")}");
            bool wait = executor.Wait(parse);
            SweepRunner.Run(axes, runs, folder, executor.Create(parse, deviceName),
                new UnitContext(torchDevice, ConsoleObserver.Instance, cancel), wait,
                parse.GetValue(reuseOpt) ?? []);
            if (!wait)
                AnsiConsole.MarkupLine("not waiting: run the same command again once the jobs finish; it submits " +
                    "nothing more and writes the table");
            return CommandRunner.Ok;
        })));
        return cmd;
    }
}
