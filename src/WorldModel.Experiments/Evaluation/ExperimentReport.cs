using System.Globalization;
using System.Text;
using WorldModel.Core.Config;
using WorldModel.Core.IO;
using WorldModel.Experiments.Graph;
using WorldModel.Plan.Evaluation;
using WorldModel.Plan;
using WorldModel.Worlds;

namespace WorldModel.Experiments.Evaluation;

/// <summary>An experiment's results.csv/json, plots and report.md, from its plan parts and landscapes.</summary>
public static class ExperimentReport
{
    public static void Write(
        ExperimentConfig config,
        string folder,
        IReadOnlyList<PlanRow> rows,
        PlanEpisode[] episodes,
        IReadOnlyList<UnitRecord> stages,
        string? collection = null)
    {
        PlanResults.Write(folder, rows);
        var plots = PlanReport.SavePlots(Path.Combine(folder, "plots"), rows, config.Name);
        string landscapes = Path.Combine(folder, "plots");
        AtomicFile.WriteAllText(Path.Combine(folder, "report.md"),
            Markdown(config, rows, plots,
                File.Exists(Path.Combine(landscapes, "landscape.json")) ? Landscapes.Read(landscapes) : null,
                episodes, stages, collection));
    }

    private static string Markdown(
        ExperimentConfig config,
        IReadOnlyList<PlanRow> rows,
        IReadOnlyList<string> plots,
        (float GoalX, float GoalY, List<Landscapes.Summary> Costs)? landscapes,
        PlanEpisode[] episodes,
        IReadOnlyList<UnitRecord> stages,
        string? collection)
    {
        var e = config.Evaluation;
        var planning = PlanningWorld.Of(config.Data.World);
        var sb = new StringBuilder();
        sb.AppendLine($"# {config.Name}: planning success, latent versus pixel world models").AppendLine();
        sb.AppendLine($"- Machine: {MachineInfo.Describe()}; {MachineInfo.CpuConvolutions()}");
        double ranNow = stages.Where(s => !s.Reused).Sum(s => s.Seconds);
        sb.AppendLine($"- Written {DateTime.Now:yyyy-MM-dd HH:mm}; " +
                      $"this invocation's stages took {ranNow / 60:F1} min " +
                      "(stages reused from earlier invocations are marked).");
        sb.AppendLine($"- Data: {config.Data.Episodes:N0} episodes × {config.Data.Steps} steps of " +
                      $"{ConfigNames.Kind(config.Data.Policy.GetType())} " +
                      $"on {ConfigNames.Kind(config.Data.World.GetType())}, " +
                      $"{config.Data.Render.Size}×{config.Data.Render.Size} " +
                      $"{config.Data.Render.Layout.ToString().ToLowerInvariant()} frames.");
        foreach (var m in config.Models)
            sb.AppendLine($"- Model `{m.Name}`: {ConfigNames.Kind(m.Objective.GetType())} objective, " +
                          $"IMPALA widths {string.Join('-', m.Model.Widths)}, " +
                          $"{m.Model.Latent.ToString().ToLowerInvariant()} latent, " +
                          $"{m.Model.Predictor.ToString().ToLowerInvariant()} predictor; " +
                          $"{m.Train.Steps:N0} steps of {m.Train.BatchSize} × {m.Train.Rollout + 1} frames; " +
                          $"seeds {string.Join(", ", config.Seeds)}." +
                          (m.Hierarchy is { } h
                              ? $" High level (frozen low level): jumps of {h.Skip} steps driven by " +
                                (h.MacroAction == Models.Hierarchy.MacroActionKind.Sum
                                    ? "the sum of their actions"
                                    : $"{h.MacroActionDim}-number macro-actions") +
                                $", {h.Train.Steps:N0} steps of " +
                                $"{h.Train.BatchSize} × {h.Train.Rollout} jumps."
                              : ""));
        sb.AppendLine($"- Planning: {PlanningSettings(e, planning)}");
        if (config.Models.Any(m => m.Hierarchy is not null))
            sb.AppendLine($"- Two-level planning (methods ending in -hier): {HierarchySettings(e)}");
        if (rows.Any(r => r.Method.EndsWith("-search", StringComparison.Ordinal)))
            sb.AppendLine($"- Searching the learned jumps (methods ending in -search): {SearchSettings(e)}");
        sb.AppendLine($"- Episodes: {planning.DescribeEpisodes(episodes)}");
        sb.AppendLine().AppendLine("## Results").AppendLine();
        sb.AppendLine(ResultsNote).AppendLine();
        sb.AppendLine(PlanReport.Table(rows));
        foreach (var p in plots) sb.AppendLine($"![{p}](plots/{p}.png)").AppendLine();
        if (landscapes is { } l && l.Costs.Count > 0)
        {
            sb.AppendLine("## Cost landscapes").AppendLine();
            sb.AppendLine("Each planning cost of standing at each free point, " +
                          $"for a goal at ({l.GoalX:0.#}, {l.GoalY:0.#}) across the wall (seed {config.Seeds[0]}). " +
                          "Spearman: how well the cost orders points by true path length (geodesic) " +
                          "and by straight-line distance. " +
                          "Descent: the share of points from which stepping to the lowest neighbour " +
                          "ends at the goal; " +
                          "straight-line distance traps the other room at the wall.").AppendLine();
            sb.AppendLine(Landscapes.Table(l.Costs));
            foreach (var c in l.Costs.Where(c => !c.Model.StartsWith("oracle", StringComparison.Ordinal)))
                sb.AppendLine($"![{c.Model}](plots/{Landscapes.FileName(c.Model)}.png)").AppendLine();
        }
        if (collection is not null) sb.Append(collection);
        sb.AppendLine("## Stages").AppendLine();
        sb.AppendLine("| stage | what | time |").AppendLine("|---|---|---|");
        foreach (var s in stages)
            sb.AppendLine($"| {s.Stage} | {s.Summary} | " +
                (!s.Reused ? $"{s.Seconds:F0} s"
                    : s.Seconds > 0 ? $"reused ({s.Seconds:F0} s when made)" : "reused") +
                " |");
        return sb.ToString();
    }

