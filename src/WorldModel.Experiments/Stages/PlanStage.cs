using WorldModel.Core.Config;
using WorldModel.Experiments.Graph;
using WorldModel.Plan.Evaluation;
using WorldModel.Plan.Models;
using WorldModel.Plan.Mpc;
using WorldModel.Render;
using WorldModel.Sim.Worlds;
using static TorchSharp.torch;

namespace WorldModel.Experiments.Stages;

/// <summary>
/// Plans models on every episode at every planner horizon. Each (method, seed, horizon) part is saved
/// as it finishes, so an interrupted evaluation resumes at the first unfinished part.
/// </summary>
public sealed class PlanStage(
    PlanEvalConfig config,
    WorldConfig world,
    RenderConfig render,
    PlanEpisode[] episodes,
    string partsFolder)
{
    public static PlanEpisode[] Episodes(PlanEvalConfig config, WorldConfig world, string? episodesFile = null)
    {
        string? file = episodesFile ?? config.EpisodesFile;
        return file is null ? PlanEpisodes.Generate(config.Episodes, world) : PlanEpisodes.Load(file, world);
    }

    public string PartFolder(string method, int seed, int horizon) =>
        Path.Combine(partsFolder, $"{method.Replace('/', '-')}-seed{seed}-h{horizon}");

    public static bool IsPlanned(string part) => File.Exists(Path.Combine(part, "results.json"));

    /// <summary>Every planner horizon of one model: saved parts are read back, the others planned.</summary>
    public List<PlanRow> Evaluate(
        IPlanningModel model,
        int seed,
        IExperimentObserver observer,
        CancellationToken cancel)
    {
        var rows = new List<PlanRow>();
        foreach (int h in config.PlannerHorizons)
        {
            string part = PartFolder(model.Name, seed, h);
            if (IsPlanned(part))
            {
                observer.Info($"plan {model.Name} seed {seed} H={h}: reusing {Paths.Show(part)}");
                rows.AddRange(PlanResults.Read(part));
            }
            else rows.AddRange(PlanPart(model, seed, h, observer, cancel));
        }
        return rows;
    }

    /// <summary>
    /// Plans every episode with one model at planner horizon <paramref name="horizon"/> and saves the part.
    /// </summary>
    public List<PlanRow> PlanPart(
        IPlanningModel model,
        int seed,
        int horizon,
        IExperimentObserver observer,
        CancellationToken cancel)
    {
        var mpc = config.Plan with { PlannerHorizon = horizon };
        var scenes = new SceneBuilder(world, render);
        using var renderer = RendererFactory.Create(render.Renderer, scenes.Format).Renderer;
        var runner = new MpcRunner(world, renderer, scenes, mpc);
        string planner = ConfigNames.Kind(mpc.Planner.GetType());
        var results = observer.Track($"plan {model.Name} seed {seed} H={horizon}", episodes.Length, "episodes",
            progress => runner.Run(model, episodes, done => progress.Report(done), cancel: cancel));
        var rows = results.Select(r => new PlanRow(model.Name, seed, planner, horizon, r)).ToList();
        PlanResults.Write(PartFolder(model.Name, seed, horizon), rows);
        observer.Info($"  {model.Name} H={horizon}: " +
            $"{results.Count(r => r.Strict)}/{results.Length} strict successes, " +
            $"{results.Average(r => r.PlanSeconds):F2} s planning per episode");
        return rows;
    }

    /// <summary>One method × seed × planner horizon of an experiment, in plan/METHOD-seedS-hH.</summary>
    public sealed class Unit(
        PlanStage stage,
        string method,
        int seed,
        int horizon,
        Func<Device, IPlanningModel> model,
        string key,
        IReadOnlyList<ExperimentUnit> dependsOn)
        : ExperimentUnit($"plan/{method.Replace('/', '-')}-seed{seed}-h{horizon}",
            stage.PartFolder(method, seed, horizon), dependsOn,
            // An oracle is planned once (as seed 0) and needs no training; a trained model's part is one of its seeds.
            replicaSeed: dependsOn.Count == 0 ? null : seed)
    {
        public override string Title => $"plan {method} seed {seed} H={horizon}";
        public override string Key => key;
        public override bool IsFinished() => IsPlanned(Folder);

        public override string Run(UnitContext context)
        {
            using var planning = model(context.Device);
            // The part folder is named before the model exists; a model of another name would be read back
            // under the wrong name.
            if (planning.Name != method)
                throw new InvalidOperationException($"unit {Id} expected the model '{method}', got '{planning.Name}'");
            var rows = stage.PlanPart(planning, seed, horizon, context.Observer, context.Cancel);
            return $"{method} seed {seed} H={horizon}: {rows.Count} episodes";
        }

        public IReadOnlyList<PlanRow> Rows() => PlanResults.Read(Folder);
    }
}
