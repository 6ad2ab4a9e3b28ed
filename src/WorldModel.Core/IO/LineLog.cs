namespace WorldModel.Core.IO;

/// <summary>
/// Appends whole lines to a log that several processes write at once (the cluster jobs of one run, each
/// appending to its log.txt). .NET's FileMode.Append does not open with O_APPEND: it finds the end once, at open,
/// so two writers can write at the same offset and one line is lost. Each line is therefore written under an
/// exclusive OS lock on the file (the lock <see cref="FolderLock"/> uses), which also holds on a shared file
/// system that supports locks (NFS maps it to a POSIX lock; an O_APPEND write is atomic only on local disks).
/// </summary>
public static class LineLog
{
    /// <summary>How long a writer waits for another's line before giving up (a line takes microseconds).</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>Appends <paramref name="line"/> and a newline to <paramref name="path"/> (made if missing).</summary>
    public static void Append(string path, string line)
    {
        byte[] bytes = System.Text.Encoding.UTF8.GetBytes(line.TrimEnd('\n') + "\n");
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                // FileShare.None takes the exclusive lock before FileMode.Append finds the end of the file.
                using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.None);
                file.Write(bytes);
                return;
            }
            catch (IOException e) when (e is not (DirectoryNotFoundException or FileNotFoundException
                or PathTooLongException) && IsLocked(e) && waited.Elapsed < Patience)
            {
                Thread.Sleep(Random.Shared.Next(2, 12)); // another process is writing its line
            }
        }
    }

    /// <summary>Whether the failure is the lock being held (not a full disk or a missing permission).</summary>
    private static bool IsLocked(IOException e) =>
        e.HResult is unchecked((int)0x80070020) or unchecked((int)0x80070021) // sharing or lock violation
        || e.Message.Contains("being used by another process", StringComparison.Ordinal);
}
