using TorchSharp;
using TorchSharp.Modules;

namespace WorldModel.Models.Nets;

internal static class Init
{
    /// <summary>
    /// TorchSharp 0.107.0 leaves GroupNorm's affine parameters uninitialised (NaN losses): set PyTorch's defaults.
    /// </summary>
    public static void FixGroupNorm(GroupNorm norm)
    {
        using var _ = torch.no_grad();
        norm.weight!.fill_(1f);
        norm.bias!.fill_(0f);
    }
}
