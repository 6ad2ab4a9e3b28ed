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
}
