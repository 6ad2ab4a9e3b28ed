using System.Diagnostics;
using System.Text;
using Spectre.Console;
using WorldModel.Cli.Commands;
using WorldModel.Cli.Terminal;
using WorldModel.Core.Config;
using WorldModel.Core.IO;
using WorldModel.Models.Planning;
using WorldModel.Models.Training;
using WorldModel.Plan.Evaluation;
using WorldModel.Plan.Models;
using WorldModel.Render;
using WorldModel.Sim.PushBall;
using WorldModel.Sim.TwoRooms;
using static TorchSharp.torch;

namespace WorldModel.Cli.Experiments;

/// <summary>
/// `wm run`: data → train (each model × seed) → plan → report, in experiments/&lt;name&gt;/&lt;run-id&gt;/.
/// The run id is the hash of the resolved config, so running the same config again finds the same
/// folder: finished stages are reused (data by content hash, training by its final checkpoint,
/// planning by its saved parts) and an interrupted stage resumes.
/// </summary>
public sealed class ExperimentRunner(ExperimentConfig config, string folder, Device device)
{
    public const string ConfigFile = "config.json";
    private readonly List<(string Stage, string What, double Seconds, bool Reused)> _log = [];

    public static string RunId(ExperimentConfig config) => "run-" + ConfigLoader.Hash(config, "experiment-v1")[..10];

    /// <summary>Where a config's run goes without --out: experiments/&lt;name&gt;/run-&lt;config hash&gt;, so a rerun finds it.</summary>
    public static string DefaultFolder(ExperimentConfig config) => Path.Combine(Paths.Experiments, config.Name, RunId(config));

    public string Folder => folder;

