using WorldModel.Cli;

namespace WorldModel.Cli.Tests;

/// <summary>Runs `wm` in-process, capturing stdout and stderr (console redirection is process-wide: one test
/// at a time).</summary>
public static class CliRunner
{
    private static readonly object Gate = new();

    public sealed record Result(int ExitCode, string Out, string Error);

    public static Result Run(params string[] args)
    {
        lock (Gate)
        {
            var (oldOut, oldErr) = (Console.Out, Console.Error);
            var (o, e) = (new StringWriter(), new StringWriter());
            Console.SetOut(o);
            Console.SetError(e);
            Spectre.Console.AnsiConsole.Console = Spectre.Console.AnsiConsole.Create(
                new Spectre.Console.AnsiConsoleSettings
                {
                    Out = new Spectre.Console.AnsiConsoleOutput(o),
                    Interactive = Spectre.Console.InteractionSupport.No,
                    Ansi = Spectre.Console.AnsiSupport.No,
                });
            try
            {
                int code = CliApp.Build().Parse(args).Invoke();
                return new Result(code, o.ToString(), e.ToString());
            }
            finally
            {
                Console.SetOut(oldOut);
                Console.SetError(oldErr);
            }
        }
    }

    /// <summary>Starts the real `wm` as a child process (for process-wide state: signals, native libraries).</summary>
    public static System.Diagnostics.Process StartProcess(IDictionary<string, string> env, params string[] args) =>
        StartProcessIn(env, workingDirectory: null, args);

    /// <summary>Starts the real `wm` in <paramref name="workingDirectory"/> (null: this process's).</summary>
    public static System.Diagnostics.Process StartProcessIn(
        IDictionary<string, string> env, string? workingDirectory, params string[] args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("dotnet")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = workingDirectory ?? "",
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "wm.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in env) psi.Environment[k] = v;
        return System.Diagnostics.Process.Start(psi)!;
    }

    /// <summary>
    /// Fails, saying why, when <paramref name="p"/> ignores SIGINT, so that no Ctrl+C test can pass: a test run
    /// started in the background from a script (<c>nohup ./test &amp;</c>) hands its children SIGINT ignored, and
    /// `wm` rightly keeps it so. Read from /proc (Linux); elsewhere nothing is checked.
    /// </summary>
    public static void AssertSigIntNotIgnored(System.Diagnostics.Process p)
    {
        string? line;
        try { line = File.ReadLines($"/proc/{p.Id}/status").FirstOrDefault(l => l.StartsWith("SigIgn:")); }
        catch (IOException) { return; } // not Linux, or already gone: the test's own checks say what happened
        if (line is null) return;
        ulong ignored = Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16);
        const int SigInt = 2;
        Assert.True((ignored & (1UL << (SigInt - 1))) == 0,
            $"wm (pid {p.Id}) ignores SIGINT ({line.Trim()}), inherited from how the tests were started " +
            "(e.g. `nohup ./test &` from a script); run ./test in the foreground, or in a script after `set -m`");
    }

    public static (int Code, string Error) RunProcess(IDictionary<string, string> env, params string[] args)
    {
        var r = RunProcessWithOutput(env, args);
        return (r.ExitCode, r.Error);
    }

    public static Result RunProcessWithOutput(IDictionary<string, string> env, params string[] args) =>
        RunProcessWithOutputIn(env, workingDirectory: null, args);

    public static Result RunProcessWithOutputIn(
        IDictionary<string, string> env, string? workingDirectory, params string[] args)
    {
        using var p = StartProcessIn(env, workingDirectory, args);
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return new Result(p.ExitCode, output, err.Result);
    }
}
