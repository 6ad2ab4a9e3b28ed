using System.CommandLine;
using Spectre.Console;
using WorldModel.Experiments;
using WorldModel.Experiments.Slurm;

namespace WorldModel.Cli.Commands;

/// <summary>`wm cancel RUN`: scancel every job of the run's latest Slurm submission still queued or running.</summary>
public static class CancelCommand
{
    public static Command Build()
    {
        var run = new Argument<string>("RUN") { Description = "A run folder submitted with `wm run --executor slurm`" };
        var cmd = new Command("cancel", "Cancel a run's Slurm jobs that are still queued or running") { run };
        cmd.SetAction(parse => CommandRunner.Run(() =>
        {
            string folder = parse.GetValue(run)!;
            if (SlurmSubmission.Load(folder) is null)
                throw new ArgumentException(
                    $"{folder} has no {SlurmSubmission.FolderName}/{SlurmSubmission.FileName}: " +
                    "it was never submitted with `wm run --executor slurm`");
            var cancelled = RunStatus.Cancel(folder);
            if (cancelled.Count == 0)
                AnsiConsole.MarkupLine($"nothing to cancel: no job of {Markup.Escape(Paths.Show(folder))} is " +
                    "queued or running");
            foreach (var job in cancelled)
                AnsiConsole.MarkupLine($"cancelled job {Markup.Escape(job.SlurmId)}: {Markup.Escape(job.Unit)}");
            return CommandRunner.Ok;
        }));
        return cmd;
    }
}
