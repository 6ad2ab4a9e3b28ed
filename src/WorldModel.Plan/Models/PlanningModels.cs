using TorchSharp;
using WorldModel.Core.Config;
using WorldModel.Models;
using WorldModel.Models.Objectives;
using WorldModel.Models.Training;
using WorldModel.Sim.PushBall;
using WorldModel.Sim.TwoRooms;
using WorldModel.Sim.Worlds;
using static TorchSharp.torch;

namespace WorldModel.Plan.Models;

/// <summary>Builds the planning models a trained run or an oracle offers, by the names results use.</summary>
public static class PlanningModels
{
    /// <summary>
    /// The ways a trained run is planned: a JEPA run in its latent ("jepa/latent"); a pixel run both in
    /// imagined frames ("pixel/frames") and in its own reconstruction-trained latent ("pixel/latent").
    /// Names are prefixed with <paramref name="label"/> when given (e.g. the experiment's model name).
    /// </summary>
    public static IReadOnlyList<IPlanningModel> FromRun(string folder, Device device, CostShape shape, CostShape pixelShape, string? label = null)
    {
        var (config, model) = LoadTrained(folder, device);
        string prefix = label ?? (config.Objective is PixelObjectiveConfig ? "pixel" : "jepa");
        return config.Objective is PixelObjectiveConfig
            ? [new LearnedPlanningModel($"{prefix}/frames", model, device, CostSpace.Pixel, pixelShape), new LearnedPlanningModel($"{prefix}/latent", model, device, CostSpace.Latent, shape)]
            : [new LearnedPlanningModel($"{prefix}/latent", model, device, CostSpace.Latent, shape)];
    }

    /// <summary>A training run's config and its latest checkpoint's model, on <paramref name="device"/>, in eval mode.</summary>
    public static (RunConfig Config, LatentWorldModel Model) LoadTrained(string folder, Device device)
    {
        var config = TrainingRun.LoadConfig(folder);
        var run = new TrainingRun(config, folder);
        string checkpoint = run.LatestCheckpoint() ?? throw new CheckpointException($"{folder} has no checkpoint yet; train first ('wm train --resume {folder}')");
        var model = run.CreateModel();
        model.to(device);
        Checkpoint.Load(checkpoint, TrainingRun.RunHash(folder), model, optimizer: null);
        model.eval();
        return (config, model);
    }

    /// <summary>The true simulator of <paramref name="world"/> as a planning model, scored by <paramref name="cost"/>.</summary>
    public static IPlanningModel Oracle(WorldConfig world, OracleCost cost, CostShape shape)
    {
        var allowed = OracleCosts(world);
        if (!allowed.Contains(cost))
            throw new ArgumentException($"oracle cost '{Name(cost)}' is not an oracle of {ConfigNames.Kind(world.GetType())}; allowed: {string.Join(", ", allowed.Select(Name))}");
        return world switch
        {
            TwoRoomsConfig t => new OracleModel(t, cost, shape),
            PushBallConfig p => new PushBallOracleModel(p, cost, shape),
            _ => throw new ArgumentOutOfRangeException(nameof(world), world.GetType().Name, "unknown world"),
        };
    }

    /// <summary>An oracle cost as configs spell it, e.g. "geodesic".</summary>
    public static string Name(OracleCost cost) => cost.ToString().ToLowerInvariant();

    /// <summary>The oracle costs a world offers: the one that knows the way first, then the naive one.</summary>
    public static OracleCost[] OracleCosts(WorldConfig world) => world is PushBallConfig ? [OracleCost.Shaped, OracleCost.Straight] : [OracleCost.Geodesic, OracleCost.Straight];
}
