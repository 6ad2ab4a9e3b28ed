using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using WorldModel.Core.Config;
using WorldModel.Models;
using WorldModel.Models.Planning;
using WorldModel.Models.Training;
using WorldModel.Plan.Evaluation;
using WorldModel.Plan.Models;
using WorldModel.Worlds;
using WorldModel.Experiments;

namespace WorldModel.Cli.Commands;

/// <summary>
/// `wm landscape RUN_DIR`: each planning cost of a trained run (and of the oracles) over the arena
/// for one goal, as heatmaps, with how well it ranks positions by true path length and from how many
/// positions greedy descent of it reaches the goal.
/// </summary>
public static class LandscapeCommand
{
    public static Command Build()
    {
        var run = new Argument<string>("RUN_DIR")
        {
            Description = "A training run folder (made by 'wm train' or 'wm run')",
        };
        var goalOpt = new Option<string>("--goal")
        {
            Description = "Goal as x,y in world units (default: the middle of the room after the wall)",
        };
        var cellOpt = new Option<float>("--cell")
        {
            Description = "Grid spacing in world units",
            DefaultValueFactory = _ => 1f,
        };
        var outOpt = new Option<string>("--out")
        {
            Description = "Folder for landscape.json and the heatmaps (default: RUN_DIR/landscape)",
        };
        var blurOpt = new Option<string>("--latent-blur")
        {
            Description = "Also draw a spatial latent's cost with its maps blurred at these widths in map cells " +
                "(plan.latentBlur), e.g. 0,1,2,4; named blurred/…",
        };
        var device = TrainCommand.DeviceOption();
        var cmd = new Command(
            "landscape",
            "Heatmaps of each planning cost over the arena for one goal: " +
            "does it lead through the door or trap at the wall?")
        {
            run, goalOpt, cellOpt, outOpt, blurOpt, device,
        };
        cmd.SetAction((parse, cancel) => Task.Run(() => CommandRunner.Run(() =>
        {
            string folder = parse.GetValue(run)!;
            var runConfig = TrainingRun.LoadConfig(folder);
            var world = runConfig.Data.World;
            if (world is not ICostLandscapeWorld landscapes)
                throw new ArgumentException(
                    $"{folder} was trained on {ConfigNames.Kind(world.GetType())}, " +
                    "which draws no cost landscapes (two-rooms does)");
            float cell = parse.GetValue(cellOpt);
            if (cell is < 0.25f or > 8f)
                throw new ArgumentException($"--cell {cell} is not allowed; allowed: 0.25 to 8 world units");
            // a fixed layout ignores it; a random one gives the data seed's first layout
            ulong layoutSeed = (ulong)runConfig.Data.Seed;
            var (goalX, goalY) = parse.GetValue(goalOpt) is { } g
                ? PointOption.Parse(g, "--goal")
                : landscapes.LandscapeGoal(layoutSeed);
            string outFolder = parse.GetValue(outOpt) ?? Path.Combine(folder, "landscape");
            var torchDevice = TorchRuntime.Initialise(TrainCommand.ParseDevice(parse.GetValue(device)!));
            var models = PlanningModels.OracleCosts(world)
                .Select(c => PlanningModels.Oracle(world, c, CostShape.Sum))
                .ToList();
            // A value's landscape is the jumps it counts from each point (its planning cost is the low level's).
            models.AddRange(TrainedPlanningModels.FromRun(folder, torchDevice, CostShape.Sum, CostShape.Sum)
                .Select(m => m is HierarchicalPlanningModel { ValueCost: { } value } ? value : m));
            if (parse.GetValue(blurOpt) is { } blur)
            {
                double[] widths = ParseWidths(blur);
                var blurred = TrainedPlanningModels
                    .FromRun(folder, torchDevice, CostShape.Sum, CostShape.Sum, "blurred")
                    .OfType<LearnedPlanningModel>().Where(m => m.Name == "blurred/latent").ToList();
                if (blurred is not [{ WhyNoMap: null }])
                    throw new ArgumentException(
                        $"--latent-blur {blur}: {folder}'s model " +
                        (blurred is [{ WhyNoMap: { } why }] ? why : "has no latent cost") +
                        "; leave --latent-blur out or draw a run with model.latent = spatial");
                blurred[0].LatentBlur = widths;
                models.Add(blurred[0]);
            }
            var results = landscapes.SaveLandscapes(
                outFolder, models, layoutSeed, runConfig.Data.Render, goalX, goalY, cell, cancel);

            var table = new Table().AddColumns(
                "cost", "Spearman vs geodesic", "Spearman vs straight", "descent reaches goal", "from the other room");
            foreach (var l in results)
                table.AddRow(
                    Markup.Escape(l.Model),
                    l.SpearmanGeodesic.ToString("0.00", CultureInfo.InvariantCulture),
                    l.SpearmanStraight.ToString("0.00", CultureInfo.InvariantCulture),
                    l.DescentReach.ToString("0%", CultureInfo.InvariantCulture),
                    l.DescentReachAcross.ToString("0%", CultureInfo.InvariantCulture));
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine(
                $"[green]done[/]: landscape.json and heatmaps in {Markup.Escape(Paths.Show(outFolder))}");
            return CommandRunner.Ok;
        })));
        return cmd;
    }

    private static double[] ParseWidths(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var widths = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out widths[i])
                || widths[i] is < 0 or > 64)
                throw new ArgumentException(
                    $"--latent-blur {text}: '{parts[i]}' is not allowed; allowed: widths 0 to 64 (map cells), " +
                    "separated by commas, e.g. 0,1,2,4");
        if (widths.Length == 0)
            throw new ArgumentException("--latent-blur is empty; give widths in map cells, e.g. 0,1,2,4");
        return widths;
    }
}
