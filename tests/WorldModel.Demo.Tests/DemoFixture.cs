using WorldModel.Demo;
using WorldModel.Models;
using static TorchSharp.torch;

namespace WorldModel.Demo.Tests;

/// <summary>The models that ship in the repository, loaded once for every demo test (probes fitted: a
/// few seconds).</summary>
public sealed class DemoFixture : IDisposable
{
    public DemoFixture()
    {
        var device = TorchRuntime.Initialise(DeviceKind.Cpu);
        set_num_threads(1); // as `wm demo` does: small ops run faster on one thread
        Models = DemoModels.Load(Repository.Path(DemoModels.ShippedFolder), device);
    }

    public DemoModels Models { get; }

    public void Dispose() => Models.Dispose();
}

[CollectionDefinition("demo")]
public sealed class DemoCollection : ICollectionFixture<DemoFixture>;
