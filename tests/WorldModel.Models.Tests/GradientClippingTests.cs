using TorchSharp;
using TorchSharp.Modules;
using WorldModel.Models.Training;
using static TorchSharp.torch;

namespace WorldModel.Models.Tests;

/// <summary>The training step's own gradient clipping: libtorch's arithmetic, with nothing read back.</summary>
[Collection("torch")]
public sealed class GradientClippingTests
{
    /// <summary>Parameters with gradients of a known size: three tensors, the norm of them all about 17.</summary>
    private static Parameter[] WithGradients(float scale)
    {
        manual_seed(11);
        var parameters = new[] { randn(5, 7), randn(13), randn(3, 2, 4) }
            .Select(t => new Parameter(t.mul(0), requires_grad: true)).ToArray();
        var loss = parameters.Select((p, i) => p.mul(randn(p.shape).mul(scale * (i + 1))).sum())
            .Aggregate((a, b) => a + b);
        loss.backward();
        return parameters;
    }

    [Theory]
    [InlineData(10f)]   // norm far above the limit: scaled down
    [InlineData(0.01f)] // norm below it: multiplied by exactly 1
    public void Given_gradients_Then_they_end_bit_for_bit_as_TorchSharp_s_clip_grad_norm_leaves_them(float scale)
    {
        TorchRuntime.Initialise(DeviceKind.Cpu);
        var ours = WithGradients(scale);
        var theirs = WithGradients(scale);

        GradientClipping.ClipNorm(ours, 1.0);
        nn.utils.clip_grad_norm_(theirs, 1.0);

        for (int i = 0; i < ours.Length; i++)
            Assert.True(ours[i].grad!.allclose(theirs[i].grad!, rtol: 0, atol: 0),
                $"gradient {i} differs from libtorch's clipping");
    }

    [Fact]
    public void Given_a_norm_limit_of_zero_Then_it_is_refused_naming_what_is_allowed()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => GradientClipping.ClipNorm(WithGradients(1f), 0));
        Assert.Contains("above 0", e.Message);
    }
}
