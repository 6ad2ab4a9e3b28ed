using System.Security.Cryptography;

namespace WorldModel.Core.IO;

/// <summary>
/// Writes files so that a reader sees the old file or the whole new one, never a part:
/// write a temporary file beside the target, flush it to disk, then rename over.
/// </summary>
public static class AtomicFile
{
    public static void Write(string path, Action<Stream> write)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        var tmp = Path.Combine(dir, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(fs);
                fs.Flush(flushToDisk: true);
            }
            FaultPoint.Reach("write:" + Path.GetFileName(path));
            File.Move(tmp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }

    /// <summary>
    /// For libraries that write to a path themselves: they write a temporary path, which is then renamed over.
    /// </summary>
    public static void WriteVia(string path, Action<string> writeTemporary)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var tmp = Path.Combine(Path.GetDirectoryName(full)!,
            $".{Environment.ProcessId}.{Guid.NewGuid():N}.{Path.GetFileName(full)}");
        try
        {
            writeTemporary(tmp);
            File.Move(tmp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }

    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        var copy = bytes.ToArray();
        Write(path, s => s.Write(copy));
    }

    public static void WriteAllText(string path, string text) =>
        Write(path, s => { using var w = new StreamWriter(s, leaveOpen: true); w.Write(text); });

    /// <summary>
    /// Removes the temporary files of writes whose process was killed before the rename
    /// (".NAME.PID.GUID.tmp"; folders named so too: a folder copied whole), in <paramref name="folder"/> and, with
    /// <paramref name="recursive"/>, below it; one whose process still runs is left alone. Returns how many were
    /// removed.
    /// </summary>
    public static int RemoveAbandoned(string folder, bool recursive = false)
    {
        if (!Directory.Exists(folder)) return 0;
        int removed = 0;
        var option = recursive ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly;
        // Folders first: a file inside an abandoned one goes with it.
        foreach (var dir in Directory.GetDirectories(folder, ".*.tmp", option))
        {
            if (!Directory.Exists(dir) || !IsAbandoned(dir)) continue;
            Directory.Delete(dir, recursive: true);
            removed++;
        }
        foreach (var file in Directory.GetFiles(folder, ".*.tmp", option))
        {
            if (!IsAbandoned(file)) continue;
            File.Delete(file);
            removed++;
        }
        return removed;
    }

    private static bool IsAbandoned(string path)
    {
        var parts = Path.GetFileName(path).Split('.');
        // "", NAME…, PID, GUID, "tmp": the writer's process id is third from the end.
        if (parts.Length < 5 || !int.TryParse(parts[^3], out int pid) || parts[^2].Length != 32) return false;
        return pid == Environment.ProcessId || !ProcessIsRunning(pid);
    }

    /// <summary>Whether <paramref name="path"/> names a write's temporary file (".NAME.PID.GUID.tmp").</summary>
    public static bool IsTemporary(string path)
    {
        var parts = Path.GetFileName(path).Split('.');
        return parts.Length >= 5 && parts[0].Length == 0 && parts[^1] == "tmp" && int.TryParse(parts[^3], out _)
               && parts[^2].Length == 32;
    }

    /// <summary>Whether a process with this id runs now (another run writing the same folder).</summary>
    public static bool ProcessIsRunning(int pid)
    {
        try { using var p = System.Diagnostics.Process.GetProcessById(pid); return !p.HasExited; }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }

    public static string Sha256(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
