using Silk.NET.OpenGL;

namespace WorldModel.Render.Gl;

/// <summary>
/// Renders many worlds per draw call on an offscreen EGL context: one instanced full-frame quad per
/// world into one layer of an integer texture array, shapes as per-instance attributes. A batch is
/// drawn in chunks of <see cref="ChunkLayers"/> layers into two texture arrays in turn; each chunk is
/// read back into a pixel buffer object of its own while the next chunk draws, and copied out once its
/// fence has passed. All GL state lives on a private thread.
/// </summary>
/// <remarks>
/// Why chunks and pixel buffers: on NVIDIA's driver a plain glGetTexImage into client memory cost ~30 µs a
/// frame whatever the batch size (docs/benchmarks.md): the driver copies synchronously through its own
/// staging. A read into a buffer object returns at once and lets the GPU copy while it draws the next
/// chunk; the CPU then reads the mapped buffer once the fence says the copy is done.
/// </remarks>
public sealed unsafe class GlRenderer : IRenderer
{
    /// <summary>
    /// Layers drawn and read back per chunk: big enough that per-call costs vanish (4 MiB of RGBA at 64×64),
    /// small enough that a batch of 1,024 overlaps drawing and reading in four chunks.
    /// </summary>
    public const int ChunkLayers = 256;

    private readonly GlThread _thread = new();
    private readonly Slot[] _slots = [new(), new()];
    private EglContext? _egl;
    private GL? _gl;
    private uint _program, _vao, _shapeBuffer;
    private int _chunkLayers;

    /// <summary>A texture array, its framebuffer, the pixel buffer it is read into, and that read's fence.</summary>
    private sealed class Slot
    {
        public uint Texture, Framebuffer, PixelBuffer;
        public nint Fence;
        public int Count;
        public byte* Destination;
        public bool Pending => Fence != 0;
    }

