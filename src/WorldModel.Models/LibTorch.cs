using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using TorchSharp;

namespace WorldModel.Models;

/// <summary>
/// Where libtorch comes from, by the backend this build was made with (<c>-p:TorchBackend=</c>, see
/// docs/internals.md): <c>cpu</c> and <c>cuda</c> copy it from NuGet packages into the build output, where
/// TorchSharp finds it by itself; <c>external</c> ships TorchSharp alone and loads libtorch from an installed
/// PyTorch of the version TorchSharp was built for, named by <c>--libtorch</c> or <see cref="DirectoryVariable"/>.
/// </summary>
/// <remarks>
/// How the external backend loads. TorchSharp 0.107 first calls NativeLibrary.TryLoad("torch_cpu" or
/// "torch_cuda", its assembly) and then "LibTorchSharp"; its P/Invokes name "LibTorchSharp". .NET asks a
/// DllImportResolver set on the TorchSharp assembly for the P/Invokes only: TryLoad by name probes the host's native
/// folders (NATIVE_DLL_SEARCH_DIRECTORIES) and, when that fails, raises AssemblyLoadContext.ResolvingUnmanagedDll
/// (both seen on .NET 10 here). So both are hooked, and each goes through <see cref="EnsureLoaded"/>: it checks the
/// install's version first, loads libtorch.so, libtorch_cpu.so (and libtorch_cuda.so when present) by full path,
/// then the shim libLibTorchSharp.so from the app's native folder with every symbol bound at once (RTLD_NOW), so a
/// libtorch that lacks one fails here, naming it, not at some later call. The shim's DT_NEEDED entries
/// (libtorch.so, libc10.so, libtorch_cpu.so) are met by the libraries already loaded, matched by their sonames,
/// which pip's and libtorch's own builds leave unversioned (Debian's are versioned: libtorch_cpu.so.1.13).
/// </remarks>
public static partial class LibTorch
{
    /// <summary>The environment variable naming an installed PyTorch's torch/lib folder (external backend).</summary>
    public const string DirectoryVariable = "WM_LIBTORCH";

    /// <summary>
    /// Set to 1 to load a libtorch whose version differs from (or cannot be read beside) the expected one.
    /// </summary>
    public const string ForceVariable = "WM_LIBTORCH_FORCE";

    private static readonly Lock Gate = new();
    private static string? _directory;
    private static bool _resolverSet;
    private static Loaded? _loaded;

    /// <summary>What the external backend loaded: the folder, the version read beside it, and the handles.</summary>
    private sealed record Loaded(string Directory, string Version, nint Cpu, nint Cuda, nint Shim);

    /// <summary>The backend this build was made with: cpu, cuda or external.</summary>
    public static string Backend => Metadata("TorchBackend");

    /// <summary>
    /// Where this build's libtorch comes from: nuget (a package copied into the output), external (an installed
    /// PyTorch), or none (a cuda build made without the TorchSharp-cuda-linux package: it compiles, cannot run torch).
    /// </summary>
    public static string Natives => Metadata("TorchNatives");

    /// <summary>The libtorch version TorchSharp 0.107 was built against (and the only one it runs with).</summary>
    public static string ExpectedVersion => Metadata("LibTorchVersion");

    /// <summary>TorchSharp's own version, e.g. 0.107.0.</summary>
    public static string TorchSharpVersion =>
        typeof(torch).Assembly.GetName().Version is { } v ? $"{v.Major}.{v.Minor}.{v.Build}" : "unknown";

    /// <summary>The external backend's folder: <c>--libtorch</c>, else <see cref="DirectoryVariable"/>.</summary>
    public static string? Directory => _directory ?? NonEmpty(Environment.GetEnvironmentVariable(DirectoryVariable));

    /// <summary>The first failure to load libtorch, kept so that TorchSharp's wrapping of it can be replaced.</summary>
    public static LibTorchException? Failure { get; private set; }

