using static TorchSharp.torch;

namespace WorldModel.Models.Tests;

public sealed class OneDnnCheckTests
{
    [Fact]
    public void Given_the_heap_full_of_freed_NaNs_When_a_3x3_convolution_runs_after_initialisation_Then_it_is_finite_and_equals_the_sum_it_stands_for()
    {
        TorchRuntime.Initialise(DeviceKind.Cpu);
        Assert.NotNull(OneDnnCheck.Outcome);
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        // The shapes of a model's first stage (smaller ones take another kernel, which is sound).
        var x = sin(arange(4 * 18 * 8 * 8, dtype: ScalarType.Float32)).reshape(4, 18, 8, 8);
        var w = cos(arange(32 * 18 * 3 * 3, dtype: ScalarType.Float32)).reshape(32, 18, 3, 3) * 0.1f;
        // The convolution as a plain sum over the zero-padded input (no convolution kernel involved).
        var padded = nn.functional.pad(x, [1, 1, 1, 1]);
        var expected = zeros(4, 32, 8, 8);
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                expected += einsum("nchw,oc->nohw", padded[.., .., i..(i + 8), j..(j + 8)], w[.., .., i, j]);
        for (int k = 0; k < 100; k++)
        {
            full([1 << 16], float.NaN).Dispose(); // freed NaNs where the convolution's buffers come from
            using var y = nn.functional.conv2d(x, w, padding: [1, 1]);
            Assert.True(y.isfinite().all().item<bool>(), $"try {k}: NaN (check: {OneDnnCheck.Outcome})");
            Assert.True((y - expected).abs().max().item<float>() < 1e-3f, $"try {k} (check: {OneDnnCheck.Outcome})");
        }
    }
}
