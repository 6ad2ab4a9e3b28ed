using WorldModel.Core.Config;
using WorldModel.Sim.Policies;
using WorldModel.Sim.Worlds;

namespace WorldModel.Worlds.Maze;

/// <summary>
/// PLDM's random walk in the maze (Sobal et al. 2025): the heading drifts by von Mises noise, step lengths are
/// truncated normal; an agent pressed against a wall turns to a new random heading. Two-Rooms' random walk without
/// its door steering; defaults are PLDM's.
/// </summary>
[ConfigName("maze-walk")]
public sealed record MazeWalkPolicyConfig : PolicyConfig
{
    public override IReadOnlyList<string> Worlds => ["maze"];
    public override IPolicy Create(IWorldBatch world) => new MazeWalkPolicy(this, WorldAs<MazeBatch>(world));
    /// <summary>Von Mises concentration of the heading change per step (larger: straighter walks).</summary>
    [Range(0, 1000)] public float Kappa { get; init; } = 5f;
    [Range(0, 16)] public float StepMean { get; init; } = 1f;
    [Range(0, 16)] public float StepStd { get; init; } = 0.4f;
    [Range(0, 16)] public float StepMin { get; init; } = 0.2f;
    [Range(0, 16)] public float StepMax { get; init; } = 1.8f;
}
