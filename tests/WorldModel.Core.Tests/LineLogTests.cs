using WorldModel.Core.IO;

namespace WorldModel.Core.Tests;

public sealed class LineLogTests
{
    [Fact]
    public void Given_many_writers_appending_at_once_Then_every_line_arrives_whole_and_none_is_lost()
    {
        using var tmp = new TempFolder();
        string log = tmp["log.txt"];
        // Each writer opens the file anew per line, as the jobs of one run do; long lines make a torn write visible.
        // Without the lock, writers find the same end and overwrite each other: this loses lines most times.
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, writer =>
        {
            for (int i = 0; i < 400; i++)
                LineLog.Append(log, $"{writer} {i} " + new string((char)('a' + writer), 500));
        });
        var lines = File.ReadAllLines(log);
        Assert.Equal(3200, lines.Length);
        Assert.All(lines, l => Assert.Matches(@"^(\d) \d+ ([a-h])\2{499}$", l));
        Assert.All(lines, l => Assert.Equal((char)('a' + (l[0] - '0')), l[^1]));
        Assert.Equal(3200, lines.Select(l => l[..l.LastIndexOf(' ')]).Distinct().Count());
    }

    [Fact]
    public async Task Given_the_log_locked_by_another_writer_When_appending_Then_the_line_waits_for_the_lock_and_follows()
    {
        using var tmp = new TempFolder();
        string log = tmp["log.txt"];
        Task appending;
        using (var holder = new FileStream(log, FileMode.Append, FileAccess.Write, FileShare.None))
        {
            holder.Write("first\n"u8);
            holder.Flush();
            appending = Task.Run(() => LineLog.Append(log, "second"));
            await Task.Delay(200);
            Assert.False(appending.IsCompleted, "the append must wait while the lock is held");
        }
        await appending.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(["first", "second"], File.ReadAllLines(log));
    }
}
