using WorldModel.Core.Config;
using WorldModel.Sim.Worlds;

namespace WorldModel.Worlds.PushBall;

/// <summary>
/// An agent disk that pushes a ball in a walled arena: momentum, friction, restitution,
/// agent–ball and ball–wall contacts. Goal: the ball at a target.
/// </summary>
[ConfigName("push-ball")]
public sealed partial record PushBallConfig : WorldConfig, IValidatable
{
    [Range(0, 32)] public float BorderLow { get; init; } = 4f;
    [Range(32, 64)] public float BorderHigh { get; init; } = 60f;
    [Range(0.5, 12)] public float AgentRadius { get; init; } = 3f;
    [Range(0.5, 12)] public float BallRadius { get; init; } = 2.5f;
    [Range(0.01, 100)] public float AgentMass { get; init; } = 1f;
    [Range(0.01, 100)] public float BallMass { get; init; } = 0.5f;
    /// <summary>Largest action (agent acceleration) norm, px per step².</summary>
    [Range(0.01, 8)] public float MaxAccel { get; init; } = 0.5f;
    /// <summary>
    /// Agent speed cap, px per step; the ball is capped at twice this (the most an elastic push can give).
    /// </summary>
    [Range(0.1, 16)] public float MaxSpeed { get; init; } = 2f;
    /// <summary>Share of velocity lost per step to friction (linear damping), for agent and ball.</summary>
    [Range(0, 1)] public float Friction { get; init; } = 0.15f;
    /// <summary>Coefficient of restitution of ball–wall and agent–wall contacts.</summary>
    [Range(0, 1)] public float WallRestitution { get; init; } = 0.8f;
    /// <summary>Coefficient of restitution of agent–ball contacts.</summary>
    [Range(0, 1)] public float BallRestitution { get; init; } = 0.9f;
    /// <summary>Closest the ball's centre and the target may be to a wall at the start.</summary>
    [Range(0, 16)] public float StartMargin { get; init; } = 4f;

    /// <summary>
    /// Centre distance from which the agent pushes: touching, plus half a pixel of clearance (the scripted
    /// pusher lines up there, and the planning goal frame leaves the agent there, clear of the ball).
    /// </summary>
    public float PushDistance => AgentRadius + BallRadius + 0.5f;

    /// <summary>
    /// Substeps per step, chosen so nothing moves more than a quarter of the smallest radius per substep: no
    /// tunnelling.
    /// </summary>
    public int Substeps => Math.Max(1, (int)MathF.Ceiling(2 * MaxSpeed / (0.25f * MathF.Min(AgentRadius, BallRadius))));

    public IEnumerable<ConfigError> Validate()
    {
        float inner = BorderHigh - BorderLow;
        if (2 * (AgentRadius + BallRadius + StartMargin) > inner)
            yield return new("borderHigh",
                $"the arena ({inner} px) is too small for the agent, the ball and the start margin");
    }
}