    /// <summary>Runs every stage; with <paramref name="trainOnly"/>, stops after training (the demo's fallback model).</summary>
    public void Run(CancellationToken cancel, bool trainOnly = false)
    {
        Directory.CreateDirectory(folder);
        string configPath = Path.Combine(folder, ConfigFile);
        string json = ConfigLoader.ToJson(config);
        if (File.Exists(configPath) && File.ReadAllText(configPath) != json)
            throw new ArgumentException($"{folder} holds an experiment with another config; choose another --out (or leave --out away: each config gets its own run folder)");
        if (!File.Exists(configPath)) AtomicFile.WriteAllText(configPath, json);
        var world = config.Data.World;
        var total = Stopwatch.StartNew();

        // Data: shared by every model and seed (same content hash, same files).
        var sw = Stopwatch.StartNew();
        bool dataExisted = DataStage.Exists(config.Data);
        var data = DataStage.OpenOrGenerate(config.Data, cancel);
        Log("data", $"{config.Data.Episodes:N0} episodes × {config.Data.Steps} steps ({Paths.Show(DataStage.Folder(config.Data))})", sw, dataExisted);

        // Train: each model × seed, in its own run folder; a finished run is reused, a partial one resumed.
        var runs = new List<(ModelEntry Entry, int Seed, string Folder)>();
        var format = new SceneBuilder(config.Data.World, config.Data.Render).Format;
        foreach (var entry in config.Models)
            foreach (int seed in config.Seeds)
            {
                var runConfig = config.RunOf(entry, seed);
                string runFolder = Path.Combine(folder, "train", $"{entry.Name}-seed{seed}");
                var run = new TrainingRun(runConfig, runFolder);
                runs.Add((entry, seed, runFolder));
                sw.Restart();
                if (run.CompletedSteps() >= runConfig.Train.Steps)
                {
                    AnsiConsole.MarkupLine($"train {Markup.Escape(entry.Name)} seed {seed}: reusing {Markup.Escape(Paths.Show(runFolder))} ({runConfig.Train.Steps:N0} steps done)");
                    Log("train", $"{entry.Name} seed {seed}: {runConfig.Train.Steps:N0} steps", sw, reused: true);
                    continue;
                }
                using var renderer = RendererFactory.Create(config.Data.Render.Renderer, format).Renderer;
                int steps = runConfig.Train.Steps;
                ProgressDisplay.Run($"train {entry.Name} seed {seed}", steps, "steps", report => run.Run(data, renderer, device, m =>
                {
                    report(m.Step + 1);
                    if (m.Step % runConfig.LogEvery == 0 || m.Step + 1 == steps)
                        Console.WriteLine($"  {entry.Name} seed {seed} step {m.Step + 1,6}/{steps}  loss {m.Loss:F4}  " + string.Join("  ", m.Terms.Select(t => $"{t.Key} {t.Value:F4}")));
                }, cancel, warning => AnsiConsole.MarkupLine($"[yellow]warning[/]: {Markup.Escape(warning)}")));
                TrainCommand.PlotLosses(run);
                Log("train", $"{entry.Name} seed {seed}: {steps:N0} steps of {runConfig.Train.BatchSize} × {runConfig.Train.Horizon + 1} frames", sw, reused: false);
            }

        if (trainOnly) return;

        // Plan: oracles once, every trained model per seed; each part saved as it finishes.
        var episodes = PlanStage.Episodes(config.Evaluation, world);
        var stage = new PlanStage(config.Evaluation, world, config.Data.Render, episodes, Path.Combine(folder, "plan"));
        var rows = new List<PlanRow>();
        foreach (var cost in config.Evaluation.Oracles)
        {
            sw.Restart();
            using var oracle = PlanningModels.Oracle(world, cost, config.Evaluation.Plan.Cost);
            rows.AddRange(Timed(stage, oracle, 0, sw, cancel));
        }
        foreach (var (entry, seed, runFolder) in runs)
            foreach (var model in TrainedPlanningModels.FromRun(runFolder, device, config.Evaluation.Plan.Cost, config.Evaluation.Plan.PixelCost, entry.Name))
                using (model)
                {
                    sw.Restart();
                    rows.AddRange(Timed(stage, model, seed, sw, cancel));
                }

        // Cost landscapes (Two-Rooms, first seed): what each planner's cost looks like over the arena for one goal across the wall.
        var landscapes = new List<CostLandscape>();
        if (world is TwoRoomsConfig twoRooms)
        {
            sw.Restart();
            ulong layoutSeed = (ulong)config.Data.Seed;
            var layout = TwoRoomsLayout.Create(twoRooms.Layout, ref layoutSeed, twoRooms.BorderLow, twoRooms.BorderHigh);
            var goal = LandscapeReport.DefaultGoal(twoRooms, layout);
            var landscapeModels = config.Evaluation.Oracles.Select(c => PlanningModels.Oracle(world, c, CostShape.Sum))
                .Concat(runs.Where(r => r.Seed == config.Seeds[0]).SelectMany(r => TrainedPlanningModels.FromRun(r.Folder, device, CostShape.Sum, CostShape.Sum, r.Entry.Name)));
            landscapes = LandscapeReport.Save(Path.Combine(folder, "plots"), landscapeModels, twoRooms, layout, config.Data.Render, goal.X, goal.Y, cancel: cancel);
            Log("landscape", $"{landscapes.Count} costs over the arena, goal ({goal.X:0.#}, {goal.Y:0.#})", sw, reused: false);
        }

        // Report.
        PlanResults.Write(folder, rows);
        var plots = PlanReport.SavePlots(Path.Combine(folder, "plots"), rows, config.Name);
        WriteReport(rows, plots, landscapes, episodes, total.Elapsed);
        AnsiConsole.MarkupLine($"[green]done[/]: {rows.Count:N0} planned episodes; results.csv, results.json, plots/ and report.md in {Markup.Escape(Paths.Show(folder))}");
    }

    private List<PlanRow> Timed(PlanStage stage, IPlanningModel model, int seed, Stopwatch sw, CancellationToken cancel)
    {
        var rows = stage.Evaluate(model, seed, cancel);
        Log("plan", $"{model.Name} seed {seed}: {rows.Count} episodes", sw, stage.LastReused);
        return rows;
    }

    private void Log(string stage, string what, Stopwatch sw, bool reused)
    {
        _log.Add((stage, what, sw.Elapsed.TotalSeconds, reused));
        File.AppendAllText(Path.Combine(folder, "log.txt"), $"{DateTime.Now:yyyy-MM-dd HH:mm:ss} {stage}: {what}: {(reused ? "reused" : $"{sw.Elapsed.TotalSeconds:F0} s")}\n");
    }