    /// <summary>
    /// Call once at start, before any torch call: names the external backend's folder (null: the variable's) and,
    /// in an external build, makes TorchSharp's native loads go through <see cref="EnsureLoaded"/>. The folder is
    /// also exported as <see cref="DirectoryVariable"/>, so processes `wm` starts (Slurm jobs) load the same one.
    /// </summary>
    public static void Configure(string? directory)
    {
        lock (Gate)
        {
            if (NonEmpty(directory) is { } given)
            {
                _directory = Path.GetFullPath(given);
                Environment.SetEnvironmentVariable(DirectoryVariable, _directory);
            }
            if (Backend != "external" || _resolverSet) return;
            NativeLibrary.SetDllImportResolver(typeof(torch).Assembly, Resolve);
            System.Runtime.Loader.AssemblyLoadContext.Default.ResolvingUnmanagedDll += (assembly, name) =>
                assembly == typeof(torch).Assembly ? Resolve(name, assembly, null) : 0;
            _resolverSet = true;
        }
    }

    /// <summary>
    /// Makes sure this build's libtorch can be used, before the first torch call: in an external build loads it
    /// (checked, see the remarks on <see cref="LibTorch"/>); in a cuda build made without its package, and when a
    /// folder is named for a build that brings its own libtorch, fails with what to do.
    /// </summary>
    /// <exception cref="LibTorchException">libtorch is missing, of another version, or did not load.</exception>
    public static void EnsureLoaded()
    {
        lock (Gate)
        {
            if (Failure is { } failed) throw failed;
            try
            {
                switch (Backend, Natives)
                {
                    case ("external", _):
                        Configure(null);
                        _loaded ??= LoadExternal();
                        break;
                    case ("cuda", "none"):
                        throw new LibTorchException(
                            "this wm was built with -p:TorchBackend=cuda but without the TorchSharp-cuda-linux " +
                            $"{TorchSharpVersion} package (it was not in the NuGet cache when wm was built), so " +
                            "it has no libtorch. Rebuild where nuget.org is reachable with " +
                            "-p:TorchBackend=cuda -p:TorchCudaRestore=true, or build with -p:TorchBackend=external " +
                            $"and point {DirectoryVariable} at the torch/lib folder of a PyTorch {ExpectedVersion} " +
                            $"install (pip install torch=={ExpectedVersion})");
                    default:
                        if (Directory is { } dir)
                            throw new LibTorchException(
                                $"{DirectoryVariable} (or --libtorch) names {dir}, but this wm was built with the " +
                                $"{Backend} backend, which brings its own libtorch; build with " +
                                $"-p:TorchBackend=external to use an installed PyTorch, or unset {DirectoryVariable}");
                        break;
                }
            }
            catch (LibTorchException e)
            {
                Failure = e;
                throw;
            }
        }
    }

    /// <summary>
    /// The libtorch this process has loaded: version and path of its libtorch_cpu.so (read from /proc/self/maps),
    /// or why none is loaded.
    /// </summary>
    public static string DescribeLoaded()
    {
        string? path = MappedLibrary("libtorch_cpu.so");
        if (path is null) return "not loaded";
        string version = _loaded?.Version
            ?? InstalledVersion(Path.GetDirectoryName(path)!)?.Version
            ?? (Natives == "nuget" ? $"{ExpectedVersion} (from the NuGet package)" : "unknown version");
        return $"{version} at {path}";
    }

    /// <summary>
    /// The version of the PyTorch or libtorch install whose lib folder is <paramref name="directory"/>:
    /// <c>__version__</c> of torch/version.py beside a pip install's torch/lib, or the build-version file beside a
    /// libtorch download's lib. Null when neither exists.
    /// </summary>
    public static (string Version, string File)? InstalledVersion(string directory)
    {
        string parent = Path.GetDirectoryName(Path.GetFullPath(directory).TrimEnd('/')) ?? directory;
        string versionPy = Path.Combine(parent, "version.py");
        if (File.Exists(versionPy)
            && VersionAssignment().Match(File.ReadAllText(versionPy)) is { Success: true } m)
            return (m.Groups[1].Value, versionPy);
        string buildVersion = Path.Combine(parent, "build-version");
        if (File.Exists(buildVersion)
            && File.ReadLines(buildVersion).FirstOrDefault()?.Trim() is { Length: > 0 } line)
            return (line, buildVersion);
        return null;
    }

