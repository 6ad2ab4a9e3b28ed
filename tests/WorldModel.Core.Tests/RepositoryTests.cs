using System.Diagnostics;
using System.Text.RegularExpressions;

namespace WorldModel.Core.Tests;

/// <summary>The repository stands alone and its code reads on one screen width.</summary>
public sealed partial class RepositoryTests
{
    [Fact]
    public void Every_relative_link_in_a_tracked_Markdown_file_points_at_a_file_inside_the_repository()
    {
        var broken = new List<string>();
        foreach (string file in TrackedFiles("*.md"))
        {
            string text = File.ReadAllText(Repository.Path(file));
            foreach (Match m in MarkdownLink().Matches(text))
            {
                string target = m.Groups[1].Value.Split('#')[0];
                if (target.Length == 0 || Uri.IsWellFormedUriString(target, UriKind.Absolute)) continue;
                string full = Path.GetFullPath(Path.Combine(Repository.Root, Path.GetDirectoryName(file)!, target));
                if (!full.StartsWith(Repository.Root + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                    || !(File.Exists(full) || Directory.Exists(full)))
                    broken.Add($"{file}: {m.Groups[1].Value}");
            }
        }
        Assert.True(broken.Count == 0,
            "links outside the repository or to missing files:\n" + string.Join('\n', broken));
    }

    [Fact]
    public void No_tracked_file_refers_to_the_shared_notes_outside_the_repository()
    {
        string shared = "../" + "shared/"; // spelled in two pieces so this file does not match itself
        string[] text = [".md", ".cs", ".json", ".sh", ".py", ".html", ".csproj", ".props", ".yml", ".txt"];
        var referring = TrackedFiles("*")
            .Where(f => text.Contains(Path.GetExtension(f)) || Path.GetFileName(f) is "run" or "test" or "wm")
            .Where(f => File.Exists(Repository.Path(f))
                && File.ReadAllText(Repository.Path(f)).Contains(shared, StringComparison.Ordinal))
            .ToList();
        Assert.True(referring.Count == 0, $"these files link {shared}: " + string.Join(", ", referring));
    }

    [Fact]
    public void Every_line_of_source_code_is_at_most_120_characters()
    {
        var longLines = TrackedFiles("src/*.cs")
            .SelectMany(f => File.ReadLines(Repository.Path(f)).Select((line, i) => (f, i + 1, line.Length)))
            .Where(x => x.Length > 120)
            .Select(x => $"{x.f}:{x.Item2} ({x.Length})")
            .ToList();
        Assert.True(longLines.Count == 0, "lines over 120 characters:\n" + string.Join('\n', longLines));
    }

    [GeneratedRegex(@"\]\(([^)\s]+)\)")]
    private static partial Regex MarkdownLink();

    private static IReadOnlyList<string> TrackedFiles(string pattern)
    {
        var start = new ProcessStartInfo("git") { RedirectStandardOutput = true, WorkingDirectory = Repository.Root };
        foreach (var a in new[] { "ls-files", "-z", "--", pattern }) start.ArgumentList.Add(a);
        using var git = Process.Start(start)!;
        string output = git.StandardOutput.ReadToEnd();
        git.WaitForExit();
        Assert.True(git.ExitCode == 0, "git ls-files failed: the tests need the repository's git checkout");
        var files = output.Split('\0', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(files);
        return files;
    }
}
