using Spectre.Console;
using WorldModel.Core.Config;
using WorldModel.Cli.Terminal;
using WorldModel.Plan.Evaluation;
using WorldModel.Plan.Models;
using WorldModel.Plan.Mpc;
using WorldModel.Render;
using WorldModel.Sim.Worlds;

namespace WorldModel.Cli.Experiments;

/// <summary>
/// Plans one model on every episode at every planner horizon. Each (method, seed, horizon) part is
/// saved as it finishes, so an interrupted evaluation resumes at the first unfinished part.
/// </summary>
public sealed class PlanStage(PlanEvalConfig config, WorldConfig world, RenderConfig render, PlanEpisode[] episodes, string partsFolder)
{
    public static PlanEpisode[] Episodes(PlanEvalConfig config, WorldConfig world, string? episodesFile = null)
    {
        string? file = episodesFile ?? config.EpisodesFile;
        return file is null ? PlanEpisodes.Generate(config.Episodes, world) : PlanEpisodes.Load(file, world);
    }

    /// <summary>Whether every part of the last <see cref="Evaluate"/> call came from an earlier invocation.</summary>
    public bool LastReused { get; private set; }

    public List<PlanRow> Evaluate(IPlanningModel model, int seed, CancellationToken cancel)
    {
        LastReused = true;
        var rows = new List<PlanRow>();
        var scenes = new SceneBuilder(world, render);
        foreach (int h in config.PlannerHorizons)
        {
            string part = Path.Combine(partsFolder, $"{model.Name.Replace('/', '-')}-seed{seed}-h{h}");
            if (File.Exists(Path.Combine(part, "results.json")))
            {
                AnsiConsole.MarkupLine($"plan {Markup.Escape(model.Name)} seed {seed} H={h}: reusing {Markup.Escape(Paths.Show(part))}");
                rows.AddRange(PlanResults.Read(part));
                continue;
            }
            LastReused = false;
            var mpc = config.Plan with { Horizon = h };
            using var renderer = RendererFactory.Create(render.Renderer, scenes.Format).Renderer;
            var runner = new MpcRunner(world, renderer, scenes, mpc);
            string planner = ConfigNames.Kind(mpc.Planner.GetType());
            var results = ProgressDisplay.Run($"plan {model.Name} seed {seed} H={h}", episodes.Length, "episodes",
                report => runner.Run(model, episodes, done => report(done), cancel: cancel));
            var partRows = results.Select(r => new PlanRow(model.Name, seed, planner, h, r)).ToList();
            PlanResults.Write(part, partRows);
            int strict = results.Count(r => r.Strict);
            AnsiConsole.MarkupLine($"  {Markup.Escape(model.Name)} H={h}: {strict}/{results.Length} strict successes, {results.Average(r => r.PlanSeconds):F2} s planning per episode");
            rows.AddRange(partRows);
        }
        return rows;
    }

}
