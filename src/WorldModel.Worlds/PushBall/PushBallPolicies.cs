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
    /// <summary>
    /// When the ball has stopped within this many px of the pusher's target, it draws a new target and pushes again,
    /// so one long episode holds several pushes (contacts are what a model must learn; one push per episode leaves
    /// most transitions walking to the ball). 0: one push, to the world's own target.
    /// </summary>
    [AddedKey, Range(0, 32)] public float RetargetWithin { get; init; }
}
