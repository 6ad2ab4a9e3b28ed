using WorldModel.Cli.Host;

namespace WorldModel.Cli.Tests;

public sealed class GlibcAllocatorTests
{
    [Fact]
    public void Given_no_tunables_Then_all_of_wms_settings_are_added_with_one_arena_first()
    {
        var value = GlibcAllocator.WithTunables(null);
        Assert.Equal("glibc.malloc.arena_max=1:glibc.malloc.mmap_max=0:"
            + "glibc.malloc.trim_threshold=0x7fffffffffffffff:glibc.malloc.top_pad=268435456", value);
        Assert.Equal(value, GlibcAllocator.WithTunables(""));
    }

    [Fact]
    public void Given_a_users_own_tunables_Then_they_are_kept_and_only_missing_keys_are_appended()
    {
        var value = GlibcAllocator.WithTunables("glibc.malloc.tcache_count=0:glibc.malloc.arena_max=4");
        Assert.Equal("glibc.malloc.tcache_count=0:glibc.malloc.arena_max=4:glibc.malloc.mmap_max=0:"
            + "glibc.malloc.trim_threshold=0x7fffffffffffffff:glibc.malloc.top_pad=268435456", value);
        Assert.DoesNotContain("arena_max=1", value);
    }

    [Fact]
    public void Given_every_setting_already_present_Then_nothing_is_added_so_wm_does_not_re_execute_again()
    {
        var full = GlibcAllocator.WithTunables(null);
        Assert.Null(GlibcAllocator.WithTunables(full));
    }

    [Fact]
    public void Given_wm_re_executed_Then_a_child_process_gets_the_users_own_tunables_back()
    {
        string? before = Environment.GetEnvironmentVariable(GlibcAllocator.UserVariable);
        try
        {
            var child = new Dictionary<string, string?>
            {
                ["GLIBC_TUNABLES"] = GlibcAllocator.WithTunables(null),
                [GlibcAllocator.UserVariable] = ""
            };
            Environment.SetEnvironmentVariable(GlibcAllocator.UserVariable, null);
            GlibcAllocator.RestoreUserTunables(child);
            Assert.Equal(GlibcAllocator.WithTunables(null), child["GLIBC_TUNABLES"]); // not re-executed: left alone

            Environment.SetEnvironmentVariable(GlibcAllocator.UserVariable, "");
            GlibcAllocator.RestoreUserTunables(child);
            Assert.False(child.ContainsKey("GLIBC_TUNABLES")); // the user had none
            Assert.False(child.ContainsKey(GlibcAllocator.UserVariable));

            Environment.SetEnvironmentVariable(GlibcAllocator.UserVariable, "glibc.malloc.tcache_count=0");
            GlibcAllocator.RestoreUserTunables(child);
            Assert.Equal("glibc.malloc.tcache_count=0", child["GLIBC_TUNABLES"]);
        }
        finally
        {
            Environment.SetEnvironmentVariable(GlibcAllocator.UserVariable, before);
        }
    }
}
