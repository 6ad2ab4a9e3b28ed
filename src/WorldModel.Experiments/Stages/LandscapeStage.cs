using WorldModel.Experiments.Graph;
using WorldModel.Plan.Models;
using WorldModel.Render;
using WorldModel.Worlds;
using static TorchSharp.torch;

namespace WorldModel.Experiments.Stages;

/// <summary>
/// Cost landscapes (worlds that draw them, first seed): what each planning cost looks like over the
/// arena for the world's default goal. Heatmaps and landscape.json go to the run's plots/.
/// </summary>
public sealed class LandscapeUnit(ICostLandscapeWorld world, ulong layoutSeed, RenderConfig render, float cell,
    string folder, Func<Device, IEnumerable<IPlanningModel>> models, string key,
    IReadOnlyList<ExperimentUnit> dependsOn)
    : ExperimentUnit("landscape", folder, dependsOn)
{
    public override string Title => "landscape";
    public override string Key => key;
    // plots/ also holds the report's figures, which another run's would misstate.
    public override bool OwnsFolder => false;
    public override bool IsFinished() => File.Exists(Path.Combine(Folder, "landscape.json"));

    public override string Run(UnitContext context)
    {
        var goal = world.LandscapeGoal(layoutSeed);
        var landscapes = world.SaveLandscapes(Folder, models(context.Device), layoutSeed, render, goal.X, goal.Y,
            cell, context.Cancel);
        return $"{landscapes.Count} costs over the arena, goal ({goal.X:0.#}, {goal.Y:0.#})";
    }
}
