namespace WorldModel.Experiments;

/// <summary>Where outputs go when a command is given no --out: experiments/ at the repository root.</summary>
public static class Paths
{
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "WorldModel.sln"))) return dir.FullName;
        return Directory.GetCurrentDirectory();
    }

    public static string Experiments => Path.Combine(RepositoryRoot(), "experiments");

    /// <summary>Shortens a path for messages: relative to the working directory when below it.</summary>
    public static string Show(string path)
    {
        var rel = Path.GetRelativePath(Directory.GetCurrentDirectory(), path);
        return rel.StartsWith("..", StringComparison.Ordinal) ? Path.GetFullPath(path) : rel;
    }
}
