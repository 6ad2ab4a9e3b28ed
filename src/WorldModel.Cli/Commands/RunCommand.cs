using System.CommandLine;
using Spectre.Console;
using WorldModel.Core.Config;
using WorldModel.Models;
using WorldModel.Experiments;
using WorldModel.Experiments.Graph;
using WorldModel.Experiments.Slurm;
using WorldModel.Cli.Terminal;

namespace WorldModel.Cli.Commands;

/// <summary>
/// `wm run CONFIG`: a whole experiment, cached and resumable stage by stage; here, or as Slurm jobs
/// (`--executor slurm`), each of which runs `wm run … --unit ID`.
/// </summary>
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
        var reuseOpt = new Option<string[]>("--reuse-from")
        {
            Description = "A run folder whose finished units with the same settings are copied in first (a model " +
                "trained once, planned another way: --set evaluation.… --reuse-from experiments/<name>/run-<hash>); " +
                "repeatable",
        };
        // What a Slurm job runs: one unit of a run folder its submission prepared.
        var unitOpt = new Option<string>("--unit") { Description = "Run one unit of a prepared run", Hidden = true };
        var device = TrainCommand.DeviceOption();
        var executor = new ExecutorOptions();
        var cmd = new Command(
            "run",
            "Run an experiment: data → train (each model × seed) → planning evaluation → " +
            "results, plots and report.md")
        {
            config, setOpt, outOpt, reuseOpt, device, unitOpt,
        };
        executor.AddTo(cmd);
        cmd.SetAction((parse, cancel) => Task.Run(() => CommandRunner.Run(() =>
        {
            // The whole config is checked before any work starts.
            var experiment = ConfigLoader.LoadFile<ExperimentConfig>(
                parse.GetValue(config)!, parse.GetValue(setOpt) ?? []);
            string folder = parse.GetValue(outOpt) ?? ExperimentRunner.DefaultFolder(experiment);
            string deviceName = parse.GetValue(device)!;
            var kind = TrainCommand.ParseDevice(deviceName);
            string[] reuseFrom = parse.GetValue(reuseOpt) ?? [];
            if (parse.GetValue(unitOpt) is { } unit)
                return RunUnit(experiment, folder, unit, kind, cancel);
            if (!executor.IsSlurm(parse))
            {
                var torchDevice = TorchRuntime.Initialise(kind);
                AnsiConsole.MarkupLine(
                    $"experiment [bold]{Markup.Escape(experiment.Name)}[/] → {Markup.Escape(Paths.Show(folder))} " +
                    $"on {torchDevice.type.ToString().ToLowerInvariant()}");
                ExperimentRunner.Run(experiment, folder, executor.Create(parse, deviceName),
                    new UnitContext(torchDevice, ConsoleObserver.Instance, cancel), reuseFrom: reuseFrom);
                return CommandRunner.Ok;
            }
            // The submitter needs no torch device: the jobs ask for theirs.
            AnsiConsole.MarkupLine(
                $"experiment [bold]{Markup.Escape(experiment.Name)}[/] → {Markup.Escape(Paths.Show(folder))} " +
                "on Slurm");
            var slurm = executor.Create(parse, deviceName);
            var context = new UnitContext(TorchSharp.torch.CPU, ConsoleObserver.Instance, cancel);
            var graph = ExperimentRunner.Launch(experiment, folder, slurm, context, reuseFrom: reuseFrom);
            if (!executor.Wait(parse))
            {
                AnsiConsole.MarkupLine($"not waiting: `wm status {Markup.Escape(Paths.Show(graph.Folder))}` shows " +
                    "the units; the same command again reuses what finished");
                return CommandRunner.Ok;
            }
            slurm.Wait(context);
            return CommandRunner.Ok;
        })));
        return cmd;
    }

    /// <summary>A Slurm job: one unit, its inputs finished, the run folder shared with the run's other jobs.</summary>
    private static int RunUnit(ExperimentConfig experiment, string folder, string unit, DeviceKind kind,
        CancellationToken cancel)
    {
        var torchDevice = TorchRuntime.Initialise(kind);
        string? job = Environment.GetEnvironmentVariable("SLURM_JOB_ID");
        AnsiConsole.MarkupLine($"unit [bold]{Markup.Escape(unit)}[/] of {Markup.Escape(Paths.Show(folder))} on " +
            $"{torchDevice.type.ToString().ToLowerInvariant()}{(job is null ? "" : $" (Slurm job {job})")}");
        var together = SlurmSubmission.Load(folder)?.Units.Select(u => u.Unit).ToHashSet() ?? [];
        var record = ExperimentRunner.RunUnit(experiment, folder, unit,
            new UnitContext(torchDevice, ConsoleObserver.Instance, cancel), together);
        AnsiConsole.MarkupLine($"{Markup.Escape(unit)}: {Markup.Escape(record.Summary)} ({record.Seconds:F0} s)");
        return CommandRunner.Ok;
    }
}