    public GlRenderer(FrameFormat format)
    {
        Format = format;
        try
        {
            if (format.Motion)
                throw new ArgumentException("draws single frames; RendererFactory.Create adds motion", nameof(format));
            Name = _thread.Invoke(Initialise);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Name { get; }
    public FrameFormat Format { get; }

    private string Initialise()
    {
        _egl = new EglContext();
        var gl = _gl = GL.GetApi(EglContext.ProcAddress);
        string renderer = gl.GetStringS(StringName.Renderer) ?? "unknown";
        string version = gl.GetStringS(StringName.Version) ?? "unknown";

        int extensionCount = gl.GetInteger(GetPName.NumExtensions);
        var extensions = new HashSet<string>();
        for (uint i = 0; i < extensionCount; i++) extensions.Add(gl.GetStringS(StringName.Extensions, i) ?? "");
        if (!extensions.Contains("GL_ARB_shader_viewport_layer_array"))
            throw new GlUnavailableException(
                $"the OpenGL driver ({renderer}) lacks GL_ARB_shader_viewport_layer_array, " +
                "needed to draw many worlds per call; use render.renderer=cpu");

        _program = Link(gl, (ShaderType.VertexShader, Shaders.Vertex), (ShaderType.FragmentShader, Shaders.Fragment));
        gl.UseProgram(_program);
        gl.Uniform1(gl.GetUniformLocation(_program, "uRgb"), Format.Layout == ObservationLayout.Rgb ? 1 : 0);
        int Source(int channel) => channel < Format.Kinds.Length
            ? Format.Kinds[channel] switch { ShapeKind.Agent => 0, ShapeKind.Walls => 1, _ => 2 }
            : -1;
        gl.Uniform3(gl.GetUniformLocation(_program, "uSource"), Source(0), Source(1), Source(2));
        SetColour(gl, "uBackground", Shading.Background);
        SetColour(gl, "uWall", Shading.Wall);
        SetColour(gl, "uBall", Shading.Ball);
        SetColour(gl, "uAgent", Shading.Agent);

        // Per-instance attributes: slot k of world i is attribute k of instance i.
        _vao = gl.GenVertexArray();
        _shapeBuffer = gl.GenBuffer();
        gl.BindVertexArray(_vao);
        gl.BindBuffer(BufferTargetARB.ArrayBuffer, _shapeBuffer);
        for (uint k = 0; k < SceneBatch.SlotsPerWorld; k++)
        {
            gl.EnableVertexAttribArray(k);
            gl.VertexAttribPointer(k, 4, VertexAttribPointerType.Float, false,
                SceneBatch.FloatsPerWorld * sizeof(float), (void*)(k * 4 * sizeof(float)));
            gl.VertexAttribDivisor(k, 1);
        }
        // A chunk's layers are read with glGetTextureSubImage (OpenGL 4.5), so a short last chunk reads only
        // the layers it drew.
        int major = gl.GetInteger(GetPName.MajorVersion), minor = gl.GetInteger(GetPName.MinorVersion);
        if (major * 10 + minor < 45 && !extensions.Contains("GL_ARB_get_texture_sub_image"))
            throw new GlUnavailableException(
                $"the OpenGL driver ({renderer}, OpenGL {major}.{minor}) lacks glGetTextureSubImage " +
                "(OpenGL 4.5 or GL_ARB_get_texture_sub_image), needed to read frames back; use render.renderer=cpu");
        _chunkLayers = Math.Min(ChunkLayers, gl.GetInteger(GetPName.MaxArrayTextureLayers));
        foreach (var slot in _slots) CreateSlot(gl, slot);
        CheckError(gl, "initialisation");
        return $"gl ({renderer}; OpenGL {version.Split(' ')[0]}; {_egl.DisplayName})";
    }

    private void SetColour(GL gl, string name, float[] rgb) =>
        gl.Uniform3(gl.GetUniformLocation(_program, name), rgb[0], rgb[1], rgb[2]);

    private static uint Link(GL gl, params (ShaderType Type, string Source)[] stages)
    {
        uint program = gl.CreateProgram();
        var shaders = new List<uint>();
        foreach (var (type, source) in stages)
        {
            uint shader = gl.CreateShader(type);
            gl.ShaderSource(shader, source);
            gl.CompileShader(shader);
            gl.GetShader(shader, ShaderParameterName.CompileStatus, out int ok);
            if (ok == 0)
                throw new GlUnavailableException(
                    $"the {type} did not compile on this driver: {gl.GetShaderInfoLog(shader)}");
            gl.AttachShader(program, shader);
            shaders.Add(shader);
        }
        gl.LinkProgram(program);
        gl.GetProgram(program, ProgramPropertyARB.LinkStatus, out int linked);
        if (linked == 0)
            throw new GlUnavailableException(
                $"the shaders did not link on this driver: {gl.GetProgramInfoLog(program)}");
        foreach (var s in shaders) gl.DeleteShader(s);
        return program;
    }

    public void Render(SceneBatch scenes, Span<byte> frames)
    {
        int bpf = Format.BytesPerFrame;
        if (frames.Length < scenes.Count * bpf)
            throw new ArgumentException(
                $"frame buffer holds {frames.Length} bytes; {scenes.Count} frames need {scenes.Count * bpf}");
        if (scenes.Count == 0) return;
        fixed (byte* p = frames)
        {
            nint ptr = (nint)p;
            _thread.Invoke(() =>
            {
                try
                {
                    RenderChunks(scenes, (byte*)ptr);
                }
                finally
                {
                    // After an error no read-back may write into the caller's buffer later.
                    foreach (var slot in _slots) Abandon(_gl!, slot);
                }
            });
        }
    }

    /// <summary>
    /// Draws chunk c into slot c mod 2 and starts its read-back; before a slot is drawn into again, its previous
    /// chunk is copied out. So chunk c draws while chunk c − 1 is read.
    /// </summary>
    private void RenderChunks(SceneBatch scenes, byte* destination)
    {
        var gl = _gl!;
        int bpf = Format.BytesPerFrame, count = scenes.Count;
        // Every world's shapes in one upload; each chunk's draw starts at its first world (base instance).
        gl.BindBuffer(BufferTargetARB.ArrayBuffer, _shapeBuffer);
        fixed (float* shapes = scenes.Shapes)
            gl.BufferData(BufferTargetARB.ArrayBuffer, (nuint)(count * SceneBatch.FloatsPerWorld * sizeof(float)),
                shapes, BufferUsageARB.StreamDraw);
        gl.Viewport(0, 0, (uint)Format.Size, (uint)Format.Size);
        gl.UseProgram(_program);
        gl.BindVertexArray(_vao);

        int chunk = 0;
        for (int from = 0; from < count; from += _chunkLayers, chunk++)
        {
            var slot = _slots[chunk % 2];
            if (slot.Pending) CopyOut(gl, slot);
            int n = Math.Min(_chunkLayers, count - from);
            gl.BindFramebuffer(FramebufferTarget.Framebuffer, slot.Framebuffer);
            gl.DrawArraysInstancedBaseInstance(PrimitiveType.TriangleStrip, 0, 4, (uint)n, (uint)from);
            StartReadBack(gl, slot, n, destination + (long)from * bpf);
        }
        // The older of the two chunks still in flight first.
        CopyOut(gl, _slots[chunk % 2]);
        CopyOut(gl, _slots[(chunk + 1) % 2]);
        CheckError(gl, "rendering");
    }

    /// <summary>
    /// Queues the copy of the slot's first <paramref name="count"/> layers into its pixel buffer, in the texture's
    /// own RGBA layout (asking the driver for fewer channels sends it down a conversion path: on NVIDIA ~40 µs a
    /// frame), and a fence after it.
    /// </summary>
    private void StartReadBack(GL gl, Slot slot, int count, byte* destination)
    {
        int size = Format.Size;
        gl.BindBuffer(BufferTargetARB.PixelPackBuffer, slot.PixelBuffer);
        gl.PixelStore(PixelStoreParameter.PackAlignment, 1);
        gl.GetTextureSubImage(slot.Texture, 0, 0, 0, 0, (uint)size, (uint)size, (uint)count,
            PixelFormat.RgbaInteger, PixelType.UnsignedByte, (uint)(count * size * size * 4), (void*)0);
        gl.BindBuffer(BufferTargetARB.PixelPackBuffer, 0);
        slot.Fence = gl.FenceSync(SyncCondition.SyncGpuCommandsComplete, SyncBehaviorFlags.None);
        slot.Count = count;
        slot.Destination = destination;
        gl.Flush(); // start the GPU on it now, not when someone first waits
    }

    /// <summary>Waits for the slot's read-back and copies its frames out, less the channels the format lacks.</summary>
    private void CopyOut(GL gl, Slot slot)
    {
        if (!slot.Pending) return;
        var status = gl.ClientWaitSync(slot.Fence, SyncObjectMask.Bit, ulong.MaxValue);
        if (status is not (GLEnum.AlreadySignaled or GLEnum.ConditionSatisfied))
            throw new InvalidOperationException($"OpenGL read-back did not complete: glClientWaitSync gave {status}");
        gl.DeleteSync(slot.Fence);
        slot.Fence = 0;
        int channels = Format.Channels, pixels = slot.Count * Format.Size * Format.Size;
        gl.BindBuffer(BufferTargetARB.PixelPackBuffer, slot.PixelBuffer);
        var rgba = (byte*)gl.MapBufferRange(BufferTargetARB.PixelPackBuffer, 0, (nuint)(pixels * 4),
            (uint)MapBufferAccessMask.ReadBit);
        if (rgba is null)
            throw new InvalidOperationException($"OpenGL could not map the read-back buffer: {gl.GetError()}");
        try
        {
            var to = slot.Destination;
            if (channels == 4) System.Buffer.MemoryCopy(rgba, to, (long)pixels * 4, (long)pixels * 4);
            else if (channels == 3)
                for (int i = 0; i < pixels; i++, to += 3)
                {
                    to[0] = rgba[i * 4];
                    to[1] = rgba[i * 4 + 1];
                    to[2] = rgba[i * 4 + 2];
                }
            else
                for (int i = 0; i < pixels; i++)
                    for (int c = 0; c < channels; c++) to[i * channels + c] = rgba[i * 4 + c];
        }
        finally
        {
            gl.UnmapBuffer(BufferTargetARB.PixelPackBuffer);
            gl.BindBuffer(BufferTargetARB.PixelPackBuffer, 0);
        }
    }

    /// <summary>Forgets a read-back that will not be copied out (after an error).</summary>
    private static void Abandon(GL gl, Slot slot)
    {
        if (!slot.Pending) return;
        gl.DeleteSync(slot.Fence);
        slot.Fence = 0;
    }

    /// <summary>A texture array of a chunk's layers, its layered framebuffer, a pixel buffer to read it into.</summary>
    private void CreateSlot(GL gl, Slot slot)
    {
        int size = Format.Size;
        slot.Texture = gl.GenTexture();
        gl.BindTexture(TextureTarget.Texture2DArray, slot.Texture);
        gl.TexStorage3D(TextureTarget.Texture2DArray, 1, SizedInternalFormat.Rgba8ui,
            (uint)size, (uint)size, (uint)_chunkLayers);
        slot.Framebuffer = gl.GenFramebuffer();
        gl.BindFramebuffer(FramebufferTarget.Framebuffer, slot.Framebuffer);
        gl.FramebufferTexture(FramebufferTarget.Framebuffer, FramebufferAttachment.ColorAttachment0, slot.Texture, 0);
        var status = gl.CheckFramebufferStatus(FramebufferTarget.Framebuffer);
        if (status != GLEnum.FramebufferComplete)
            throw new GlUnavailableException(
                $"the layered framebuffer ({_chunkLayers} layers of {size}×{size}) is incomplete on this driver: " +
                $"{status}");
        slot.PixelBuffer = gl.GenBuffer();
        gl.BindBuffer(BufferTargetARB.PixelPackBuffer, slot.PixelBuffer);
        // STREAM_READ: written by GL, read once by the CPU (NVIDIA places it in cached host memory).
        gl.BufferData(BufferTargetARB.PixelPackBuffer, (nuint)(_chunkLayers * size * size * 4), null,
            BufferUsageARB.StreamRead);
        gl.BindBuffer(BufferTargetARB.PixelPackBuffer, 0);
    }

    private static void CheckError(GL gl, string what)
    {
        var error = gl.GetError();
        if (error != GLEnum.NoError) throw new InvalidOperationException($"OpenGL error during {what}: {error}");
    }

    public void Dispose()
    {
        try
        {
            _thread.Invoke(() =>
            {
                if (_gl is { } gl)
                {
                    foreach (var slot in _slots)
                    {
                        Abandon(gl, slot);
                        if (slot.PixelBuffer != 0) gl.DeleteBuffer(slot.PixelBuffer);
                        if (slot.Framebuffer != 0) gl.DeleteFramebuffer(slot.Framebuffer);
                        if (slot.Texture != 0) gl.DeleteTexture(slot.Texture);
                    }
                    if (_shapeBuffer != 0) gl.DeleteBuffer(_shapeBuffer);
                    if (_vao != 0) gl.DeleteVertexArray(_vao);
                    if (_program != 0) gl.DeleteProgram(_program);
                }
                _egl?.Dispose();
                _egl = null;
                _gl = null;
            });
        }
        finally
        {
            _thread.Dispose();
        }
    }
}
