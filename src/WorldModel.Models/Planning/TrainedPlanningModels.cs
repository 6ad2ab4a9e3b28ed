using TorchSharp;
using WorldModel.Models.Objectives;
using WorldModel.Models.Training;
using WorldModel.Plan.Models;
using WorldModel.Plan.Mpc;
using static TorchSharp.torch;

namespace WorldModel.Models.Planning;

/// <summary>
/// The planning models a trained run offers, by the names results use (the oracles are in WorldModel.Plan).
/// </summary>
public static class TrainedPlanningModels
{
    /// <summary>
    /// The ways a trained run is planned: a JEPA run in its latent ("jepa/latent"); a pixel run both in
    /// imagined frames ("pixel/frames") and in its own reconstruction-trained latent ("pixel/latent").
    /// Names are prefixed with <paramref name="label"/> when given (e.g. the experiment's model name).
    /// </summary>
    public static IReadOnlyList<IPlanningModel> FromRun(
        string folder,
        Device device,
        CostShape shape,
        CostShape pixelShape,
        string? label = null,
        DataGraphSource? graph = null,
        Func<WorldModel.Data.Dataset>? readoutData = null,
        LatentSearchConfig? search = null)
    {
        var (config, model) = LoadTrained(folder, device);
        string prefix = label ?? (config.Objective is PixelObjectiveConfig ? "pixel" : "jepa");
        IReadOnlyList<LearnedPlanningModel> flat = config.Objective is PixelObjectiveConfig
            ? [
                new LearnedPlanningModel($"{prefix}/frames", model, device, CostSpace.Pixel, pixelShape),
                new LearnedPlanningModel($"{prefix}/latent", model, device, CostSpace.Latent, shape)
            ]
            : [new LearnedPlanningModel($"{prefix}/latent", model, device, CostSpace.Latent, shape)];
        // With a data graph, each latent method is also planned toward subgoals among its encoded training states.
        IReadOnlyList<IPlanningModel> overGraph = graph is null
            ? []
            : [.. flat.Where(low => low.Space == CostSpace.Latent).Select(low =>
                new GraphPlanningModel(GraphName(low.Name), NewLow(low), graph.Config, graph.Data))];
        // With the training data, each latent method is also planned by distance in the positions a linear probe reads
        // from its latents (a diagnostic: is it the latent's distance or its predictions that fail?).
        IReadOnlyList<IPlanningModel> byReadout = readoutData is null
            ? []
            : [.. flat.Where(low => low.Space == CostSpace.Latent).Select(low => new LearnedPlanningModel(
                ProbeName(low.Name), model, device, CostSpace.Latent, shape, readout: () => Readout(readoutData)))];
        if (config.Hierarchy is null) return [.. flat, .. overGraph, .. byReadout];
        // A hierarchical run offers its low level flat and each way of planning it in two levels.
        var hierarchical = flat.Select(low => new HierarchicalPlanningModel(
            HierarchicalName(low.Name), NewLow(low), low.Space == CostSpace.Pixel ? pixelShape : shape));
        // With a learned value, each latent method is also planned flat scoring its imagined latents by the value,
        // and in two levels with a high level that counts jumps by it.
        IEnumerable<IPlanningModel> byValue = model.HighLevel?.Value is not { } value
            ? []
            : flat.Where(low => low.Space == CostSpace.Latent).SelectMany(low => new IPlanningModel[]
            {
                new LearnedPlanningModel(FlatValueName(low.Name), model, device, CostSpace.Latent, shape, value),
                new HierarchicalPlanningModel(ValueName(low.Name), NewLow(low), shape, byValue: true),
            });
        // With a learned policy, each latent method is also planned flat from the policy's proposals, and the policy
        // is executed alone (the control: what the search adds).
        IEnumerable<IPlanningModel> byPolicy = model.HighLevel?.Policy is not { } policy
            ? []
            : flat.Where(low => low.Space == CostSpace.Latent).SelectMany(low => new IPlanningModel[]
            {
                new LearnedPlanningModel(PolicyName(low.Name), model, device, CostSpace.Latent, shape, policy: policy),
                new LearnedPlanningModel(
                    PolicyAloneName(low.Name), model, device, CostSpace.Latent, shape, policy: policy,
                    executesProposal: true),
            });
        // With search settings, each latent method is also planned by breadth-first search over the high level's jumps.
        IEnumerable<IPlanningModel> bySearch = search is null
            ? []
            : flat.Where(low => low.Space == CostSpace.Latent).Select(low =>
                new SearchPlanningModel(SearchName(low.Name), NewLow(low), search));
        return [.. flat, .. overGraph, .. byReadout, .. hierarchical, .. byValue, .. byPolicy, .. bySearch];

        LearnedPlanningModel NewLow(LearnedPlanningModel low) => new(
            low.Name, model, device, low.Space, low.Space == CostSpace.Pixel ? pixelShape : shape);

        double[,] Readout(Func<WorldModel.Data.Dataset> open)
        {
            var data = open();
            var scenes = new WorldModel.Render.SceneBuilder(data.Config.World, data.Config.Render);
            using var renderer = WorldModel.Render.RendererFactory.Create(data.Config.Render.Renderer, scenes.Format)
                .Renderer;
            return Evaluation.ModelEvaluation.PositionReadout(model, data, renderer, device);
        }
    }

