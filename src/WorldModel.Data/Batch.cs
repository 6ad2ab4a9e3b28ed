using WorldModel.Render;

namespace WorldModel.Data;

/// <summary>
/// Size sub-sequences of Length states: frames (Size × FrameCount × FrameBytes, HWC bytes) of every
/// FrameStride-th state (a high level that jumps k steps needs only every k-th frame), true states
/// (Size × Length × StateDim), and the Length − 1 actions between them.
/// </summary>
public sealed record Batch(
    int Size,
    int Length,
    FrameFormat Format,
    byte[] Frames,
    float[] States,
    float[] Actions,
    int[] Episodes,
    int[] Starts,
    int FrameStride = 1)
{
    /// <summary>Frames per sequence: states 0, FrameStride, 2·FrameStride, …, Length − 1.</summary>
    public int FrameCount => (Length - 1) / FrameStride + 1;
}
