namespace WorldModel.TestKit;

/// <summary>What a run's training unit wrote, to compare two runs' copies byte for byte.</summary>
public static class TrainedFiles
{
    /// <summary>
    /// The files of RUN/train/UNIT, ordered, but its plots (redrawn) and its folder's lock (.lock, .lock.owner: it
    /// belongs to the process that held it).
    /// </summary>
    public static string[] Of(string run, string unit = "jepa-seed0") =>
        [.. Directory.GetFiles(Path.Combine(run, "train", unit), "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".png", StringComparison.Ordinal) && !f.EndsWith(".svg", StringComparison.Ordinal)
                        && !Path.GetFileName(f).StartsWith(".lock", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)];
}
