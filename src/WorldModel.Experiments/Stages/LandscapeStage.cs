using WorldModel.Experiments.Graph;
using WorldModel.Plan.Evaluation;
using WorldModel.Plan.Models;
using WorldModel.Render;
using WorldModel.Sim.TwoRooms;
using static TorchSharp.torch;

namespace WorldModel.Experiments.Stages;

/// <summary>
/// Cost landscapes (Two-Rooms, first seed): what each planning cost looks like over the arena for one
/// goal across the wall. Heatmaps and landscape.json go to the run's plots/.
/// </summary>
public sealed class LandscapeUnit(TwoRoomsConfig world, ulong layoutSeed, RenderConfig render, string folder,
    Func<Device, IEnumerable<IPlanningModel>> models, string key, IReadOnlyList<ExperimentUnit> dependsOn)
    : ExperimentUnit("landscape", folder, dependsOn)
{
    public override string Title => "landscape";
    public override string Key => key;
    public override bool IsFinished() => File.Exists(Path.Combine(Folder, "landscape.json"));

    public override string Run(UnitContext context)
    {
        var layout = TwoRoomsLayout.Create(world.Layout, ref layoutSeed, world.BorderLow, world.BorderHigh);
        var goal = LandscapeReport.DefaultGoal(world, layout);
        var landscapes = LandscapeReport.Save(Folder, models(context.Device), world, layout, render, goal.X, goal.Y, cancel: context.Cancel);
        return $"{landscapes.Count} costs over the arena, goal ({goal.X:0.#}, {goal.Y:0.#})";
    }
}
