using WorldModel.Render;

namespace WorldModel.Data;

/// <summary>
/// Size sub-sequences of Length states: frames (Size × Length × FrameBytes, HWC bytes),
/// true states (Size × Length × StateDim), and the Length − 1 actions between them.
/// </summary>
public sealed record Batch(
    int Size,
    int Length,
    FrameFormat Format,
    byte[] Frames,
    float[] States,
    float[] Actions,
    int[] Episodes,
    int[] Starts);
