using WorldModel.Core.Config;
using WorldModel.Sim.Worlds;

namespace WorldModel.Sim.Policies;

/// <summary>
/// The policy that drives data collection: <c>{"kind": "random-walk", ...}</c>. Uniform works in any
/// world; the others live with the world they drive and are registered in WorldModel.Worlds.
/// </summary>
[ConfigUnion("WorldModel.Worlds.WorldRegistry, WorldModel.Worlds")]
public abstract record PolicyConfig
{
    /// <summary>World kinds this policy can drive.</summary>
    public abstract IReadOnlyList<string> Worlds { get; }

    /// <summary>The registered default policy (random walk), with its defaults.</summary>
    public static PolicyConfig Default() => ConfigUnions.Default<PolicyConfig>();

    /// <summary>A policy acting in <paramref name="world"/>; a world it cannot drive gets a clear error.</summary>
    public abstract IPolicy Create(IWorldBatch world);

    /// <summary>The batch as the world type a policy needs, or the error naming the worlds it works with.</summary>
    protected T WorldAs<T>(IWorldBatch world) where T : IWorldBatch => world is T t ? t
        : throw new ArgumentException(
            $"policy '{ConfigNames.Kind(GetType())}' cannot drive world '{world.Spec.Kind}'; " +
            $"it works with: {string.Join(", ", Worlds)}");
}

/// <summary>Uniform random actions in the disk of allowed actions (any world).</summary>
[ConfigName("uniform")]
public sealed record UniformPolicyConfig : PolicyConfig
{
    public override IReadOnlyList<string> Worlds => ["two-rooms", "push-ball", "maze"];
    public override IPolicy Create(IWorldBatch world) => new UniformPolicy(this, world);
}
