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
using WorldModel.Experiments.Stages;
using WorldModel.Cli.Terminal;

namespace WorldModel.Cli.Commands;

/// <summary>`wm eval-plan RUN_DIR`: plan with a trained model (and the oracles) on drawn or fixed episodes.</summary>
public static class EvalPlanCommand
{
    public static Command Build()
    {
        var run = new Argument<string>("RUN_DIR") { Description = "A training run folder (made by 'wm train' or 'wm run')" };
        var episodesOpt = new Option<string>("--episodes") { Description = "A fixed benchmark: JSON list of {layout, start, goal, budget} (Two-Rooms) or {agent, ball, target, budget} (Push-Ball); write one with --save-episodes" };
        var saveOpt = new Option<string>("--save-episodes") { Description = "Also write the episodes used to this file, to share or re-run as a fixed benchmark" };
        var configOpt = new Option<string>("--config") { Description = "Evaluation settings (JSON: plan, plannerHorizons, episodes, oracles); defaults otherwise" };
        var setOpt = new Option<string[]>("--set") { Description = "Override an evaluation key: --set plannerHorizons=[16,48], --set plan.planner.kind=cem (repeatable)" };
        var outOpt = new Option<string>("--out") { Description = "Folder for results and plots (default: RUN_DIR/plan-<settings hash>)" };
        var noOracle = new Option<bool>("--no-oracle") { Description = "Skip the true-simulator baselines" };
        var device = TrainCommand.DeviceOption();
        var cmd = new Command("eval-plan", "Planning success of a trained model on the real simulator (MPC), with oracle baselines; results.csv/json, plots") { run, episodesOpt, saveOpt, configOpt, setOpt, outOpt, noOracle, device };
        cmd.SetAction((parse, cancel) => Task.Run(() => CommandRunner.Run(() =>
        {
            string folder = parse.GetValue(run)!;
            var runConfig = TrainingRun.LoadConfig(folder);
            var world = runConfig.Data.World;
            var overrides = parse.GetValue(setOpt) ?? [];
            // The evaluation's default oracles are the default world's; another world starts from its own (a --set still wins).
            if (!PlanningModels.OracleCosts(world).SequenceEqual(new PlanEvalConfig().Oracles))
                overrides = [$"oracles=[{string.Join(",", PlanningModels.OracleCosts(world).Select(c => $"\"{PlanningModels.Name(c)}\""))}]", .. overrides];
            if (parse.GetValue(noOracle)) overrides = [.. overrides, "oracles=[]"];
            string source = parse.GetValue(configOpt) ?? "--set";
            var config = parse.GetValue(configOpt) is { } path ? ConfigLoader.LoadFile<PlanEvalConfig>(path, overrides) : ConfigLoader.Parse<PlanEvalConfig>("{}", "--set", overrides);
            var worldErrors = config.ValidateFor(world).ToList();
            if (worldErrors.Count > 0) throw new ConfigException(source, worldErrors);
            var episodes = PlanStage.Episodes(config, world, parse.GetValue(episodesOpt));
            string episodesJson = PlanEpisodes.ToJson(episodes, world);
            if (parse.GetValue(saveOpt) is { } save) AtomicFile.WriteAllText(save, episodesJson);
            string episodesHash = AtomicFile.Sha256(System.Text.Encoding.UTF8.GetBytes(episodesJson))[..8];
            string outFolder = parse.GetValue(outOpt) ?? Path.Combine(folder, "plan-" + ConfigLoader.Hash(config, "plan-eval-v1" + episodesHash + TrainingRun.RunHash(folder))[..10]);
            var torchDevice = TorchRuntime.Initialise(TrainCommand.ParseDevice(parse.GetValue(device)!));
            string kinds = string.Join(", ", episodes.GroupBy(e => e.Kind).Select(g => $"{g.Count()} {g.Key}"));
            AnsiConsole.MarkupLine($"planning {episodes.Length} episodes ({kinds}) with {Markup.Escape(Paths.Show(folder))} → {Markup.Escape(Paths.Show(outFolder))}");
            // The trained models load (and their checkpoints are checked) before anything is written, so a run
            // that cannot be evaluated leaves no folder behind.
            var trained = TrainedPlanningModels.FromRun(folder, torchDevice, config.Plan.Cost, config.Plan.PixelCost);
            Directory.CreateDirectory(outFolder);
            AtomicFile.WriteAllText(Path.Combine(outFolder, "eval-config.json"), ConfigLoader.ToJson(config));
            var stage = new PlanStage(config, world, runConfig.Data.Render, episodes, Path.Combine(outFolder, "parts"));
            var rows = new List<PlanRow>();
            foreach (var cost in config.Oracles)
                using (var oracle = PlanningModels.Oracle(world, cost, config.Plan.Cost))
                    rows.AddRange(stage.Evaluate(oracle, 0, ConsoleObserver.Instance, cancel));
            foreach (var model in trained)
                using (model)
                    rows.AddRange(stage.Evaluate(model, (int)runConfig.Train.Seed, ConsoleObserver.Instance, cancel));
            PlanResults.Write(outFolder, rows);
            PlanReport.SavePlots(outFolder, rows, runConfig.Name);
            AnsiConsole.WriteLine();
            AnsiConsole.WriteLine(PlanReport.Table(rows));
            AnsiConsole.MarkupLine($"[green]done[/]: results.csv, results.json and plots in {Markup.Escape(Paths.Show(outFolder))}");
            return CommandRunner.Ok;
        })));
        return cmd;
    }
}
