using TorchSharp;

namespace WorldModel.Models.Tests;

public sealed class TorchRuntimeTests
{
    [Fact]
    public void Given_the_build_fix_for_GLIBCXX_Then_libtorch_loads_and_computes_on_the_chosen_device()
    {
        var device = TorchRuntime.Initialise(DeviceKind.Auto);
        using var a = torch.ones(3, device: device);
        Assert.Equal(6f, (a + a).sum().item<float>());
    }

    [Fact]
    public void Given_cuda_is_asked_for_on_a_cpu_build_Then_the_error_says_how_to_get_it()
    {
        if (torch.cuda.is_available()) return; // a CUDA build on a GPU machine: nothing to refuse
        var e = Assert.Throws<TorchDeviceException>(() => TorchRuntime.Device(DeviceKind.Cuda));
        Assert.Contains("TorchBackend=cuda", e.Message);
    }
}
