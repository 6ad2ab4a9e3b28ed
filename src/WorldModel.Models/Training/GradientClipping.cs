using TorchSharp.Modules;
using static TorchSharp.torch;

namespace WorldModel.Models.Training;

/// <summary>
/// Gradient-norm clipping that stays on the device. TorchSharp's nn.utils.clip_grad_norm_ returns the norm as a
/// double, so libtorch reads it back and the host waits for the device in the middle of every training step; this
/// does the same arithmetic, operation for operation (libtorch's clip_grad_norm_: the L2 norm of each gradient, the
/// norm of those, max / (norm + 1e-6) clamped to 1, every gradient multiplied by it), and returns nothing.
/// </summary>
public static class GradientClipping
{
    /// <summary>
    /// Scales the gradients of <paramref name="parameters"/> so that their total L2 norm is at most
    /// <paramref name="maxNorm"/>.
    /// </summary>
    public static void ClipNorm(IEnumerable<Parameter> parameters, double maxNorm)
    {
        if (!(maxNorm > 0))
            throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "the norm limit must be above 0");
        var grads = parameters.Select(p => p.grad).OfType<Tensor>().ToList();
        if (grads.Count == 0) return;
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var norms = grads.Select(g => g.norm()).ToArray(); // p = 2 (norm(2) would be the norm along dimension 2)
        var total = norms.Length == 1 ? norms[0] : stack(norms).norm();
        var denominator = total + 1e-6;
        var coefficient = full_like(denominator, maxNorm).div_(denominator).clamp_max_(1.0);
        foreach (var g in grads) g.mul_(coefficient);
    }
}
