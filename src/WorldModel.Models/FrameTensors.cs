using WorldModel.Data;
using static TorchSharp.torch;

namespace WorldModel.Models;

/// <summary>
/// Batches from the data stage as tensors: frames (B, F, C, H, W) in [0, 1] (F = L unless the batch holds every
/// k-th frame only), actions (B, L − 1, A).
/// </summary>
public static class FrameTensors
{
    public static Tensor Frames(Batch batch, Device device)
    {
        var f = batch.Format;
        using var raw = tensor(
            batch.Frames, [batch.Size, batch.FrameCount, f.Size, f.Size, f.Channels], dtype: ScalarType.Byte);
        return raw.to(device).permute(0, 1, 4, 2, 3).to(ScalarType.Float32).div_(255f);
    }

    /// <summary>
    /// Single frames (N × H × W × C bytes, as renderers write them) as (N, C, H, W) floats in [0, 1].
    /// </summary>
    public static Tensor Frames(byte[] frames, WorldModel.Render.FrameFormat f, int count, Device device)
    {
        using var raw = tensor(frames, [count, f.Size, f.Size, f.Channels], dtype: ScalarType.Byte);
        return raw.to(device).permute(0, 3, 1, 2).to(ScalarType.Float32).div_(255f).contiguous();
    }

    public static Tensor Actions(Batch batch, Device device) =>
        tensor(
            batch.Actions,
            [batch.Size, batch.Length - 1, batch.Actions.Length / (batch.Size * Math.Max(1, batch.Length - 1))])
            .to(device);
}
