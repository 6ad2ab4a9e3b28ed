using WorldModel.Models;
using WorldModel.Models.Training;

namespace WorldModel.Demo;

/// <summary>
/// A trained model the demo plans with, the probe that draws its latents as positions and, when one was trained
/// on it, its high level (which lets the demo plan it in two levels).
/// </summary>
public sealed record TrainedModel(
    string Folder,
    RunConfig Config,
    LatentWorldModel Model,
    PositionProbe Probe,
    TrainedHighLevel? High = null);
