using System.Diagnostics;

namespace WorldModel.Cli.Tests;

/// <summary>
/// A real single-node Slurm on this machine for a test class: started with scripts/slurm-cluster.sh (which installs
/// the Debian packages when root), stopped at the end unless it was running before. Tests that need it are
/// <see cref="SlurmFactAttribute"/>s, skipped only where it cannot be started.
/// </summary>
public sealed class SlurmCluster : IDisposable
{
    private readonly bool _startedHere;

    public SlurmCluster()
    {
        if (SlurmFactAttribute.Unavailable() is not null) return;
        if (Script("status").Code == 0) return;
        var start = Script("start");
        if (start.Code != 0)
            throw new InvalidOperationException(
                $"scripts/slurm-cluster.sh start failed (exit {start.Code}):\n{start.Said}");
        _startedHere = true;
    }

    public void Dispose()
    {
        if (_startedHere) Script("stop");
    }

    /// <summary>Runs scripts/slurm-cluster.sh with <paramref name="verb"/>: its exit code and what it said.</summary>
    public static (int Code, string Said) Script(string verb)
    {
        var psi = new ProcessStartInfo("bash", [Repository.Path("scripts/slurm-cluster.sh"), verb])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var p = Process.Start(psi)!;
        var error = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output + error.Result);
    }
}

/// <summary>
/// A test on the real single-node Slurm (<see cref="SlurmCluster"/>). Skipped, saying why, only where the cluster
/// cannot be had: not root (the daemons and packages need root) and none running, or no Slurm and no apt-get. In CI
/// the tests run as root, so these run there.
/// </summary>
public sealed class SlurmFactAttribute : FactAttribute
{
    public SlurmFactAttribute()
    {
        if (Unavailable() is { } why) Skip = why;
    }

    /// <summary>Why no cluster can be had here, or null.</summary>
    public static string? Unavailable()
    {
        if (!OperatingSystem.IsLinux()) return "needs Linux (a single-node Slurm: scripts/slurm-cluster.sh)";
        bool installed = File.Exists("/usr/sbin/slurmctld") && File.Exists("/usr/bin/sbatch");
        if (Environment.IsPrivilegedProcess)
            return installed || File.Exists("/usr/bin/apt-get")
                ? null
                : "Slurm is not installed and there is no apt-get to install it; install slurmctld slurmd " +
                  "slurm-client munge";
        return installed && SlurmCluster.Script("status").Code == 0
            ? null
            : "needs root to install and start a single-node Slurm (sudo scripts/slurm-cluster.sh start), " +
              "or a cluster already running";
    }
}
