using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Spectre.Console;
using TorchSharp;
using WorldModel.Models;

using WorldModel.Cli.Host;
using WorldModel.Experiments;

namespace WorldModel.Cli.Commands;

/// <summary>
/// Runs bench/pytorch/train_step.py (the identical model and step in PyTorch) for `wm bench train --pytorch`,
/// so the ratio the issue sets a target on is printed by the benchmark itself.
/// </summary>
public static class PyTorchReference
{
    private const string Install =
        "pass a Python that has torch, e.g. /usr/bin/python3 after apt-get install python3-torch libopenblas0-pthread";

    public static string ScriptPath => Path.Combine(Paths.RepositoryRoot(), "bench", "pytorch", "train_step.py");

    /// <summary>Fails fast, naming what to fix, when the script is missing or the Python cannot import torch.</summary>
    public static void Check(string python)
    {
        if (!File.Exists(ScriptPath))
            throw new FileNotFoundException($"the PyTorch reference script is missing: {ScriptPath}");
        var (code, error) = RunPython(
            python, ["-c", "import torch"], TimeSpan.FromMinutes(2), echo: false, CancellationToken.None);
        if (code != 0)
            throw new ArgumentException($"--pytorch {python}: cannot import torch ({LastLine(error)}); {Install}");
    }

    /// <summary>PyTorch's seconds per step for the same models, in the order `wm bench train` times them.</summary>
    public static double[] Time(
        string python, int steps, int threads, torch.Device device, int models, CancellationToken cancel)
    {
        AnsiConsole.MarkupLine(
            $"timing the same step in PyTorch: {Markup.Escape(python)} bench/pytorch/train_step.py " +
            $"(NCHW, {threads} threads, the environment wm was started with)");
        string output = Path.Combine(Path.GetTempPath(), $"wm-bench-pytorch-{Environment.ProcessId}.json");
        try
        {
            string[] args =
            [
                ScriptPath,
                "--steps", steps.ToString(),
                "--threads", threads.ToString(),
                "--device", device.type == DeviceType.CUDA ? "cuda" : "cpu",
                "--out", output,
            ];
            var (code, error) = RunPython(python, args, TimeSpan.FromHours(2), echo: true, cancel);
            if (code != 0) throw new IOException($"the PyTorch reference failed (exit code {code}): {LastLine(error)}");
            var results = JsonNode.Parse(File.ReadAllText(output))?["results"]?.AsArray()
                ?? throw new InvalidDataException($"{output} has no results array");
            if (results.Count != models)
                throw new InvalidDataException(
                    $"the PyTorch reference timed {results.Count} models; wm timed {models}");
            return results.Select(r => r?["secondsPerStep"]?.GetValue<double>()
                ?? throw new InvalidDataException($"{output}: a result lacks secondsPerStep")).ToArray();
        }
        finally
        {
            File.Delete(output);
        }
    }

    private static (int Code, string Error) RunPython(
        string python, string[] args, TimeSpan limit, bool echo, CancellationToken cancel)
    {
        var psi = new ProcessStartInfo(python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        // PyTorch as the user runs it, without wm's allocator settings
        GlibcAllocator.RestoreUserTunables(psi.Environment);
        Process process;
        try
        {
            process = Process.Start(psi)
                ?? throw new ArgumentException($"--pytorch {python}: could not start it; {Install}");
        }
        catch (Win32Exception e)
        {
            throw new ArgumentException($"--pytorch {python}: cannot run it ({e.Message}); {Install}");
        }
        using (process)
        {
            process.OutputDataReceived += (_, e) =>
            {
                if (echo && e.Data is not null) AnsiConsole.MarkupLine($"[grey]  {Markup.Escape(e.Data)}[/]");
            };
            process.BeginOutputReadLine();
            var stderr = process.StandardError.ReadToEndAsync(cancel);
            using var kill = cancel.Register(() =>
            {
                try { process.Kill(entireProcessTree: true); }
                catch (InvalidOperationException) { }
            });
            if (!process.WaitForExit(limit))
            {
                process.Kill(entireProcessTree: true);
                throw new IOException($"{python} {string.Join(' ', args)} ran past {limit} and was stopped");
            }
            process.WaitForExit(); // flush the asynchronous stdout reader
            cancel.ThrowIfCancellationRequested();
            return (process.ExitCode, stderr.Result);
        }
    }

    private static string LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault()
            ?? "no message";
}
