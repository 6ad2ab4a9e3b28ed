namespace WorldModel.Render;

/// <summary>
/// Layout of rendered frames: Size × Size pixels, row-major from world y = 0, channels interleaved
/// (HWC, bytes). <see cref="Kinds"/> names the channels in the channels layout.
/// </summary>
public sealed record FrameFormat(int Size, ObservationLayout Layout, ShapeKind[] Kinds)
{
    public int Channels => Layout == ObservationLayout.Rgb ? 3 : Kinds.Length;
    public int BytesPerFrame => Size * Size * Channels;

    /// <summary>Channel of a kind in the channels layout, or -1 when the world has none.</summary>
    public int ChannelOf(ShapeKind kind) => Array.IndexOf(Kinds, kind);

    public bool Equals(FrameFormat? other) =>
        other is not null && Size == other.Size && Layout == other.Layout && Kinds.AsSpan().SequenceEqual(other.Kinds);

    public override int GetHashCode() => HashCode.Combine(Size, Layout, Kinds.Length);

    public override string ToString() =>
        $"{Size}×{Size} {Layout.ToString().ToLowerInvariant()} ({string.Join(", ", ChannelNames)})";

    public string[] ChannelNames => Layout == ObservationLayout.Rgb
        ? ["r", "g", "b"]
        : Kinds.Select(k => k.ToString().ToLowerInvariant()).ToArray();
}
