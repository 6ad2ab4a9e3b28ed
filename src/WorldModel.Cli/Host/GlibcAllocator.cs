using System.Runtime.InteropServices;
using System.Text;

namespace WorldModel.Cli.Host;

/// <summary>
/// glibc malloc settings that keep libtorch's big, short-lived tensors in one reused heap.
///
/// Why two places: <see cref="TuneInProcess"/> calls mallopt once the process runs, which stops trimming
/// and mmap for the main heap. But glibc gives every thread that allocates its own arena, capped at
/// 64 MiB per heap, and serves anything larger from a fresh mmap whatever M_MMAP_MAX says (malloc.c,
/// sysmalloc's fallback). `wm` trains on a worker thread, so every activation over 64 MiB was mapped,
/// faulted in page by page and unmapped again each step: at PLDM size ~9.8 GB of page faults per step
/// and half the step in the kernel (`wm bench train`: 15.9 s → 9.6 s per step with one arena).
/// The arena count can only be set before the first thread starts, through the GLIBC_TUNABLES
/// environment variable, so <see cref="ReexecWithTunables"/> re-executes `wm` once, in place (same
/// PID, same arguments), with the tunables added.
/// </summary>
public static partial class GlibcAllocator
{
    /// <summary>The variable glibc reads its tunables from, at process start only.</summary>
    public const string Variable = "GLIBC_TUNABLES";

    /// <summary>Holds the user's own GLIBC_TUNABLES ("" when unset) across the re-exec, for child processes.</summary>
    public const string UserVariable = "WM_USER_GLIBC_TUNABLES";

    /// <summary>
    /// Sets <paramref name="environment"/> (a child's) back to the GLIBC_TUNABLES the user started `wm` with,
    /// so a program `wm` runs (the PyTorch reference) sees the machine as the user left it.
    /// </summary>
    public static void RestoreUserTunables(IDictionary<string, string?> environment)
    {
        if (Environment.GetEnvironmentVariable(UserVariable) is not { } user)
            return; // not re-executed: nothing was added
        environment.Remove(UserVariable);
        if (user.Length == 0) environment.Remove(Variable);
        else environment[Variable] = user;
    }

    /// <summary>The heap grows this much at a time (both mechanisms).</summary>
    private const int TopPadBytes = 256 << 20;

    /// <summary>
    /// One arena for every thread (big blocks come from the main heap, never a per-thread mmap), no mmap
    /// for big blocks, no trimming (freed memory is kept for the next step), and the heap grown 256 MiB at a time.
    /// </summary>
    public static readonly IReadOnlyList<(string Key, string Value)> Tunables =
    [
        ("glibc.malloc.arena_max", "1"),
        ("glibc.malloc.mmap_max", "0"),
        ("glibc.malloc.trim_threshold", "0x7fffffffffffffff"),
        ("glibc.malloc.top_pad", TopPadBytes.ToString()),
    ];

    // glibc mallopt parameters (malloc.h).
    private const int M_TRIM_THRESHOLD = -1, M_TOP_PAD = -2, M_MMAP_MAX = -4;

