using WorldModel.Models.Objectives;
using WorldModel.Models.Planning;
using WorldModel.Models.Training;
using WorldModel.Plan.Models;
using WorldModel.Render;
using WorldModel.Core.Config;
using WorldModel.Sim.Worlds;
using WorldModel.Worlds;
using static TorchSharp.torch;

namespace WorldModel.Demo;

/// <summary>
/// The world models a demo offers: a JEPA and a pixel model found in one folder (training run
/// folders, e.g. an experiment's train/ or the small pair that ships in the repository), each with its high level
/// when one was trained on it, plus the true simulator with the world's oracle costs. All plan the same world, one
/// with a demo view (<see cref="IDemoWorld"/>).
/// </summary>
public sealed class DemoModels : IDisposable
{
    public const string Jepa = "jepa", Pixel = "pixel", PixelLatent = "pixel-latent", Oracle = "oracle";

    /// <summary>The oracle's jump (k) in two levels when no learned high level is loaded to copy it from.</summary>
    public const int DefaultOracleSkip = 8;

    /// <summary>
    /// Where the models that ship with the repository live (trained by `wm run configs/quickstart.json`).
    /// </summary>
    public const string ShippedFolder = "experiments/reference/quickstart/models";

    /// <summary>How each learned demo model plans: its result name, cost space and cost shape.</summary>
    private static readonly Dictionary<string, (string Method, CostSpace Space, CostShape Shape)> Learned = new()
    {
        [Jepa] = ("jepa/latent", CostSpace.Latent, CostShape.Sum),
        [Pixel] = ("pixel/frames", CostSpace.Pixel, CostShape.Terminal),
        [PixelLatent] = ("pixel/latent", CostSpace.Latent, CostShape.Sum),
    };

    private readonly (string Name, OracleCost Cost)[] _oracles;

    private DemoModels(WorldConfig world, RenderConfig render, Device device, TrainedModel? jepa, TrainedModel? pixel)
    {
        World = world;
        Shown = (IDemoWorld)world;
        Render = render;
        Device = device;
        JepaModel = jepa;
        PixelModel = pixel;
        // The world's oracles: the first (the one that knows the way) is "oracle", the others "oracle-<cost>".
        _oracles = PlanningModels.OracleCosts(world)
            .Select((c, i) => (i == 0 ? Oracle : Oracle + "-" + PlanningModels.Name(c), c))
            .ToArray();
        var learned = new List<string>();
        if (jepa is not null) learned.Add(Jepa);
        if (pixel is not null) learned.AddRange([Pixel, PixelLatent]);
        Names = [.. learned, .. _oracles.Select(o => o.Name)];
        TwoLevelNames = [.. learned.Where(n => Trained(n)!.High is not null), .. _oracles.Select(o => o.Name)];
        OracleSkip = jepa?.High?.Skip ?? pixel?.High?.Skip ?? DefaultOracleSkip;
    }

    public WorldConfig World { get; }
    /// <summary>What the page shows of <see cref="World"/>: its arena, layouts and where the agent may stand.</summary>
    public IDemoWorld Shown { get; }
    /// <summary>How the models' frames are rendered (size, channels, agent radius).</summary>
    public RenderConfig Render { get; }
    /// <summary>
    /// How people see the world: large, in colour, the agent at most 2.5 units wide so paths stay visible.
    /// </summary>
    public RenderConfig Display => Render with
    {
        Size = DemoSession.DisplaySize,
        Layout = ObservationLayout.Rgb,
        PointRadius = Math.Min(Render.PointRadius, 2.5f),
        Motion = false,
    };
    public Device Device { get; }
    public TrainedModel? JepaModel { get; }
    public TrainedModel? PixelModel { get; }
    public string[] Names { get; }
    /// <summary>The models that can also plan in two levels: learned ones with a high level, and the oracles.</summary>
    public string[] TwoLevelNames { get; }
    /// <summary>The oracle's jump in two levels: a high level's k, else <see cref="DefaultOracleSkip"/>.</summary>
    public int OracleSkip { get; }

    /// <summary>One line per model for the console and the page.</summary>
    public string Description => Line(Jepa, JepaModel) + "\n" + Line(Pixel, PixelModel);

