using System.Runtime.InteropServices;

namespace WorldModel.Render.Gl;

/// <summary>
/// The handful of EGL entry points needed for a headless context (libEGL.so.1 from Debian's libegl1).
/// </summary>
internal static unsafe partial class Egl
{
    private const string Lib = "libEGL.so.1";

    public const int None = 0x3038, Extensions = 0x3055, Vendor = 0x3053;
    public const int SurfaceType = 0x3033, PbufferBit = 0x0001, RenderableType = 0x3040, OpenGlBit = 0x0008;
    public const int RedSize = 0x3024, GreenSize = 0x3023, BlueSize = 0x3022;
    public const int ContextMajor = 0x3098, ContextMinor = 0x30FB, ContextProfileMask = 0x30FD, CoreProfileBit = 0x1;
    public const uint OpenGlApi = 0x30A2;
    public const uint PlatformDevice = 0x313F, PlatformSurfacelessMesa = 0x31DD;
    public const int Success = 0x3000;

    [LibraryImport(Lib, EntryPoint = "eglGetProcAddress", StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint GetProcAddress(string name);

    [LibraryImport(Lib, EntryPoint = "eglGetDisplay")]
    public static partial nint GetDisplay(nint nativeDisplay);

    [LibraryImport(Lib, EntryPoint = "eglInitialize")]
    public static partial int Initialize(nint display, out int major, out int minor);

    [LibraryImport(Lib, EntryPoint = "eglBindAPI")]
    public static partial int BindApi(uint api);

    [LibraryImport(Lib, EntryPoint = "eglChooseConfig")]
    public static partial int ChooseConfig(nint display, int[] attribs, nint[] configs, int size, out int count);

    [LibraryImport(Lib, EntryPoint = "eglCreateContext")]
    public static partial nint CreateContext(nint display, nint config, nint share, int[] attribs);

    [LibraryImport(Lib, EntryPoint = "eglMakeCurrent")]
    public static partial int MakeCurrent(nint display, nint draw, nint read, nint context);

    [LibraryImport(Lib, EntryPoint = "eglDestroyContext")]
    public static partial int DestroyContext(nint display, nint context);

    [LibraryImport(Lib, EntryPoint = "eglGetError")]
    public static partial int GetError();

    [LibraryImport(Lib, EntryPoint = "eglQueryString")]
    public static partial nint QueryString(nint display, int name);

    public static string? String(nint p) => p == 0 ? null : Marshal.PtrToStringUTF8(p);

    /// <summary>Extension entry points come through eglGetProcAddress; a null pointer means "not offered".</summary>
    public static delegate* unmanaged<int, nint*, int*, int> QueryDevices =>
        (delegate* unmanaged<int, nint*, int*, int>)GetProcAddress("eglQueryDevicesEXT");

    public static delegate* unmanaged<nint, int, nint> QueryDeviceString =>
        (delegate* unmanaged<nint, int, nint>)GetProcAddress("eglQueryDeviceStringEXT");

    public static delegate* unmanaged<uint, nint, int*, nint> GetPlatformDisplay =>
        (delegate* unmanaged<uint, nint, int*, nint>)GetProcAddress("eglGetPlatformDisplayEXT");
}
