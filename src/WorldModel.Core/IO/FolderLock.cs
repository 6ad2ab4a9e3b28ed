namespace WorldModel.Core.IO;

/// <summary>Another process (or another run in this one) is working in the folder.</summary>
public sealed class FolderLockedException(string message) : IOException(message);

/// <summary>
/// An exclusive lock on a run folder (an OS file lock on &lt;folder&gt;/.lock, released when disposed or
/// when the process dies; .lock.owner says which process), so two runs never write one folder at once.
/// </summary>
public sealed class FolderLock : IDisposable
{
    public const string FileName = ".lock";
    private readonly FileStream _file;

    private FolderLock(FileStream file) => _file = file;

    /// <summary>Takes the lock or throws <see cref="FolderLockedException"/> naming who holds it.</summary>
    public static FolderLock Acquire(string folder, string what)
    {
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, FileName);
        try
        {
            var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            // Who holds it, in a file of its own: the locked file cannot be read by another process.
            File.WriteAllText(path + ".owner", $"{Environment.ProcessId} {what} {DateTime.Now:O}\n");
            return new FolderLock(file);
        }
        catch (IOException e) when (e is not FolderLockedException)
        {
            string holder = "";
            try { holder = File.ReadAllText(path + ".owner").Trim(); } catch (IOException) { }
            throw new FolderLockedException($"{folder} is in use by another run" +
                                            $"{(holder.Length > 0 ? $" (process {holder.Split(' ')[0]})" : "")}; " +
                                            "wait for it to finish, or choose another --out");
        }
    }

    public void Dispose() => _file.Dispose();
}