    /// <summary>
    /// Loads the first JEPA and the first pixel run found in <paramref name="folder"/> (the folder itself
    /// or training run folders up to three levels below it), each with the high level trained on it if the folder
    /// holds one, and fits each one's position probe.
    /// </summary>
    public static DemoModels Load(string folder, Device device)
    {
        var runs = DemoRuns.Find(folder);
        var jepaRun = runs.Flat.FirstOrDefault(c => c.Config.Objective is JepaObjectiveConfig);
        var pixelRun = runs.Flat.FirstOrDefault(c => c.Config.Objective is PixelObjectiveConfig);
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
        using var renderer = RendererFactory.Create(RendererKind.Cpu, scenes.Format).Renderer;
        // A fixed layout ignores the seed; with random layouts the probe is fitted on one of them.
        var layout = shown.FirstLayout(seed: 1);
        TrainedModel? Load((string Folder, RunConfig Config) run)
        {
            if (run.Config is null) return null;
            var (config, model) = TrainedPlanningModels.LoadTrained(run.Folder, device);
            var high = runs.HighLevelOf(run.Folder) is { } h ? LoadHigh(h.Folder) : null;
            return new TrainedModel(run.Folder, config, model,
                PositionProbe.Fit(model, device, shown, layout, scenes, renderer), high);
        }
        TrainedHighLevel LoadHigh(string highFolder)
        {
            var (config, model) = TrainedPlanningModels.LoadTrained(highFolder, device);
            return new TrainedHighLevel(highFolder, config, model);
        }
        return new DemoModels(world, render, device, Load(jepaRun), Load(pixelRun));
    }

    /// <summary>A planning model by its demo name, flat or in two levels. Callers own (and dispose) it.</summary>
    public IPlanningModel Create(string name, bool twoLevel = false)
    {
        if (twoLevel && !TwoLevelNames.Contains(name))
            throw new ArgumentException($"model '{name}' cannot plan in two levels (no high level loaded); "
                + $"allowed: {string.Join(", ", TwoLevelNames)}");
        if (Trained(name) is { } trained && Learned.TryGetValue(name, out var l))
            return twoLevel
                ? new HierarchicalPlanningModel(TrainedPlanningModels.HierarchicalName(l.Method),
                    new LearnedPlanningModel(l.Method, trained.High!.Model, Device, l.Space, TwoLevelShape(l.Shape)),
                    TwoLevelShape(l.Shape))
                : new LearnedPlanningModel(l.Method, trained.Model, Device, l.Space, l.Shape);
        if (_oracles.FirstOrDefault(o => o.Name == name) is { Name: not null } o)
            return twoLevel
                ? new HierarchicalOracle(World, () => PlanningModels.Oracle(World, o.Cost, CostShape.Min), OracleSkip)
                : PlanningModels.Oracle(World, o.Cost, CostShape.Sum);
        throw new ArgumentException($"model '{name}' is not available; allowed: {string.Join(", ", Names)}");
    }

    /// <summary>
    /// In two levels a latent cost scores the closest an imagined path comes to the goal, as the quickstart's
    /// evaluation plans it (the oracle's two levels too): summed over a long look-ahead, the steps before the door
    /// outweigh the arrival. Frames keep their terminal cost.
    /// </summary>
    private static CostShape TwoLevelShape(CostShape flat) => flat == CostShape.Sum ? CostShape.Min : flat;

    /// <summary>The trained model behind a demo name (null for the oracles).</summary>
    public TrainedModel? Trained(string name) => name switch
    {
        Jepa => JepaModel,
        Pixel or PixelLatent => PixelModel,
        _ => null
    };

    private static string Line(string name, TrainedModel? m) => m is null ? $"{name}: none loaded" :
        $"{name}: {m.Folder} (step {new TrainingRun(m.Config, m.Folder).CompletedSteps()}, "
        + $"probe RMSE {m.Probe.Rmse:F1} px)"
        + (m.High is { } h ? $"; high level {h.Folder} (k = {h.Skip})" : "");

    public void Dispose()
    {
        JepaModel?.Model.Dispose();
        JepaModel?.High?.Model.Dispose();
        PixelModel?.Model.Dispose();
        PixelModel?.High?.Model.Dispose();
    }
}
