using WorldModel.Core.Config;
using WorldModel.Sim.Policies;
using WorldModel.Sim.Worlds;
using WorldModel.Worlds.Maze;
using WorldModel.Worlds.PushBall;
using WorldModel.Worlds.TwoRooms;

namespace WorldModel.Worlds;

/// <summary>
/// The one place that lists the worlds. A world is a folder beside this file whose config record
/// derives from <see cref="WorldConfig"/> and implements the layers' interfaces (ISceneWorld,
/// IPlanningWorld, IDatasetWorld); registering it here (and its policies) is all the rest needs.
/// Config binding asks this registry for the cases of "kind" (the union attributes name it).
/// </summary>
public sealed class WorldRegistry : IConfigUnionRegistry
{
    /// <summary>Every world, the default first.</summary>
    public static IReadOnlyList<Type> Worlds { get; } =
        [typeof(TwoRoomsConfig), typeof(PushBallConfig), typeof(MazeConfig)];

    /// <summary>Every data-collection policy: the world-independent ones, then each world's.</summary>
    public static IReadOnlyList<Type> Policies { get; } =
        [
            typeof(UniformPolicyConfig),
            typeof(RandomWalkPolicyConfig),
            typeof(ExpertPolicyConfig),
            typeof(RandomPushesPolicyConfig),
            typeof(NoisyPusherPolicyConfig),
            typeof(MazeWalkPolicyConfig)
        ];

    public IReadOnlyList<Type> CasesOf(Type union) =>
        union == typeof(WorldConfig) ? Worlds
        : union == typeof(PolicyConfig) ? Policies
        : throw new ArgumentException($"{nameof(WorldRegistry)} has no cases for {union.Name}");

    public Type DefaultOf(Type union) =>
        union == typeof(WorldConfig) ? typeof(TwoRoomsConfig)
        : union == typeof(PolicyConfig) ? typeof(RandomWalkPolicyConfig)
        : throw new ArgumentException($"{nameof(WorldRegistry)} has no cases for {union.Name}");

    /// <summary>A new instance of each registered world, with its defaults.</summary>
    public static IEnumerable<WorldConfig> Defaults() => Worlds.Select(t => (WorldConfig)Activator.CreateInstance(t)!);
}
