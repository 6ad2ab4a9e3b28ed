using System.Reflection;
using System.Text.Json.Nodes;
using System.CommandLine;
using Spectre.Console;
using WorldModel.Core.Config;
using WorldModel.Core.IO;
using WorldModel.Models;
using WorldModel.Models.Planning;
using WorldModel.Models.Training;
using WorldModel.Plan.Evaluation;
using WorldModel.Plan.Models;
using WorldModel.Experiments;
using WorldModel.Experiments.Evaluation;
using WorldModel.Experiments.Graph;
using WorldModel.Experiments.Stages;
using WorldModel.Cli.Terminal;

namespace WorldModel.Cli.Commands;

/// <summary>`wm eval-plan RUN_DIR`: plan with a trained model (and the oracles) on drawn or fixed episodes.</summary>
public static class EvalPlanCommand
{
    public static Command Build()
    {
        var run = new Argument<string>("RUN_DIR")
        {
            Description = "A training run folder (made by 'wm train' or 'wm run')",
        };
        var episodesOpt = new Option<string>("--episodes")
        {
            Description = "A fixed benchmark: JSON list of {layout, start, goal, budget} (Two-Rooms) or " +
                "{agent, ball, target, budget} (Push-Ball); write one with --save-episodes",
        };
        var saveOpt = new Option<string>("--save-episodes")
        {
            Description = "Also write the episodes used to this file, to share or re-run as a fixed benchmark",
        };
        var configOpt = new Option<string>("--config")
        {
            Description = "Evaluation settings (JSON: plan, plannerHorizons, episodes, oracles); defaults otherwise",
        };
        var setOpt = new Option<string[]>("--set")
        {
            Description = "Override an evaluation key: --set plannerHorizons=[16,48], " +
                "--set plan.planner.kind=cem (repeatable)",
        };
        var outOpt = new Option<string>("--out")
        {
            Description = "Folder for results and plots (default: RUN_DIR/plan-<settings hash>)",
        };
        var noOracle = new Option<bool>("--no-oracle") { Description = "Skip the true-simulator baselines" };
        var methodsOpt = new Option<string[]>("--method")
        {
            Description = "Plan only this method of the run, e.g. --method jepa/latent-hier (repeatable; " +
                "default: every method the run offers)",
        };
        var graphOpt = new Option<bool>("--graph")
        {
            Description = "Also plan each latent method over a graph of its encoded training data " +
                "(NAME/latent-graph; settings: --set plan.graph.reach=2 and the other plan.graph keys)",
        };
        var searchOpt = new Option<bool>("--search")
        {
            Description = "Also plan each latent method of a run with a high level by breadth-first search over its " +
                "jumps (NAME/latent-search; settings: --set plan.search.depth=12 and the other plan.search keys)",
        };
        var probeOpt = new Option<bool>("--probe")
        {
            Description = "Also plan each latent method by the distance between the positions a linear probe, fitted " +
                "on 2,048 training frames with their true positions, reads from its latents (NAME/latent-probe: a " +
                "diagnostic of whether the latent's distance or its predictions fail)",
        };
        var device = TrainCommand.DeviceOption();
        var cmd = new Command(
            "eval-plan",
            "Planning success of a trained model on the real simulator (MPC), with oracle baselines; " +
            "results.csv/json, plots")
        {
            run, episodesOpt, saveOpt, configOpt, setOpt, outOpt, noOracle, methodsOpt, graphOpt, searchOpt, probeOpt,
            device,
        };
        cmd.SetAction((parse, cancel) => Task.Run(() => CommandRunner.Run(() =>
        {
            string folder = parse.GetValue(run)!;
            var runConfig = TrainingRun.LoadConfig(folder);
            var world = runConfig.Data.World;
            var overrides = parse.GetValue(setOpt) ?? [];
            if (parse.GetValue(noOracle)) overrides = [.. overrides, "oracles=[]"];
            var (config, source) = Settings(parse.GetValue(configOpt), folder, overrides);
            var worldErrors = config.ValidateFor(world).ToList();
            if (worldErrors.Count > 0) throw new ConfigException(source, worldErrors);
            var episodes = PlanStage.Episodes(config, world, parse.GetValue(episodesOpt));
            string episodesJson = PlanEpisodes.ToJson(episodes, world);
            if (parse.GetValue(saveOpt) is { } save) AtomicFile.WriteAllText(save, episodesJson);
            string episodesHash = AtomicFile.Sha256(System.Text.Encoding.UTF8.GetBytes(episodesJson))[..8];
            string outFolder = parse.GetValue(outOpt)
                ?? Path.Combine(folder, "plan-"
                    + ConfigLoader.Hash(config, "plan-eval-v1" + episodesHash + TrainingRun.RunHash(folder))[..10]);
            var torchDevice = TorchRuntime.Initialise(TrainCommand.ParseDevice(parse.GetValue(device)!));
            string kinds = string.Join(", ", episodes.GroupBy(e => e.Kind).Select(g => $"{g.Count()} {g.Key}"));
            AnsiConsole.MarkupLine(
                $"planning {episodes.Length} episodes ({kinds}) with {Markup.Escape(Paths.Show(folder))} " +
                $"→ {Markup.Escape(Paths.Show(outFolder))}");
            // The trained models load (and their checkpoints are checked) before anything is written, so a run
            // that cannot be evaluated leaves no folder behind.
            Func<WorldModel.Data.Dataset> trainingData =
                () => DataStage.OpenOrGenerate(runConfig.Data, ConsoleObserver.Instance, cancel);
            var graph = parse.GetValue(graphOpt)
                ? new TrainedPlanningModels.DataGraphSource(config.Plan.Graph, trainingData)
                : null;
            var trained = Pick(
                TrainedPlanningModels.FromRun(
                    folder, torchDevice, config.Plan.Cost, config.Plan.PixelCost, graph: graph,
                    readoutData: parse.GetValue(probeOpt) ? trainingData : null,
                    search: parse.GetValue(searchOpt) ? config.Plan.Search : null),
                parse.GetValue(methodsOpt) ?? []);
            Directory.CreateDirectory(outFolder);
            // Recorded with the episodes file it planned, so the folder says what it holds.
            var recorded = parse.GetValue(episodesOpt) is { } file
                ? config with { EpisodesFile = Path.GetFullPath(file) }
                : config;
            AtomicFile.WriteAllText(Path.Combine(outFolder, "eval-config.json"), ConfigLoader.ToJson(recorded));
            var stage = new PlanStage(config, world, runConfig.Data.Render, episodes, Path.Combine(outFolder, "parts"));
            var rows = new List<PlanRow>();
            foreach (var (_, create) in config.OracleMethods(world))
                using (var oracle = create())
                    rows.AddRange(stage.Evaluate(oracle, 0, ConsoleObserver.Instance, cancel));
            foreach (var model in trained)
                using (model)
                    rows.AddRange(stage.Evaluate(model, (int)runConfig.Train.Seed, ConsoleObserver.Instance, cancel));
            PlanResults.Write(outFolder, rows);
            var plots = PlanReport.SavePlots(outFolder, rows, runConfig.Name);
            EvalPlanReport.Write(outFolder, folder, runConfig.Name, recorded, world, rows, episodes, plots);
            AnsiConsole.WriteLine();
            AnsiConsole.WriteLine(PlanReport.Table(rows));
            AnsiConsole.MarkupLine(
                "[green]done[/]: report.md, results.csv, results.json and plots in " +
                Markup.Escape(Paths.Show(outFolder)));
            return CommandRunner.Ok;
        })));
        return cmd;
    }