    /// <summary>
    /// Whether <paramref name="installed"/> (e.g. 2.10.0+cu128) is <paramref name="expected"/> (e.g. 2.10.0):
    /// the same major.minor.patch; a local build tag after '+' does not matter.
    /// </summary>
    public static bool SameRelease(string installed, string expected) =>
        ReleasePart().Match(installed) is { Success: true } m && m.Value == expected;

    /// <summary>
    /// Checks <paramref name="directory"/> as an external libtorch for this build: it exists, holds
    /// libtorch_cpu.so, and its install is <see cref="ExpectedVersion"/> (unless <paramref name="force"/>).
    /// Returns the version read (or "unknown").
    /// </summary>
    /// <exception cref="LibTorchException">The message names the folder, both versions and what to install.</exception>
    public static string Check(string directory, bool force)
    {
        string install = $"pip install torch=={ExpectedVersion} (CPU: --index-url " +
            $"https://download.pytorch.org/whl/cpu) and set {DirectoryVariable} to its torch/lib, e.g. " +
            "$(python3 -c 'import torch,os;print(os.path.join(os.path.dirname(torch.__file__),\"lib\"))')";
        if (!System.IO.Directory.Exists(directory))
            throw new LibTorchException($"{DirectoryVariable}={directory}: no such folder; {install}");
        if (!File.Exists(Path.Combine(directory, "libtorch_cpu.so")))
            throw new LibTorchException(
                $"{DirectoryVariable}={directory} holds no libtorch_cpu.so: name the lib folder of a PyTorch " +
                $"install (site-packages/torch/lib) or of a libtorch download (libtorch/lib); {install}");
        var found = InstalledVersion(directory);
        if (found is null)
        {
            if (force) return "unknown";
            throw new LibTorchException(
                $"cannot tell which libtorch {directory} holds: neither ../version.py (a pip install's torch/) nor " +
                $"../build-version (a libtorch download) is beside it, and TorchSharp {TorchSharpVersion} runs only " +
                $"with libtorch {ExpectedVersion}. Set {ForceVariable}=1 to load it unchecked, or {install}");
        }
        var (version, file) = found.Value;
        if (!force && !SameRelease(version, ExpectedVersion))
            throw new LibTorchException(
                $"{directory} holds libtorch {version} (from {file}), but this wm's TorchSharp " +
                $"{TorchSharpVersion} was built for libtorch {ExpectedVersion} and needs exactly that release " +
                $"(its native shim binds to libtorch's C++ symbols); {install}. {ForceVariable}=1 loads it anyway, " +
                "to see the first symbol that is missing");
        return version;
    }

    private static Loaded LoadExternal()
    {
        string dir = Directory ?? throw new LibTorchException(
            $"this wm was built with -p:TorchBackend=external: it needs an installed PyTorch {ExpectedVersion}. " +
            $"Pass --libtorch /path/to/site-packages/torch/lib or set {DirectoryVariable} to that folder " +
            $"(pip install torch=={ExpectedVersion})");
        bool force = Environment.GetEnvironmentVariable(ForceVariable) is "1" or "true";
        string version = Check(dir, force);
        // libtorch.so first: a CUDA build of it needs libtorch_cuda.so, which pulls in the CUDA libraries through
        // its own RUNPATH (pip's nvidia-* packages).
        Open(Path.Combine(dir, "libtorch.so"), version, dir);
        nint cpu = Open(Path.Combine(dir, "libtorch_cpu.so"), version, dir);
        string cudaPath = Path.Combine(dir, "libtorch_cuda.so");
        nint cuda = File.Exists(cudaPath) ? Open(cudaPath, version, dir) : 0;
        string shimPath = ShimPath() ?? throw new LibTorchException(
            "libLibTorchSharp.so (TorchSharp's native shim) is not in this app's native folders " +
            $"({string.Join(", ", NativeSearchDirectories())}); rebuild or republish wm");
        nint shim = Open(shimPath, version, dir);
        return new Loaded(dir, version, cpu, cuda, shim);
    }