    /// <summary>
    /// The same settings as far as mallopt reaches once the process runs (all but the arena count): enough
    /// for the main thread's heap. Processes that do not start through `wm`'s Main (test hosts) run untuned.
    /// </summary>
    public static void TuneInProcess()
    {
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            // mallopt returns 0 when it rejects a value; a rejected tuning only costs speed, so none is checked.
            _ = MallOpt(M_MMAP_MAX, 0);          // big blocks from the heap, not fresh mmaps per step
            _ = MallOpt(M_TRIM_THRESHOLD, -1);   // never hand freed memory back (-1: no trimming at all;
                                                 // int.MaxValue still trimmed past 2 GiB)
            _ = MallOpt(M_TOP_PAD, TopPadBytes); // grow the heap in large steps
        }
        catch (DllNotFoundException) { }      // not glibc (e.g. musl): run untuned
        catch (EntryPointNotFoundException) { }
    }

    /// <summary>
    /// <paramref name="existing"/> (a GLIBC_TUNABLES value, or null) with each of <see cref="Tunables"/>
    /// it lacks appended; a key the user set keeps the user's value. Null when nothing is missing.
    /// </summary>
    public static string? WithTunables(string? existing)
    {
        var present = (existing ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(entry => entry.Split('=', 2)[0].Trim())
            .ToHashSet(StringComparer.Ordinal);
        var missing = Tunables.Where(t => !present.Contains(t.Key)).Select(t => $"{t.Key}={t.Value}").ToList();
        if (missing.Count == 0) return null;
        return string.Join(':', new[] { existing }.Where(s => !string.IsNullOrEmpty(s)).Concat(missing));
    }

    /// <summary>Whether this process runs on glibc (where the tunables mean anything).</summary>
    public static bool IsGlibc
    {
        get
        {
            if (!OperatingSystem.IsLinux()) return false;
            try { return GnuGetLibcVersion() != 0; }
            catch (DllNotFoundException) { return false; }
            catch (EntryPointNotFoundException) { return false; }
        }
    }

    /// <summary>
    /// Call first thing in Main. On glibc, when GLIBC_TUNABLES lacks any of <see cref="Tunables"/>,
    /// replaces this process with itself (execve of /proc/self/exe with the same argv) and the tunables
    /// added; does not return then. Returns (and the in-process mallopt tuning still applies) when not on
    /// glibc, when nothing is missing, or when the exec fails.
    /// </summary>
    public static void ReexecWithTunables()
    {
        if (!IsGlibc) return;
        var tunables = WithTunables(Environment.GetEnvironmentVariable(Variable));
        if (tunables is null) return;
        string[] argv;
        try
        {
            // NUL-terminated arguments: drop the one final NUL only, so a trailing empty argument ("") survives.
            var cmdline = Encoding.UTF8.GetString(File.ReadAllBytes("/proc/self/cmdline"));
            argv = (cmdline.EndsWith('\0') ? cmdline[..^1] : cmdline).Split('\0');
        }
        catch (IOException) { return; }
        catch (UnauthorizedAccessException) { return; }
        if (argv.Length == 0 || argv[0].Length == 0) return;

        var env = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .Where(e => (string)e.Key is not (Variable or UserVariable))
            .Select(e => $"{e.Key}={e.Value}")
            .Append($"{Variable}={tunables}")
            .Append($"{UserVariable}={Environment.GetEnvironmentVariable(Variable)}")
            .ToArray();
        Exec("/proc/self/exe", argv, env); // returns only on failure: run on with the in-process settings
    }

    /// <summary>What a benchmark should print about the allocator.</summary>
    public static string Describe()
    {
        if (!IsGlibc) return "not glibc: system allocator, untuned";
        string version = Marshal.PtrToStringUTF8(GnuGetLibcVersion()) ?? "?";
        var set = Environment.GetEnvironmentVariable(Variable);
        return WithTunables(set) is null
            ? $"glibc {version}, {Variable}={set}"
            : $"glibc {version}, tuned in-process only (mallopt; {Variable} lacks some of wm's settings, " +
                "so threads keep their own arenas)";
    }

    private static unsafe void Exec(string path, string[] argv, string[] env)
    {
        var owned = new List<nint>();
        nint Utf8(string s)
        {
            var p = Marshal.StringToCoTaskMemUTF8(s);
            owned.Add(p);
            return p;
        }
        try
        {
            var args = argv.Select(Utf8).Append(0).ToArray();
            var envp = env.Select(Utf8).Append(0).ToArray();
            fixed (nint* a = args, e = envp) ExecVe(path, a, e);
        }
        finally
        {
            foreach (var p in owned) Marshal.FreeCoTaskMem(p);
        }
    }

    [LibraryImport("libc", EntryPoint = "execve", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int ExecVe(string path, nint* argv, nint* envp);

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int MallOpt(int parameter, int value);

    [LibraryImport("libc", EntryPoint = "gnu_get_libc_version")]
    private static partial nint GnuGetLibcVersion();
}
