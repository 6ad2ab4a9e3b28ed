using WorldModel.Core.Config;
using WorldModel.Demo;
using WorldModel.Models.Training;
using WorldModel.Sim.Policies;
using WorldModel.Worlds;

namespace WorldModel.Demo.Tests;

/// <summary>The demo shows any world with a demo view and refuses, by name, one without.</summary>
public sealed class DemoWorldTests
{
    [Fact]
    public void Given_a_model_of_a_world_without_a_demo_view_When_loaded_Then_the_error_names_it_and_the_worlds_it_shows()
    {
        var world = WorldRegistry.Defaults().First(w => w is not IDemoWorld);
        using var tmp = new TempFolder("wm-demo-world");
        string run = tmp["run"];
        Directory.CreateDirectory(Path.Combine(run, TrainingRun.CheckpointsFolder));
        // The uniform policy drives every world.
        var config = new RunConfig { Data = new() { World = world, Policy = new UniformPolicyConfig() } };
        File.WriteAllText(Path.Combine(run, TrainingRun.ConfigFile), ConfigLoader.ToJson(config));
        var e = Assert.Throws<ArgumentException>(() => DemoModels.Load(tmp.Path, TorchSharp.torch.CPU));
        Assert.Contains($"cannot show {ConfigNames.Kind(world.GetType())}", e.Message, StringComparison.Ordinal);
        var shown = WorldRegistry.Defaults().Where(w => w is IDemoWorld).Select(w => ConfigNames.Kind(w.GetType()));
        Assert.Contains($"Worlds the demo shows: {string.Join(", ", shown)}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_demo_world_opens_on_a_first_task_whose_agent_and_goal_stand_on_free_ground()
    {
        foreach (var world in WorldRegistry.Defaults().OfType<IDemoWorld>())
        {
            ulong rng = 3;
            foreach (var layout in new[] { world.FirstLayout(seed: 1), world.OtherLayout(ref rng) })
            {
                var (ax, ay, gx, gy) = world.FirstTask(layout);
                Assert.True(world.IsFree(layout, ax, ay) && world.IsFree(layout, gx, gy),
                    $"{world}: ({ax}, {ay}) → ({gx}, {gy})");
                var (x, y) = world.AgentAt(world.StateAt(ax, ay));
                Assert.Equal((ax, ay), (x, y));
                var p = world.SampleFreePoint(layout, ref rng, 1f);
                Assert.True(world.IsFree(layout, p.X, p.Y));
            }
        }
    }
}