    /// <summary>What the results table's rates and times mean (the experiment's report and eval-plan's).</summary>
    internal const string ResultsNote =
        "Success rates pooled over seeds with Wilson 95% intervals; with several seeds, " +
        "the mean ± standard deviation of per-seed rates follows. " +
        "Planning time: wall time of the batch divided by its episodes.";

    /// <summary>The two-level planner's settings in a sentence.</summary>
    internal static string HierarchySettings(PlanEvalConfig e)
    {
        var high = e.Plan.Hierarchy.Planner;
        return $"the high level searches macro-actions looking the planner horizon H ahead in jumps of k " +
            $"({ConfigNames.Kind(high.GetType())}, {high.Samples} samples × {high.Iterations} iterations, " +
            $"noise {high.Noise} of the macro-action box); the low level plans " +
            (e.Plan.Hierarchy.LowHorizon > 0 ? $"{e.Plan.Hierarchy.LowHorizon} steps" : "k steps") +
            " toward the first jump's predicted state, or toward the goal once the plan comes closest to it within " +
            "one jump; both replan together.";
    }

    /// <summary>How methods ending in -search search, in a sentence.</summary>
    internal static string SearchSettings(PlanEvalConfig e)
    {
        var search = e.Plan.Search;
        string jumps = search.Jumps == WorldModel.Plan.Mpc.SearchJumps.High
            ? "the high level's imagined jumps"
            : "jumps imagined as k steps of the low level's predictor";
        return $"breadth-first over {jumps}, {search.Depth} deep, every node expanded by " +
            $"{search.Directions} macro-actions round the edge of the macro-action box; of the new nodes, those " +
            $"within {search.Merge} of the first jumps' median latent length of one already found are dropped and " +
            $"the {search.Beam} farthest from all found kept; the low level plans toward the first jump on the path " +
            "to the found state closest to the goal, or toward the goal once that state is at most one jump away.";
    }

    /// <summary>The planner settings in a sentence (the experiment's report and eval-plan's).</summary>
    internal static string PlanningSettings(PlanEvalConfig e, IPlanningWorld planning) =>
        $"{ConfigNames.Kind(e.Plan.Planner.GetType())}, " +
        $"{e.Plan.Planner.Samples} samples × {e.Plan.Planner.Iterations} iterations, " +
        $"noise {e.Plan.Planner.Noise} {planning.ActionUnit}, " +
        $"horizons {string.Join(", ", e.PlannerHorizons)} (capped by steps left), " +
        $"replan every {e.Plan.ReplanEvery} steps, " +
        $"cost {e.Plan.Cost.ToString().ToLowerInvariant()} over the horizon in latents and " +
        $"{e.Plan.PixelCost.ToString().ToLowerInvariant()} in decoded frames, " +
        (e.Plan.LatentBlur.Length == 0 ? "" :
            "latent maps compared blurred by Gaussians of widths " +
            $"{string.Join(", ", e.Plan.LatentBlur.Select(s => s.ToString(CultureInfo.InvariantCulture)))} cells " +
            "(0: unblurred), each weighted to level off alike, summed, ") +
        $"{e.Plan.BatchEpisodes} episodes per batch.";
}
