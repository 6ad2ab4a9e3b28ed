namespace WorldModel.Render;

/// <summary>
/// Draws a batch of scenes into frames (<see cref="FrameFormat"/>: HWC bytes, one frame after another).
/// </summary>
public interface IRenderer : IDisposable
{
    /// <summary>"cpu", or "gl (renderer string)".</summary>
    string Name { get; }
    FrameFormat Format { get; }

    /// <summary>
    /// Renders scenes.Count frames into <paramref name="frames"/> (scenes.Count × Format.BytesPerFrame bytes).
    /// </summary>
    void Render(SceneBatch scenes, Span<byte> frames);
}
