using System.Globalization;
using WorldModel.Core.IO;

namespace WorldModel.Models.Training;

/// <summary>
/// A run's checkpoints folder: step-NNNNNNN/ checkpoints, the `latest` file naming the newest, and step-N.PID.tmp
/// folders a killed writer (or deleter) left. Which checkpoint a resume starts from, what an interrupted run left
/// behind, and how many are kept are decided here; writing one is <see cref="Checkpoint.Save"/>.
/// </summary>
/// <param name="folder">The checkpoints folder (RUN/checkpoints).</param>
/// <param name="keep">Checkpoints kept by <see cref="Prune"/>, the newest ones (0: all).</param>
public sealed class RunCheckpoints(string folder, int keep)
{
    /// <summary>
    /// Where training continues: a checkpoint folder (null: from step 0), its step, and a note when that is not
    /// simply what checkpoints/latest names (the user picked one, or latest names a missing folder).
    /// </summary>
    public sealed record ResumePoint(string? Folder, int Step, string? Note);

    /// <summary>
    /// The checkpoint a resumed run starts from: <paramref name="resumeFrom"/> when set, else the one
    /// checkpoints/latest names, else (latest missing, or naming a folder that is gone) the newest intact
    /// checkpoint, said so in the note. Refuses, naming them, when checkpoints after the chosen one exist,
    /// since training on would overwrite them; and when checkpoints exist but none is intact.
    /// </summary>
    /// <param name="resumeFrom">A checkpoint folder name the user asked for (step-0000010); null: the latest.</param>
    /// <param name="runFolder">The run's folder, named in the advice when nothing can be resumed.</param>
    public ResumePoint FindResumePoint(string? resumeFrom, string runFolder)
    {
        var steps = Directory.Exists(folder)
            ? Directory.GetDirectories(folder, "step-*")
                .Select(d => (Folder: d, Step: StepOf(d))).Where(c => c.Step >= 0).OrderBy(c => c.Step).ToArray()
            : [];
        string latestFile = Path.Combine(folder, TrainingRun.LatestFile);
        string? named = resumeFrom ?? (File.Exists(latestFile) ? File.ReadAllText(latestFile).Trim() : null);
        ResumePoint point;
        if (named is not null && Directory.Exists(Path.Combine(folder, named)) && StepOf(named) >= 0)
        {
            point = new ResumePoint(
                Path.Combine(folder, named),
                StepOf(named),
                resumeFrom is null ? null : $"resuming from {named}, as asked");
        }
        else if (resumeFrom is not null)
        {
            throw new CheckpointException(
                $"{Path.Combine(folder, resumeFrom)} is not a checkpoint; intact checkpoints: {Intact(steps)}");
        }
        else if (steps.Length == 0)
        {
            if (named is not null)
                throw new CheckpointException(
                    $"{latestFile} names {named}, but no checkpoint is left in {folder}; " +
                    $"start afresh with another --out (or delete {runFolder})");
            return new ResumePoint(null, 0, null);
        }
        else
        {
            var intact = steps.Where(c => IsIntact(c.Folder)).ToArray();
            if (intact.Length == 0)
                throw new CheckpointException(
                    $"no intact checkpoint in {folder} " +
                    $"(all of {string.Join(", ", steps.Select(c => Path.GetFileName(c.Folder)))} " +
                    $"fail their checks); start afresh with another --out");
            var newest = intact[^1];
            string why = named is null
                ? $"{latestFile} is missing"
                : $"{latestFile} names {named}, which is missing";
            point = new ResumePoint(
                newest.Folder,
                newest.Step,
                $"{why}; resuming from the newest intact checkpoint, {Path.GetFileName(newest.Folder)}");
        }
        var later = steps.Where(c => c.Step > point.Step).Select(c => Path.GetFileName(c.Folder)).ToArray();
        if (later.Length > 0)
            throw new CheckpointException(
                $"checkpoints after {Path.GetFileName(point.Folder)} exist ({string.Join(", ", later)}); " +
                $"training on would overwrite them: resume from one of them (--from {later[^1]}), " +
                $"or delete them first");
        return point;

        static string Intact((string Folder, int Step)[] all)
        {
            var ok = all.Where(c => IsIntact(c.Folder)).Select(c => Path.GetFileName(c.Folder)).ToArray();
            return ok.Length == 0 ? "none" : string.Join(", ", ok);
        }
    }

    /// <summary>
    /// A checkpoint is written into step-N.PID.tmp and renamed when whole (<see cref="Checkpoint.Save"/>); one
    /// whose writer was killed stays behind. Such folders are removed when a run starts, unless their process
    /// still runs.
    /// </summary>
    public int RemoveAbandoned(Action<string>? onWarning = null)
    {
        if (!Directory.Exists(folder)) return 0;
        int removed = 0;
        foreach (var tmp in Directory.GetDirectories(folder, "step-*.tmp"))
        {
            var parts = Path.GetFileName(tmp).Split('.');
            if (parts.Length == 3
                && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
                && pid != Environment.ProcessId && AtomicFile.ProcessIsRunning(pid))
                continue;
            Directory.Delete(tmp, recursive: true);
            removed++;
        }
        if (removed > 0)
            onWarning?.Invoke(
                $"removed {removed} unfinished checkpoint folder{(removed == 1 ? "" : "s")} " +
                $"left by an interrupted run in {folder}");
        return removed;
    }

    /// <summary>
    /// Keeps the newest <see cref="RunConfig.KeepCheckpoints"/> checkpoints (0: all); the newest is the one
    /// `latest` names, and a finished run's newest is its final step. A folder is renamed to step-N.PID.tmp
    /// before it is deleted, so a kill mid-delete leaves one that the next start removes, never a torn
    /// checkpoint that looks whole.
    /// </summary>
    public void Prune()
    {
        if (keep == 0) return;
        var old = Directory.GetDirectories(folder, "step-*")
            .Where(d => !d.EndsWith(".tmp", StringComparison.Ordinal))
            .Select(d => (Folder: d, Step: StepOf(d)))
            .Where(c => c.Step >= 0)
            .OrderByDescending(c => c.Step)
            .Skip(keep);
        foreach (var (doomedFolder, _) in old)
        {
            string doomed = $"{doomedFolder}.{Environment.ProcessId}.tmp";
            Directory.Move(doomedFolder, doomed);
            Directory.Delete(doomed, recursive: true);
        }
    }

    private static bool IsIntact(string checkpoint)
    {
        try { Checkpoint.Verify(checkpoint); return true; }
        catch (CheckpointException) { return false; }
    }

    private static int StepOf(string checkpoint) =>
        Path.GetFileName(checkpoint) is { } name && name.StartsWith("step-", StringComparison.Ordinal)
        && int.TryParse(name.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out int step) ? step : -1;
}