    /// <summary>
    /// The evaluation settings and where they came from: <c>--config</c> (an evaluation config, or an
    /// experiment config, whose "evaluation" section is taken), else, when RUN_DIR is a training unit of an
    /// experiment (RUN/train/&lt;model&gt;-seed&lt;s&gt;), the settings that experiment planned with, else the
    /// defaults. Overrides apply on top in each case.
    /// </summary>
    public static (PlanEvalConfig Config, string Source) Settings(
        string? configPath, string runFolder, string[] overrides)
    {
        string? path = configPath ?? ExperimentOf(runFolder);
        if (path is null) return (ConfigLoader.Parse<PlanEvalConfig>("{}", "--set", overrides), "--set");
        if (!File.Exists(path)) throw new FileNotFoundException($"--config {path}: no such file", path);
        // An experiment config says its kind, or (a run's saved config.json) has an "evaluation" section.
        var root = ConfigLoader.ParseTree(File.ReadAllText(path), path);
        bool experiment = ConfigLoader.FileKind(root) is { } kind
            ? kind == ExperimentKind
            : root is JsonObject o && o.ContainsKey(EvaluationKey);
        if (!experiment) return (ConfigLoader.LoadFile<PlanEvalConfig>(path, overrides), path);
        // An override names an evaluation key (plannerHorizons=[16]); in the experiment it sits under "evaluation".
        var settings = ConfigLoader.LoadFile<ExperimentConfig>(path, overrides.Select(o => $"{EvaluationKey}.{o}"));
        return (settings.Evaluation, path);
    }

    private const string EvaluationKey = "evaluation";

    /// <summary>The methods asked for (all when none are), the others disposed; an unknown name is refused.</summary>
    private static IReadOnlyList<IPlanningModel> Pick(IReadOnlyList<IPlanningModel> offered, string[] wanted)
    {
        if (wanted.Length == 0) return offered;
        var unknown = wanted.Where(w => offered.All(m => m.Name != w)).ToList();
        if (unknown.Count > 0)
        {
            foreach (var m in offered) m.Dispose();
            throw new ArgumentException($"--method {string.Join(", ", unknown)}: not a method of this run; " +
                $"allowed: {string.Join(", ", offered.Select(m => m.Name))}");
        }
        foreach (var m in offered.Where(m => !wanted.Contains(m.Name))) m.Dispose();
        return offered.Where(m => wanted.Contains(m.Name)).ToList();
    }

    private static readonly string ExperimentKind =
        typeof(ExperimentConfig).GetCustomAttribute<ConfigFileKindAttribute>()!.Name;

    /// <summary>
    /// The config.json of the experiment whose training unit <paramref name="runFolder"/> is, or null.
    /// </summary>
    private static string? ExperimentOf(string runFolder)
    {
        var unit = new DirectoryInfo(Path.GetFullPath(runFolder));
        if (unit.Parent is not { Name: ExperimentGraph.TrainFolder, Parent: { } experiment }) return null;
        string config = Path.Combine(experiment.FullName, ExperimentRunner.ConfigFile);
        return File.Exists(config) ? config : null;
    }
}
