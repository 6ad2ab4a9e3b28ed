using WorldModel.Core.IO;

namespace WorldModel.Core.Tests;

public sealed class FolderLockTests
{
    [Fact]
    public void Given_a_held_lock_Then_a_second_is_refused_naming_the_holder_until_the_first_is_released()
    {
        using var tmp = new TempFolder();
        using (FolderLock.Acquire(tmp["run"], "first"))
        {
            var e = Assert.Throws<FolderLockedException>(() => FolderLock.Acquire(tmp["run"], "second"));
            Assert.Contains("in use by another run", e.Message);
            Assert.Contains($"process {Environment.ProcessId}", e.Message);
        }
        using var again = FolderLock.Acquire(tmp["run"], "third");
    }
}
