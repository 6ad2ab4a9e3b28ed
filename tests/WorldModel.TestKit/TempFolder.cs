namespace WorldModel.TestKit;

/// <summary>A fresh folder under the system temp directory, deleted (best effort) when disposed.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder(string prefix = "wm-test")
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>A path inside the folder.</summary>
    public string this[string name] => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { } // a file still open elsewhere: the OS cleans temp later
        catch (UnauthorizedAccessException) { } // a test made something read-only
    }
}