    /// <summary>
    /// TorchSharp's native loads (its P/Invokes, and its TryLoad calls once probing failed): the names it asks for
    /// are answered from the external folder.
    /// </summary>
    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name is not ("LibTorchSharp" or "torch_cpu" or "torch_cuda")) return 0;
        EnsureLoaded(); // a failure is kept in Failure: TorchSharp folds the exception into a message of its own
        var loaded = _loaded!;
        return name switch { "LibTorchSharp" => loaded.Shim, "torch_cpu" => loaded.Cpu, _ => loaded.Cuda };
    }

    /// <summary>The folders the host probes for native libraries (app folder; runtimes/RID/native).</summary>
    private static string[] NativeSearchDirectories() =>
        (AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") as string ?? AppContext.BaseDirectory)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);

    private static string? ShimPath() =>
        NativeSearchDirectories().Select(d => Path.Combine(d, "libLibTorchSharp.so")).FirstOrDefault(File.Exists);

    /// <summary>
    /// dlopen with every symbol bound now (RTLD_NOW): .NET's own loads bind lazily (RTLD_LAZY), so a missing
    /// function would only show, as a crash, when first called.
    /// </summary>
    private static nint Open(string path, string version, string dir)
    {
        const int RtldNow = 2;
        // dlerror keeps only the last error, and binding a P/Invoke stub on its first call goes through dlsym: call
        // it once before dlopen, so the message read after a failure is dlopen's.
        _ = DlError();
        nint handle = DlOpen(path, RtldNow);
        if (handle != 0) return handle;
        string why = Marshal.PtrToStringUTF8(DlError()) ?? "unknown error";
        throw new LibTorchException(
            $"{Path.GetFileName(path)} did not load against libtorch {version} from {dir}: {why}" +
            (why.Contains("undefined symbol", StringComparison.Ordinal)
                ? $" (the first symbol TorchSharp {TorchSharpVersion}'s shim needs that this libtorch lacks; " +
                    $"it was built for libtorch {ExpectedVersion})"
                : ""));
    }

    /// <summary>The path of a mapped library whose file name starts <paramref name="fileName"/>, or null.</summary>
    internal static string? MappedLibrary(string fileName)
    {
        try
        {
            return File.ReadLines("/proc/self/maps")
                .Select(line => line.IndexOf('/') is var at and >= 0 ? line[at..] : null)
                .FirstOrDefault(p =>
                    p is not null && Path.GetFileName(p).StartsWith(fileName, StringComparison.Ordinal));
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    private static string Metadata(string key) =>
        typeof(LibTorch).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == key)?.Value ?? "unknown";

    private static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;

    [GeneratedRegex(@"__version__\s*=\s*['""]([^'""]+)['""]")]
    private static partial Regex VersionAssignment();

    [GeneratedRegex(@"^\d+\.\d+\.\d+")]
    private static partial Regex ReleasePart();

    // libdl.so.2: where glibc before 2.34 keeps dlopen; later glibc keeps the name, forwarding to libc.
    [LibraryImport("libdl.so.2", EntryPoint = "dlopen", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint DlOpen(string path, int flags);

    [LibraryImport("libdl.so.2", EntryPoint = "dlerror")]
    private static partial nint DlError();
}

/// <summary>libtorch is missing, of another version than TorchSharp's, or did not load; the message says why.</summary>
public sealed class LibTorchException(string message) : Exception(message);