    /// <summary>
    /// The result name of a latent method planned by distance in the positions a linear probe reads from its latents:
    /// "jepa/latent" → "jepa/latent-probe".
    /// </summary>
    public static string ProbeName(string method) => method + "-probe";

    /// <summary>
    /// The result name of a planning method planned in two levels: "jepa/latent" → "jepa/latent-hier".
    /// </summary>
    public static string HierarchicalName(string method) => method + "-hier";

    /// <summary>
    /// The result name of a latent method planned over a graph of its encoded training data: "jepa/latent" →
    /// "jepa/latent-graph".
    /// </summary>
    public static string GraphName(string method) => method + "-graph";

    /// <summary>
    /// The result name of a latent method planned by breadth-first search over its high level's jumps:
    /// "jepa/latent" → "jepa/latent-search".
    /// </summary>
    public static string SearchName(string method) => method + "-search";

    /// <summary>
    /// The result name of a latent method planned in two levels whose high level measures by the learned value:
    /// "jepa/latent" → "jepa/latent-hier-value".
    /// </summary>
    public static string ValueName(string method) => HierarchicalName(method) + "-value";

    /// <summary>
    /// The result name of a latent method planned flat with each imagined latent scored by the learned value:
    /// "jepa/latent" → "jepa/latent-value".
    /// </summary>
    public static string FlatValueName(string method) => method + "-value";

    /// <summary>
    /// The result name of a latent method planned flat from a learned policy's proposals: "jepa/latent" →
    /// "jepa/latent-policy".
    /// </summary>
    public static string PolicyName(string method) => method + "-policy";

    /// <summary>
    /// The result name of a latent method's policy executed without search: "jepa/latent" → "jepa/policy".
    /// </summary>
    public static string PolicyAloneName(string method) => method[..(method.LastIndexOf('/') + 1)] + "policy";

    /// <summary>A data graph's settings and the data it joins (opened only when the graph is built).</summary>
    public sealed record DataGraphSource(DataGraphConfig Config, Func<WorldModel.Data.Dataset> Data);

    /// <summary>
    /// A training run's config and its latest checkpoint's model, on <paramref name="device"/>, in eval mode.
    /// </summary>
    public static (RunConfig Config, LatentWorldModel Model) LoadTrained(string folder, Device device)
    {
        var config = TrainingRun.LoadConfig(folder);
        var run = new TrainingRun(config, folder);
        string checkpoint = run.LatestCheckpoint()
            ?? throw new CheckpointException(
                $"{folder} has no checkpoint yet; train first ('wm train --resume {folder}')");
        var model = run.CreateModel();
        model.to(device);
        Checkpoint.Load(checkpoint, TrainingRun.Identity(folder), model, optimizer: null);
        model.eval();
        return (config, model);
    }
}