    private void WriteReport(IReadOnlyList<PlanRow> rows, IReadOnlyList<string> plots, IReadOnlyList<CostLandscape> landscapes, PlanEpisode[] episodes, TimeSpan elapsed)
    {
        var e = config.Evaluation;
        var sb = new StringBuilder();
        sb.AppendLine($"# {config.Name}: planning success, latent versus pixel world models").AppendLine();
        sb.AppendLine($"- Machine: {MachineInfo.Describe()}");
        sb.AppendLine($"- Written {DateTime.Now:yyyy-MM-dd HH:mm}; this invocation took {elapsed.TotalMinutes:F1} min (stages reused from earlier invocations are marked).");
        sb.AppendLine($"- Data: {config.Data.Episodes:N0} episodes × {config.Data.Steps} steps of {ConfigNames.Kind(config.Data.Policy.GetType())} on {ConfigNames.Kind(config.Data.World.GetType())}, {config.Data.Render.Size}×{config.Data.Render.Size} {config.Data.Render.Layout.ToString().ToLowerInvariant()} frames.");
        foreach (var m in config.Models)
            sb.AppendLine($"- Model `{m.Name}`: {ConfigNames.Kind(m.Objective.GetType())} objective, IMPALA widths {string.Join('-', m.Model.Widths)}, {m.Model.Latent.ToString().ToLowerInvariant()} latent, {m.Model.Predictor.ToString().ToLowerInvariant()} predictor; {m.Train.Steps:N0} steps of {m.Train.BatchSize} × {m.Train.Horizon + 1} frames; seeds {string.Join(", ", config.Seeds)}.");
        sb.AppendLine($"- Planning: {ConfigNames.Kind(e.Plan.Planner.GetType())}, {e.Plan.Planner.Samples} samples × {e.Plan.Planner.Iterations} iterations, noise {e.Plan.Planner.Noise} {(config.Data.World is PushBallConfig ? "px/step² (acceleration)" : "px")}, " +
                      $"horizons {string.Join(", ", e.PlannerHorizons)} (capped by steps left), replan every {e.Plan.ReplanEvery} steps, cost {e.Plan.Cost.ToString().ToLowerInvariant()} over the horizon in latents and {e.Plan.PixelCost.ToString().ToLowerInvariant()} in decoded frames, {e.Plan.BatchEpisodes} episodes per batch.");
        if (config.Data.World is PushBallConfig)
            sb.AppendLine($"- Episodes: {episodes.Length} pushes (agent, ball and target drawn as the world's reset draws them; the goal frame shows the ball on the target and the agent at rest behind it), budget {episodes.Max(x => x.Budget)} steps; success = the ball stopped (≤ {PushBallBatch.SettledSpeed} px per step) with its centre within √2 px (strict) or 4.5 px (loose) of the target; task horizon = the reach-then-push path at top speed.");
        else
            sb.AppendLine($"- Episodes: {episodes.Count(x => x.Kind == PlanEpisode.Same)} same-room and {episodes.Count(x => x.Kind == PlanEpisode.Across)} across-room start/goal pairs (PLDM's protocol: 2.6 px from walls, sides swapped half the time), budget {episodes.Max(x => x.Budget)} steps; strict success = within √2 px, loose = within 4.5 px.");
        sb.AppendLine().AppendLine("## Results").AppendLine();
        sb.AppendLine("Success rates pooled over seeds with Wilson 95% intervals; with several seeds, the mean ± standard deviation of per-seed rates follows. Planning time: wall time of the batch divided by its episodes.").AppendLine();
        sb.AppendLine(PlanReport.Table(rows));
        foreach (var p in plots) sb.AppendLine($"![{p}](plots/{p}.png)").AppendLine();
        if (landscapes.Count > 0)
        {
            sb.AppendLine("## Cost landscapes").AppendLine();
            sb.AppendLine($"Each planning cost of standing at each free point, for a goal at ({landscapes[0].GoalX:0.#}, {landscapes[0].GoalY:0.#}) across the wall (seed {config.Seeds[0]}). " +
                          "Spearman: how well the cost orders points by true path length (geodesic) and by straight-line distance. " +
                          "Descent: the share of points from which stepping to the lowest neighbour ends at the goal; straight-line distance traps the other room at the wall.").AppendLine();
            sb.AppendLine(LandscapeReport.Table(landscapes));
            foreach (var l in landscapes.Where(l => !l.Model.StartsWith("oracle", StringComparison.Ordinal)))
                sb.AppendLine($"![{l.Model}](plots/{LandscapeReport.FileName(l.Model)}.png)").AppendLine();
        }
        sb.AppendLine("## Stages").AppendLine();
        sb.AppendLine("| stage | what | time |").AppendLine("|---|---|---|");
        foreach (var (stage, what, seconds, reused) in _log) sb.AppendLine($"| {stage} | {what} | {(reused ? "reused" : $"{seconds:F0} s")} |");
        AtomicFile.WriteAllText(Path.Combine(folder, "report.md"), sb.ToString());
    }
}
