namespace WorldModel.Cli.Tests;

/// <summary>`wm` sets glibc's start-up allocator settings itself: a user never needs to know about them.</summary>
[Collection("cli")]
public sealed class AllocatorTests
{
    // The child inherits this test process's environment; make GLIBC_TUNABLES explicit either way.
    private static Dictionary<string, string> Env(string tunables) => new() { ["GLIBC_TUNABLES"] = tunables };

    /// <summary>The "allocator:" line of `wm info`, started as a process with these GLIBC_TUNABLES.</summary>
    private static string AllocatorLine(string tunables)
    {
        var r = CliRunner.RunProcessWithOutput(Env(tunables), "info");
        Assert.True(r.ExitCode == 0, r.Error);
        return r.Out.Split('\n').Single(l => l.StartsWith("allocator:", StringComparison.Ordinal));
    }

    [Fact]
    public void Given_wm_started_without_tunables_Then_it_runs_with_one_arena_and_no_trimming()
    {
        var line = AllocatorLine(tunables: "");
        Assert.Contains("GLIBC_TUNABLES=glibc.malloc.arena_max=1:glibc.malloc.mmap_max=0:"
            + "glibc.malloc.trim_threshold=", line);
        Assert.DoesNotContain("in-process only", line);
    }

    [Fact]
    public void Given_a_users_own_arena_setting_Then_wm_keeps_it_and_adds_the_rest()
    {
        var line = AllocatorLine(tunables: "glibc.malloc.arena_max=4");
        Assert.Contains("GLIBC_TUNABLES=glibc.malloc.arena_max=4:glibc.malloc.mmap_max=0", line);
        Assert.DoesNotContain("arena_max=1", line);
    }

    [Fact]
    public void Given_arguments_with_spaces_and_an_empty_last_one_Then_they_reach_wm_unchanged_through_the_re_exec()
    {
        // The override's value comes back in the config error: it must arrive as one argument, spaces kept.
        var r = CliRunner.RunProcessWithOutput(Env(""), "train", "--config", Repository.Config("tiny.json"),
            "--set", "train.steps=not a number", "--out", "");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("not a number", r.Error);
    }
}
