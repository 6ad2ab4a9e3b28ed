using WorldModel.Core.Config;
using WorldModel.Sim.PushBall;
using WorldModel.Sim.TwoRooms;

namespace WorldModel.Sim.Worlds;

/// <summary>Which world, and its settings: <c>{"kind": "two-rooms", ...}</c> or <c>{"kind": "push-ball", ...}</c>.</summary>
[ConfigUnion(typeof(TwoRoomsConfig), typeof(PushBallConfig))]
public abstract record WorldConfig
{
    /// <summary>Side of the square arena in world units; one unit is one pixel of a 64×64 frame.</summary>
    public const float ArenaSize = 64f;

    /// <summary>Success threshold, PLDM's strict one: mean squared error over (x, y) below 1, i.e. distance below √2.</summary>
    public const float StrictSuccessDistance = 1.41421356f;

    /// <summary>Success threshold used by DINO-WM and eb_jepa.</summary>
    public const float LooseSuccessDistance = 4.5f;

    public static IWorldBatch Create(WorldConfig config, int count) => config switch
    {
        TwoRoomsConfig c => new TwoRoomsBatch(c, count),
        PushBallConfig c => new PushBallBatch(c, count),
        _ => throw new ArgumentOutOfRangeException(nameof(config), config.GetType().Name, "unknown world"),
    };

    /// <summary>Largest action norm: Two-Rooms' step length, Push-Ball's acceleration.</summary>
    public static float ActionLimit(WorldConfig config) => config switch
    {
        TwoRoomsConfig c => c.MaxStep,
        PushBallConfig c => c.MaxAccel,
        _ => throw new ArgumentOutOfRangeException(nameof(config), config.GetType().Name, "unknown world"),
    };

    public static WorldSpec SpecOf(WorldConfig config) => config switch
    {
        TwoRoomsConfig => TwoRoomsBatch.WorldSpec,
        PushBallConfig => PushBallBatch.WorldSpec,
        _ => throw new ArgumentOutOfRangeException(nameof(config), config.GetType().Name, "unknown world"),
    };
}
