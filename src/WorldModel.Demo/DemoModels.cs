using WorldModel.Models;
using WorldModel.Models.Objectives;
using WorldModel.Models.Planning;
using WorldModel.Models.Training;
using WorldModel.Plan.Models;
using WorldModel.Render;
using WorldModel.Render.Cpu;
using WorldModel.Core.Config;
using WorldModel.Sim.Worlds;
using WorldModel.Worlds;
using static TorchSharp.torch;

namespace WorldModel.Demo;

/// <summary>A trained model the demo plans with, and the probe that draws its latents as positions.</summary>
public sealed record TrainedModel(string Folder, RunConfig Config, LatentWorldModel Model, PositionProbe Probe);

/// <summary>
/// The world models a demo offers: a JEPA and a pixel model found in one folder (training run
/// folders, e.g. an experiment's train/ or the small pair that ships in the repository), plus the
/// true simulator with the world's oracle costs. All plan the same world, one with a demo view
/// (<see cref="IDemoWorld"/>).
/// </summary>
public sealed class DemoModels : IDisposable
{
    public const string Jepa = "jepa", Pixel = "pixel", PixelLatent = "pixel-latent", Oracle = "oracle";

    /// <summary>
    /// Where the models that ship with the repository live (trained by `wm run configs/quickstart.json`).
    /// </summary>
    public const string ShippedFolder = "experiments/reference/quickstart/models";

    private DemoModels(
        WorldConfig world,
        RenderConfig render,
        Device device,
        TrainedModel? jepa,
        TrainedModel? pixel,
        string description)
    {
        World = world;
        Shown = (IDemoWorld)world;
        Render = render;
        Device = device;
        JepaModel = jepa;
        PixelModel = pixel;
        Description = description;
        var names = new List<string>();
        if (jepa is not null) names.Add(Jepa);
        if (pixel is not null) names.AddRange([Pixel, PixelLatent]);
        // The world's oracles: the first (the one that knows the way) is "oracle", the others "oracle-<cost>".
        _oracles = PlanningModels.OracleCosts(world)
            .Select((c, i) => (i == 0 ? Oracle : Oracle + "-" + PlanningModels.Name(c), c))
            .ToArray();
        names.AddRange(_oracles.Select(o => o.Name));
        Names = names.ToArray();
    }

    private readonly (string Name, OracleCost Cost)[] _oracles;

    public WorldConfig World { get; }
    /// <summary>What the page shows of <see cref="World"/>: its arena, layouts and where the agent may stand.</summary>
    public IDemoWorld Shown { get; }
    /// <summary>How the models' frames are rendered (size, channels, agent radius).</summary>
    public RenderConfig Render { get; }
    public Device Device { get; }
    public TrainedModel? JepaModel { get; }
    public TrainedModel? PixelModel { get; }
    public string[] Names { get; }
    /// <summary>One line per model for the console and the page.</summary>
    public string Description { get; }

    /// <summary>
    /// Loads the first JEPA and the first pixel run found in <paramref name="folder"/> (the folder itself
    /// or training run folders up to three levels below it) and fits each one's position probe.
    /// </summary>
    public static DemoModels Load(string folder, Device device)
    {
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"checkpoint folder '{folder}' does not exist; "
                + "pass a training run folder or an experiment run folder (…/run-<id>)");
        var runs = RunFolders(folder).ToArray();
        if (runs.Length == 0)
            throw new ArgumentException($"'{folder}' holds no training runs "
                + "(folders with config.json and checkpoints/); pass one made by 'wm train' or 'wm run'");
        var configs = runs.Select(r => (Folder: r, Config: TrainingRun.LoadConfig(r))).ToArray();
        var jepaRun = configs.FirstOrDefault(c => c.Config.Objective is JepaObjectiveConfig);
        var pixelRun = configs.FirstOrDefault(c => c.Config.Objective is PixelObjectiveConfig);
        var first = jepaRun.Config ?? pixelRun.Config!;
        var world = first.Data.World;
        if (world is not IDemoWorld shown)
        {
            var shownWorlds = WorldRegistry.Worlds.Where(t => t.IsAssignableTo(typeof(IDemoWorld)))
                .Select(ConfigNames.Kind);
            throw new ArgumentException($"the demo cannot show {ConfigNames.Kind(world.GetType())} "
                + "(it has no demo view); "
                + $"'{folder}' holds a model of it. Worlds the demo shows: {string.Join(", ", shownWorlds)}");
        }
        var render = first.Data.Render;
        if (pixelRun.Config is { } p && (p.Data.World != world || p.Data.Render != render))
            throw new ArgumentException($"the JEPA run ({jepaRun.Folder}) and the pixel run ({pixelRun.Folder}) "
                + "were trained on different worlds or frames; pass a folder where they match");

        var scenes = new SceneBuilder(world, render);
        using (var renderer = new CpuRasterizer(scenes.Format))
        {
            // A fixed layout ignores the seed; with random layouts the probe is fitted on one of them.
            var layout = shown.FirstLayout(seed: 1);
            TrainedModel? Load((string Folder, RunConfig Config) run)
            {
                if (run.Config is null) return null;
                var (config, model) = TrainedPlanningModels.LoadTrained(run.Folder, device);
                return new TrainedModel(run.Folder, config, model,
                    PositionProbe.Fit(model, device, shown, layout, scenes, renderer));
            }
            var jepa = Load(jepaRun);
            var pixel = Load(pixelRun);
            string Line(string name, TrainedModel? m) => m is null ? $"{name}: none in {folder}" :
                $"{name}: {m.Folder} (step {new TrainingRun(m.Config, m.Folder).CompletedSteps()}, "
                + $"probe RMSE {m.Probe.Rmse:F1} px)";
            return new DemoModels(world, render, device, jepa, pixel, Line("jepa", jepa) + "\n" + Line("pixel", pixel));
        }
    }

    /// <summary>A planning model by its demo name. Callers own (and dispose) it.</summary>
    public IPlanningModel Create(string name) => name switch
    {
        Jepa when JepaModel is { } m =>
            new LearnedPlanningModel("jepa/latent", m.Model, Device, CostSpace.Latent, CostShape.Sum),
        Pixel when PixelModel is { } m =>
            new LearnedPlanningModel("pixel/frames", m.Model, Device, CostSpace.Pixel, CostShape.Terminal),
        PixelLatent when PixelModel is { } m =>
            new LearnedPlanningModel("pixel/latent", m.Model, Device, CostSpace.Latent, CostShape.Sum),
        _ when _oracles.FirstOrDefault(o => o.Name == name) is { Name: not null } o =>
            PlanningModels.Oracle(World, o.Cost, CostShape.Sum),
        _ => throw new ArgumentException($"model '{name}' is not available; allowed: {string.Join(", ", Names)}"),
    };

    /// <summary>The trained model behind a demo name (null for the oracles).</summary>
    public TrainedModel? Trained(string name) => name switch
    {
        Jepa => JepaModel,
        Pixel or PixelLatent => PixelModel,
        _ => null
    };

    private static IEnumerable<string> RunFolders(string folder, int depth = 0)
    {
        if (File.Exists(Path.Combine(folder, "config.json")) && Directory.Exists(Path.Combine(folder, "checkpoints")))
        {
            yield return folder;
            yield break;
        }
        if (depth == 3) yield break;
        foreach (var sub in Directory.GetDirectories(folder).Order(StringComparer.Ordinal))
            foreach (var run in RunFolders(sub, depth + 1)) yield return run;
    }

    public void Dispose()
    {
        JepaModel?.Model.Dispose();
        PixelModel?.Model.Dispose();
    }
}
