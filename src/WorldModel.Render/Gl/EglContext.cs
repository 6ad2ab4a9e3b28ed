namespace WorldModel.Render.Gl;

/// <summary>
/// A headless OpenGL 4.3 core context made current on the calling thread, with no surface
/// (rendering goes to framebuffer objects). Displays are tried in the order that works on GPU
/// servers and on CPU-only machines: EGL devices (hardware before Mesa's software device),
/// then Mesa's surfaceless platform, then the default display.
/// </summary>
internal sealed unsafe class EglContext : IDisposable
{
    private readonly nint _display;
    private readonly nint _context;

    public EglContext()
    {
        var tried = new List<string>();
        try
        {
            foreach (var (name, display) in CandidateDisplays(tried))
            {
                if (Egl.Initialize(display, out _, out _) == 0)
                {
                    tried.Add($"{name}: eglInitialize failed (0x{Egl.GetError():X})");
                    continue;
                }
                if (Egl.BindApi(Egl.OpenGlApi) == 0)
                {
                    tried.Add($"{name}: desktop OpenGL not offered (0x{Egl.GetError():X})");
                    continue;
                }
                var context = CreateContext(display, out var why);
                if (context == 0) { tried.Add($"{name}: {why}"); continue; }
                if (Egl.MakeCurrent(display, 0, 0, context) == 0)
                {
                    tried.Add($"{name}: eglMakeCurrent without a surface failed (0x{Egl.GetError():X})");
                    _ = Egl.DestroyContext(display, context); // best effort: the next candidate is tried either way
                    continue;
                }
                _display = display;
                _context = context;
                DisplayName = name;
                return;
            }
        }
        catch (DllNotFoundException e)
        {
            throw new GlUnavailableException($"libEGL.so.1 was not found. {GlUnavailableException.InstallHint}", e);
        }
        catch (EntryPointNotFoundException e)
        {
            throw new GlUnavailableException(
                $"libEGL.so.1 lacks a needed function ({e.Message}). {GlUnavailableException.InstallHint}", e);
        }
        throw new GlUnavailableException(
            $"no EGL display gave an OpenGL 4.3 core context (tried: {string.Join("; ", tried)}). " +
            $"{GlUnavailableException.InstallHint}");
    }

    public string DisplayName { get; } = "";

    public static nint ProcAddress(string name) => Egl.GetProcAddress(name);

    private static List<(string Name, nint Display)> CandidateDisplays(List<string> tried)
    {
        var result = new List<(string Name, nint Display)>();
        var getPlatformDisplay = Egl.GetPlatformDisplay;
        var queryDevices = Egl.QueryDevices;
        var queryDeviceString = Egl.QueryDeviceString;
        if (getPlatformDisplay is not null && queryDevices is not null)
        {
            var devices = new nint[16];
            int count;
            fixed (nint* p = devices)
                if (queryDevices(devices.Length, p, &count) == 0) count = 0;
            var ordered = devices.Take(count)
                .Select(d => (Device: d, Software: queryDeviceString is not null
                    && (Egl.String(queryDeviceString(d, Egl.Extensions)) ?? "").Contains("EGL_MESA_device_software")))
                .OrderBy(d => d.Software)
                .ToList();
            if (ordered.Count == 0) tried.Add("EGL device platform: no devices");
            for (int k = 0; k < ordered.Count; k++)
            {
                var display = getPlatformDisplay(Egl.PlatformDevice, ordered[k].Device, null);
                if (display != 0) result.Add(($"EGL device {k}{(ordered[k].Software ? " (software)" : "")}", display));
                else tried.Add($"EGL device {k}: no display (0x{Egl.GetError():X})");
            }
        }
        else tried.Add("EGL device platform: not offered");

        if (getPlatformDisplay is not null)
        {
            var surfaceless = getPlatformDisplay(Egl.PlatformSurfacelessMesa, 0, null);
            if (surfaceless != 0) result.Add(("Mesa surfaceless", surfaceless));
            else tried.Add("Mesa surfaceless: not offered");
        }
        var fallback = Egl.GetDisplay(0);
        if (fallback != 0) result.Add(("default display", fallback));
        else tried.Add("default display: none");
        return result;
    }

    private static nint CreateContext(nint display, out string why)
    {
        int[] contextAttribs =
            [Egl.ContextMajor, 4, Egl.ContextMinor, 3, Egl.ContextProfileMask, Egl.CoreProfileBit, Egl.None];
        // A pbuffer-capable config first (what worked on Mesa here); else any desktop-GL config.
        int[][] configAttribs =
        [
            [Egl.SurfaceType, Egl.PbufferBit, Egl.RenderableType, Egl.OpenGlBit,
                Egl.RedSize, 8, Egl.GreenSize, 8, Egl.BlueSize, 8, Egl.None],
            [Egl.RenderableType, Egl.OpenGlBit, Egl.None],
        ];
        foreach (var attribs in configAttribs)
        {
            var configs = new nint[1];
            if (Egl.ChooseConfig(display, attribs, configs, 1, out int n) == 0 || n == 0) continue;
            var context = Egl.CreateContext(display, configs[0], 0, contextAttribs);
            if (context != 0) { why = ""; return context; }
        }
        why = $"no config gave an OpenGL 4.3 core context (0x{Egl.GetError():X})";
        return 0;
    }

    public void Dispose()
    {
        // The display is process-wide (eglTerminate would break other renderers); only the context goes.
        if (_context != 0)
        {
            // Best effort while disposing: a failure leaves nothing the process could act on.
            _ = Egl.MakeCurrent(_display, 0, 0, 0);
            _ = Egl.DestroyContext(_display, _context);
        }
    }
}
