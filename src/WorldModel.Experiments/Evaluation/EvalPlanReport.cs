using System.Text;
using WorldModel.Core.IO;
using WorldModel.Plan;
using WorldModel.Plan.Evaluation;
using WorldModel.Sim.Worlds;

namespace WorldModel.Experiments.Evaluation;

/// <summary>`wm eval-plan`'s report.md: which run, which settings and episodes, the results table and plots.</summary>
public static class EvalPlanReport
{
    public const string FileName = "report.md";

    public static void Write(
        string folder,
        string runFolder,
        string runName,
        PlanEvalConfig config,
        WorldConfig world,
        IReadOnlyList<PlanRow> rows,
        PlanEpisode[] episodes,
        IReadOnlyList<string> plots)
    {
        var planning = PlanningWorld.Of(world);
        var sb = new StringBuilder();
        sb.AppendLine($"# {runName}: planning evaluation").AppendLine();
        sb.AppendLine($"- Machine: {MachineInfo.Describe()}; {MachineInfo.CpuConvolutions()}");
        sb.AppendLine($"- Written {DateTime.Now:yyyy-MM-dd HH:mm} by `wm eval-plan` for the run in " +
                      $"`{Path.GetFullPath(runFolder)}`; settings in eval-config.json.");
        sb.AppendLine($"- Planning: {ExperimentReport.PlanningSettings(config, planning)}");
        sb.AppendLine($"- Episodes: {planning.DescribeEpisodes(episodes)}" +
                      (config.EpisodesFile is { } file ? $" From `{file}`." : ""));
        sb.AppendLine().AppendLine("## Results").AppendLine();
        sb.AppendLine(ExperimentReport.ResultsNote).AppendLine();
        sb.AppendLine(PlanReport.Table(rows));
        foreach (var p in plots) sb.AppendLine($"![{p}]({p}.png)").AppendLine();
        AtomicFile.WriteAllText(Path.Combine(folder, FileName), sb.ToString());
    }
}
