using WorldModel.Models;
using WorldModel.Models.Training;

namespace WorldModel.Demo;

/// <summary>
/// The high level trained on a demo model (a run whose config has a hierarchy section naming that model's run in
/// hierarchy.lowLevel): its model holds the frozen low level and the k-step jump predictor, so the low level's
/// probe reads its latents too.
/// </summary>
public sealed record TrainedHighLevel(string Folder, RunConfig Config, LatentWorldModel Model)
{
    /// <summary>Low-level steps one jump stands for (k).</summary>
    public int Skip => Config.Hierarchy?.Skip
        ?? throw new InvalidOperationException($"{Folder} has no hierarchy section: it is not a high level");
}
