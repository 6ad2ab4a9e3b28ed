using WorldModel.Core.Config;
using WorldModel.Sim.Policies;
using WorldModel.Sim.Worlds;

namespace WorldModel.Worlds.PushBall;

/// <summary>Random pushes: a random acceleration held for a random (geometric) number of steps.</summary>
[ConfigName("random-pushes")]
public sealed record RandomPushesPolicyConfig : PolicyConfig
{
    public override IReadOnlyList<string> Worlds => ["push-ball"];
    public override IPolicy Create(IWorldBatch world) => new RandomPushesPolicy(this, WorldAs<PushBallBatch>(world));
    /// <summary>Chance per step of drawing a new push.</summary>
    [Range(0, 1)] public float SwitchProbability { get; init; } = 0.15f;
}

/// <summary>A noisy pusher: gets behind the ball as seen from the target, then pushes it towards the target.</summary>
[ConfigName("noisy-pusher")]
public sealed record NoisyPusherPolicyConfig : PolicyConfig
{
    public override IReadOnlyList<string> Worlds => ["push-ball"];
    public override IPolicy Create(IWorldBatch world) => new NoisyPusherPolicy(this, WorldAs<PushBallBatch>(world));
    /// <summary>Standard deviation of Gaussian action noise, as a share of maxAccel.</summary>
    [Range(0, 4)] public float Noise { get; init; } = 0.3f;
    /// <summary>Speed at which the pusher approaches (share of maxSpeed).</summary>
    [Range(0.05, 1)] public float Speed { get; init; } = 0.7f;
}
