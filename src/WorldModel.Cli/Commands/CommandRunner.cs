using Spectre.Console;
using WorldModel.Core.Config;
using WorldModel.Data;
using WorldModel.Experiments.Graph;
using WorldModel.Models;
using WorldModel.Models.Training;
using WorldModel.Render.Gl;

namespace WorldModel.Cli.Commands;

/// <summary>
/// Runs a command body and turns expected failures into one clear message and an exit code (no stack traces).
/// </summary>
public static class CommandRunner
{
    public const int Ok = 0, Failed = 1, BadInput = 2, Interrupted = 130;

    /// <summary>
    /// Width given to output that is not a terminal (a file, a pipe, a CI log): wide enough that nothing wraps.
    /// Spectre.Console assumes 80 columns there, which broke Markdown tables and suggested commands.
    /// </summary>
    public const int PipeWidth = 100_000;

    public static int Run(Func<int> body)
    {
        if (!AnsiConsole.Profile.Out.IsTerminal) AnsiConsole.Profile.Width = PipeWidth;
        try
        {
            return body();
        }
        catch (ConfigException e) { return Error(e.Message, BadInput); }
        catch (DatasetCorruptException e) { return Error(e.Message, Failed); }
        catch (GlUnavailableException e) { return Error("OpenGL is unavailable: " + e.Message, Failed); }
        catch (CheckpointException e) { return Error(e.Message, Failed); }
        catch (TorchDeviceException e) { return Error(e.Message, BadInput); }
        catch (LibTorchException e) { return Error(e.Message, Failed); }
        catch (NonFiniteLossException e) { return Error(e.Message + "; the last good checkpoint is kept", Failed); }
        catch (ExperimentFailedException e) { return Error(e.Message, Failed); }
        catch (OperationCanceledException)
        {
            AnsiConsole.MarkupLine(
                "[yellow]interrupted[/]: finished chunks are kept; run the same command again to resume.");
            return Interrupted;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException
            or InvalidDataException)
        {
            return Error(e.Message, Failed);
        }
        // TorchSharp folds a failure of its native load into an exception of its own; the cause, when ours, is kept.
        catch (Exception) when (LibTorch.Failure is { } cause) { return Error(cause.Message, Failed); }
    }

    public static int Error(string message, int code)
    {
        Console.Error.WriteLine("error: " + message);
        return code;
    }
}
