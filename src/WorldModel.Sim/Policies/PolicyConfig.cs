using WorldModel.Core.Config;
using WorldModel.Sim.PushBall;
using WorldModel.Sim.TwoRooms;
using WorldModel.Sim.Worlds;

namespace WorldModel.Sim.Policies;

/// <summary>The policy that drives data collection: <c>{"kind": "random-walk", ...}</c>.</summary>
[ConfigUnion(typeof(UniformPolicyConfig), typeof(RandomWalkPolicyConfig), typeof(ExpertPolicyConfig), typeof(RandomPushesPolicyConfig), typeof(NoisyPusherPolicyConfig))]
public abstract record PolicyConfig
{
    /// <summary>World kinds this policy can drive.</summary>
    public abstract IReadOnlyList<string> Worlds { get; }

    public static IPolicy Create(PolicyConfig config, IWorldBatch world) => (config, world) switch
    {
        (UniformPolicyConfig c, _) => new UniformPolicy(c, world),
        (RandomWalkPolicyConfig c, TwoRoomsBatch w) => new RandomWalkPolicy(c, w),
        (ExpertPolicyConfig c, TwoRoomsBatch w) => new ExpertPolicy(c, w),
        (RandomPushesPolicyConfig c, PushBallBatch w) => new RandomPushesPolicy(c, w),
        (NoisyPusherPolicyConfig c, PushBallBatch w) => new NoisyPusherPolicy(c, w),
        _ => throw new ArgumentException($"policy '{ConfigNames.Kind(config.GetType())}' cannot drive world '{world.Spec.Kind}'; it works with: {string.Join(", ", config.Worlds)}"),
    };
}

/// <summary>Uniform random actions in the disk of allowed actions (any world).</summary>
[ConfigName("uniform")]
public sealed record UniformPolicyConfig : PolicyConfig
{
    public override IReadOnlyList<string> Worlds => ["two-rooms", "push-ball"];
}

/// <summary>
/// PLDM's random walk: the heading drifts by von Mises noise, step lengths are truncated normal.
/// A share of episodes start near the door and are steered through it first (PLDM's data has such
/// episodes so that the model sees crossings). Defaults from the prototype (docs/prototype-findings.md).
/// </summary>
[ConfigName("random-walk")]
public sealed record RandomWalkPolicyConfig : PolicyConfig
{
    public override IReadOnlyList<string> Worlds => ["two-rooms"];
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

/// <summary>A noisy goal-directed expert: walks the shortest path (through the door) to a random goal, then picks another.</summary>
[ConfigName("expert")]
public sealed record ExpertPolicyConfig : PolicyConfig
{
    public override IReadOnlyList<string> Worlds => ["two-rooms"];
    /// <summary>Step length as a share of the world's maxStep.</summary>
    [Range(0.05, 1)] public float Speed { get; init; } = 0.8f;
    /// <summary>Standard deviation of Gaussian noise added to each action (px).</summary>
    [Range(0, 8)] public float Noise { get; init; } = 0.3f;
}

/// <summary>Random pushes: a random acceleration held for a random (geometric) number of steps.</summary>
[ConfigName("random-pushes")]
public sealed record RandomPushesPolicyConfig : PolicyConfig
{
    public override IReadOnlyList<string> Worlds => ["push-ball"];
    /// <summary>Chance per step of drawing a new push.</summary>
    [Range(0, 1)] public float SwitchProbability { get; init; } = 0.15f;
}

/// <summary>A noisy pusher: gets behind the ball as seen from the target, then pushes it towards the target.</summary>
[ConfigName("noisy-pusher")]
public sealed record NoisyPusherPolicyConfig : PolicyConfig
{
    public override IReadOnlyList<string> Worlds => ["push-ball"];
    /// <summary>Standard deviation of Gaussian action noise, as a share of maxAccel.</summary>
    [Range(0, 4)] public float Noise { get; init; } = 0.3f;
    /// <summary>Speed at which the pusher approaches (share of maxSpeed).</summary>
    [Range(0.05, 1)] public float Speed { get; init; } = 0.7f;
}
