using WorldModel.Core.Config;
using WorldModel.Sim.Policies;
using WorldModel.Sim.Worlds;

namespace WorldModel.Worlds.TwoRooms;

/// <summary>
/// PLDM's random walk: the heading drifts by von Mises noise, step lengths are truncated normal.
/// A share of episodes start near the door and are steered through it first (PLDM's data has such
/// episodes so that the model sees crossings). Defaults from the prototype (docs/prototype-findings.md).
/// </summary>
[ConfigName("random-walk")]
public sealed record RandomWalkPolicyConfig : PolicyConfig
{
    public override IReadOnlyList<string> Worlds => ["two-rooms"];
    public override IPolicy Create(IWorldBatch world) => new RandomWalkPolicy(this, WorldAs<TwoRoomsBatch>(world));
    /// <summary>Von Mises concentration of the heading change per step (larger: straighter walks).</summary>
    [Range(0, 1000)] public float Kappa { get; init; } = 5f;
    [Range(0, 16)] public float StepMean { get; init; } = 1f;
    [Range(0, 16)] public float StepStd { get; init; } = 0.4f;
    [Range(0, 16)] public float StepMin { get; init; } = 0.2f;
    [Range(0, 16)] public float StepMax { get; init; } = 1.8f;
    /// <summary>Share of episodes that start near the door and are steered through it.</summary>
    [Range(0, 1)] public float DoorShare { get; init; } = 0.6f;
    /// <summary>How far from the door's centre such episodes start (px).</summary>
    [Range(1, 32)] public float DoorStartRadius { get; init; } = 8f;
}

/// <summary>
/// A noisy goal-directed expert: walks the shortest path (through the door) to a random goal, then picks another.
/// </summary>
[ConfigName("expert")]
public sealed record ExpertPolicyConfig : PolicyConfig
{
    public override IReadOnlyList<string> Worlds => ["two-rooms"];
    public override IPolicy Create(IWorldBatch world) => new ExpertPolicy(this, WorldAs<TwoRoomsBatch>(world));
    /// <summary>Step length as a share of the world's maxStep.</summary>
    [Range(0.05, 1)] public float Speed { get; init; } = 0.8f;
    /// <summary>Standard deviation of Gaussian noise added to each action (px).</summary>
    [Range(0, 8)] public float Noise { get; init; } = 0.3f;
}
