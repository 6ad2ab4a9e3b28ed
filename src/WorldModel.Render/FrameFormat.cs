namespace WorldModel.Render;

/// <summary>
/// Layout of rendered frames: Size × Size pixels, row-major from world y = 0, channels interleaved
/// (HWC, bytes). <see cref="Kinds"/> names the channels in the channels layout. With <see cref="Motion"/>
/// each pixel holds the frame's channels, then the same channels one step before.
/// </summary>
public sealed record FrameFormat(int Size, ObservationLayout Layout, ShapeKind[] Kinds, bool Motion = false)
{
    /// <summary>Channels of one drawn frame (without the step before).</summary>
    public int FrameChannels => Layout == ObservationLayout.Rgb ? 3 : Kinds.Length;
    public int Channels => Motion ? 2 * FrameChannels : FrameChannels;
    public int BytesPerFrame => Size * Size * Channels;

    /// <summary>The format of one drawn frame: this one without the step before.</summary>
    public FrameFormat Still => this with { Motion = false };

    /// <summary>Channel of a kind in the channels layout (the frame now), or -1 when the world has none.</summary>
    public int ChannelOf(ShapeKind kind) => Array.IndexOf(Kinds, kind);

    public bool Equals(FrameFormat? other) =>
        other is not null && Size == other.Size && Layout == other.Layout && Motion == other.Motion
        && Kinds.AsSpan().SequenceEqual(other.Kinds);

    public override int GetHashCode() => HashCode.Combine(Size, Layout, Kinds.Length, Motion);

    public override string ToString() =>
        $"{Size}×{Size} {Layout.ToString().ToLowerInvariant()} ({string.Join(", ", ChannelNames)})";

    public string[] ChannelNames
    {
        get
        {
            string[] now = Layout == ObservationLayout.Rgb
                ? ["r", "g", "b"]
                : Kinds.Select(k => k.ToString().ToLowerInvariant()).ToArray();
            return Motion ? [.. now, .. now.Select(c => c + " before")] : now;
        }
    }
}
