namespace WorldModel.TestKit;

/// <summary>Where the repository is, for tests that read committed configs or reference results.</summary>
public static class Repository
{
    private static readonly Lazy<string> RootPath = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "WorldModel.sln"))) return dir.FullName;
        throw new InvalidOperationException(
            $"tests must run inside the repository (WorldModel.sln not found above {AppContext.BaseDirectory})");
    });

    /// <summary>The folder holding WorldModel.sln.</summary>
    public static string Root => RootPath.Value;

    /// <summary>A committed config, e.g. Config("tiny.json").</summary>
    public static string Config(string name) => System.IO.Path.Combine(Root, "configs", name);

    /// <summary>A path relative to the repository root.</summary>
    public static string Path(string relative) => System.IO.Path.Combine(Root, relative);
}
