using System.Text.Json.Nodes;
using TorchSharp;
using WorldModel.Core.Config;
using WorldModel.Core.IO;

namespace WorldModel.Models.Training;

/// <summary>
/// initFrom: a run that starts from a finished run's weights (a curriculum's second phase) rather than random ones.
/// </summary>
public static class InitialWeights
{
    /// <summary>
    /// A fresh run's start under initFrom: the source run's final weights, tensor by tensor (a tensor only this model
    /// has, such as an inverse-dynamics head the source's objective lacked, keeps its random start and is named).
    /// The optimiser and schedule start fresh. Recorded in init.json (source folder, checkpoint, weights' SHA-256).
    /// </summary>
    public static void Load(TrainingRun run, LatentWorldModel model, Action<string>? onWarning)
    {
        string folder = run.InitFromFolder()!;
        if (!File.Exists(Path.Combine(folder, TrainingRun.ConfigFile)))
            throw new CheckpointException(
                $"initFrom: {folder} is not a training run folder (no {TrainingRun.ConfigFile}); name a finished run");
        var sourceConfig = TrainingRun.LoadConfig(folder);
        var source = new TrainingRun(sourceConfig, folder);
        if (source.CompletedSteps() < sourceConfig.Train.Steps)
            throw new CheckpointException(
                $"initFrom: {folder} has trained {source.CompletedSteps():N0} of {sourceConfig.Train.Steps:N0} " +
                "steps; finish it first (wm train --resume)");
        if (sourceConfig.Hierarchy is not null)
            throw new CheckpointException($"initFrom: {folder} is a high level; name a flat run");
        string sourceModel = ConfigLoader.ToJson(sourceConfig.Model), thisModel = ConfigLoader.ToJson(run.Config.Model);
        if (sourceModel != thisModel)
            throw new CheckpointException(
                $"initFrom: {folder} has another model than this run's: {ConfigDiff.Describe(sourceModel, thisModel)}" +
                "; a run starts only from weights of the same model");
        string checkpoint = source.LatestCheckpoint()!;
        using var trained = source.CreateModel();
        Checkpoint.Load(checkpoint, TrainingRun.Identity(folder), trained, optimizer: null);
        var weights = trained.state_dict();
        var kept = new List<string>();
        using (torch.no_grad())
            foreach (var (name, tensor) in model.state_dict())
            {
                if (!weights.TryGetValue(name, out var w))
                {
                    kept.Add(name);
                    continue;
                }
                if (!w.shape.SequenceEqual(tensor.shape))
                    throw new CheckpointException(
                        $"initFrom: {folder}'s {name} has shape [{string.Join(", ", w.shape)}], this run's " +
                        $"[{string.Join(", ", tensor.shape)}]: its frames or actions differ (data.render, the world)");
                tensor.copy_(w);
            }
        if (kept.Count > 0)
            onWarning?.Invoke(
                $"initFrom: {kept.Count} tensor{(kept.Count == 1 ? "" : "s")} not in {folder} keep their random " +
                $"start ({string.Join(", ", kept.Take(4))}{(kept.Count > 4 ? ", …" : "")})");
        var record = new JsonObject
        {
            ["from"] = folder,
            ["checkpoint"] = Path.GetFileName(checkpoint),
            ["modelSha256"] = Checkpoint.Verify(checkpoint).Sha256[Checkpoint.ModelFile],
        };
        AtomicFile.WriteAllText(Path.Combine(run.Folder, TrainingRun.InitFile),
            record.ToJsonString(new() { WriteIndented = true }));
    }
}
