namespace WorldModel.Experiments;

/// <summary>
/// Where outputs go when a command is given no --out (experiments/ at the repository root), and where the
/// files that ship with the program are (the shipped models, configs, the PyTorch reference script).
/// </summary>
public static class Paths
{
    private const string Solution = "WorldModel.sln";

    /// <summary>
    /// The repository the working directory is in; else the one the running program was built in (so
    /// <c>/path/to/wm demo</c> works from any folder); else the working directory.
    /// </summary>
    public static string RepositoryRoot() =>
        Above(Directory.GetCurrentDirectory()) ?? Above(AppContext.BaseDirectory) ?? Directory.GetCurrentDirectory();

    private static string? Above(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, Solution))) return dir.FullName;
        return null;
    }

    public static string Experiments => Path.Combine(RepositoryRoot(), "experiments");

    /// <summary>Shortens a path for messages: relative to the working directory when below it.</summary>
    public static string Show(string path)
    {
        var rel = Path.GetRelativePath(Directory.GetCurrentDirectory(), path);
        return rel.StartsWith("..", StringComparison.Ordinal) ? Path.GetFullPath(path) : rel;
    }
}
