namespace WorldModel.Render;

/// <summary>
/// Frames with motion (<see cref="FrameFormat.Motion"/>): a renderer of single frames draws the scenes and the
/// same scenes a step before (<see cref="SceneBatch.Before"/>), and each pixel gets both frames' channels, now
/// first. Any renderer of single frames serves, so GL and CPU motion frames agree as their frames do.
/// </summary>
public sealed class MotionRenderer : IRenderer
{
    private readonly IRenderer _still;
    private byte[] _now = [], _before = [];

    public MotionRenderer(IRenderer still)
    {
        if (still.Format.Motion)
            throw new ArgumentException("the inner renderer must draw single frames", nameof(still));
        _still = still;
        Format = still.Format with { Motion = true };
    }

    public string Name => _still.Name;
    public FrameFormat Format { get; }

    public void Render(SceneBatch scenes, Span<byte> frames)
    {
        var before = scenes.Before ?? throw new ArgumentException(
            "motion frames need the scenes a step before (SceneBatch.Before, filled by SceneBuilder when " +
            "render.motion is on)", nameof(scenes));
        int c = _still.Format.Channels, pixels = _still.Format.Size * _still.Format.Size;
        int n = scenes.Count * _still.Format.BytesPerFrame;
        int needed = scenes.Count * Format.BytesPerFrame;
        if (frames.Length < needed)
            throw new ArgumentException(
                $"frame buffer holds {frames.Length} bytes; {scenes.Count} frames need {needed}");
        if (_now.Length < n) { _now = new byte[n]; _before = new byte[n]; }
        _still.Render(scenes, _now);
        _still.Render(before, _before);
        for (long p = 0; p < (long)scenes.Count * pixels; p++)
        {
            _now.AsSpan((int)(p * c), c).CopyTo(frames.Slice((int)(p * 2 * c), c));
            _before.AsSpan((int)(p * c), c).CopyTo(frames.Slice((int)(p * 2 * c + c), c));
        }
    }

    public void Dispose() => _still.Dispose();
}
