using System.Runtime.InteropServices;

namespace WorldModel.Experiments;

/// <summary>What a benchmark ran on, printed with every number.</summary>
public static class MachineInfo
{
    public static string Describe()
    {
        string cpu = "unknown CPU";
        try
        {
            var line = File.ReadLines("/proc/cpuinfo")
                .FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            if (line is not null) cpu = line[(line.IndexOf(':') + 1)..].Trim();
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        double memGiB = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (double)(1L << 30);
        return $"{cpu}, {Environment.ProcessorCount} cores, {memGiB:F0} GiB, " +
            $"{RuntimeInformation.OSDescription}, .NET {Environment.Version}";
    }

    /// <summary>
    /// Which kernels ran this process's CPU convolutions: learned results differ in float rounding between
    /// oneDNN and libtorch's own, so two machines both called "AMD EPYC" can disagree on every learned episode.
    /// </summary>
    public static string CpuConvolutions() => "CPU convolutions: " + Models.OneDnnCheck.Kernels;
}
