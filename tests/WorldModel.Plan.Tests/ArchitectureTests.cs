using WorldModel.Plan.Planners;

namespace WorldModel.Plan.Tests;

/// <summary>Planners, MPC and the oracles build and run without libtorch (DESIGN.md: no torch in the
/// planning layer).</summary>
public class ArchitectureTests
{
    [Fact]
    public void Given_the_planning_assembly_When_its_references_are_listed_Then_neither_torch_nor_the_models_are_among_them()
    {
        var references = typeof(Mppi).Assembly.GetReferencedAssemblies().Select(a => a.Name ?? "").ToArray();
        Assert.DoesNotContain(references, n => n.StartsWith("TorchSharp", StringComparison.Ordinal));
        Assert.DoesNotContain("WorldModel.Models", references);
    }

    [Fact]
    public void Given_the_planner_tests_When_built_Then_libtorch_is_not_copied_next_to_them()
    {
        var torch = Directory.EnumerateFiles(AppContext.BaseDirectory, "*orch*", SearchOption.AllDirectories).ToArray();
        Assert.Empty(torch);
    }
}
