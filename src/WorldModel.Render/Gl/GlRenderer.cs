using Silk.NET.OpenGL;

namespace WorldModel.Render.Gl;

/// <summary>
/// Renders many worlds per draw call on an offscreen EGL context: one instanced full-frame quad per
/// world into one layer of an integer texture array (≤ 2048 layers a batch), shapes as per-instance
/// attributes, one read-back per batch. All GL state lives on a private thread.
/// </summary>
public sealed unsafe class GlRenderer : IRenderer
{
    private const int MaxLayersWanted = 2048;

    private readonly GlThread _thread = new();
    private EglContext? _egl;
    private GL? _gl;
    private uint _program, _vao, _shapeBuffer, _fbo, _texture;
    private int _textureLayers, _maxLayers;
    private byte[] _rgba = [];

    public GlRenderer(FrameFormat format)
    {
        Format = format;
        try
        {
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
        _fbo = gl.GenFramebuffer();
        _maxLayers = Math.Min(MaxLayersWanted, gl.GetInteger(GetPName.MaxArrayTextureLayers));
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
        fixed (byte* p = frames)
        {
            nint ptr = (nint)p;
            _thread.Invoke(() =>
            {
                for (int from = 0; from < scenes.Count; from += _maxLayers)
                {
                    int count = Math.Min(_maxLayers, scenes.Count - from);
                    DrawBatch(scenes, from, count, (byte*)ptr + (long)from * bpf);
                }
            });
        }
    }

    private void DrawBatch(SceneBatch scenes, int from, int count, byte* destination)
    {
        var gl = _gl!;
        int size = Format.Size;
        EnsureTexture(gl, count);

        gl.BindBuffer(BufferTargetARB.ArrayBuffer, _shapeBuffer);
        fixed (float* shapes = &scenes.Shapes[from * SceneBatch.FloatsPerWorld])
            gl.BufferData(BufferTargetARB.ArrayBuffer, (nuint)(count * SceneBatch.FloatsPerWorld * sizeof(float)),
                shapes, BufferUsageARB.StreamDraw);

        gl.BindFramebuffer(FramebufferTarget.Framebuffer, _fbo);
        gl.Viewport(0, 0, (uint)size, (uint)size);
        gl.UseProgram(_program);
        gl.BindVertexArray(_vao);
        gl.DrawArraysInstanced(PrimitiveType.TriangleStrip, 0, 4, (uint)count);

        // One read-back of the whole array, in the texture's own RGBA layout: asking the driver for
        // fewer channels sends it down a conversion path (on NVIDIA ~40 µs a frame); dropping the
        // unused channels here is cheap.
        gl.BindTexture(TextureTarget.Texture2DArray, _texture);
        gl.PixelStore(PixelStoreParameter.PackAlignment, 1);
        int channels = Format.Channels, pixels = count * size * size;
        if (channels == 4)
        {
            gl.GetTexImage(TextureTarget.Texture2DArray, 0, PixelFormat.RgbaInteger, PixelType.UnsignedByte,
                destination);
        }
        else
        {
            if (_rgba.Length < pixels * 4) _rgba = new byte[pixels * 4];
            fixed (byte* rgba = _rgba)
            {
                gl.GetTexImage(TextureTarget.Texture2DArray, 0, PixelFormat.RgbaInteger, PixelType.UnsignedByte, rgba);
                for (int i = 0; i < pixels; i++)
                    for (int c = 0; c < channels; c++) destination[i * channels + c] = rgba[i * 4 + c];
            }
        }
        CheckError(gl, "rendering");
    }

    /// <summary>
    /// The texture array has exactly as many layers as the batch, so one read-back returns exactly its frames.
    /// </summary>
    private void EnsureTexture(GL gl, int layers)
    {
        if (_textureLayers == layers) return;
        if (_texture != 0) gl.DeleteTexture(_texture);
        _texture = gl.GenTexture();
        gl.BindTexture(TextureTarget.Texture2DArray, _texture);
        gl.TexStorage3D(TextureTarget.Texture2DArray, 1, SizedInternalFormat.Rgba8ui,
            (uint)Format.Size, (uint)Format.Size, (uint)layers);
        gl.BindFramebuffer(FramebufferTarget.Framebuffer, _fbo);
        gl.FramebufferTexture(FramebufferTarget.Framebuffer, FramebufferAttachment.ColorAttachment0, _texture, 0);
        var status = gl.CheckFramebufferStatus(FramebufferTarget.Framebuffer);
        if (status != GLEnum.FramebufferComplete)
            throw new GlUnavailableException(
                $"the layered framebuffer ({layers} layers of {Format.Size}×{Format.Size}) " +
                $"is incomplete on this driver: {status}");
        _textureLayers = layers;
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
                    if (_texture != 0) gl.DeleteTexture(_texture);
                    if (_fbo != 0) gl.DeleteFramebuffer(_fbo);
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
