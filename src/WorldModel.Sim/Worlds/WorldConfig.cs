using WorldModel.Core.Config;

namespace WorldModel.Sim.Worlds;

/// <summary>
/// Which world, and its settings: <c>{"kind": "two-rooms", ...}</c>. The cases are the worlds
/// registered in WorldModel.Worlds (one folder each); this layer knows only what every world offers.
/// </summary>
[ConfigUnion("WorldModel.Worlds.WorldRegistry, WorldModel.Worlds")]
public abstract record WorldConfig
{
    /// <summary>Side of the square arena in world units; one unit is one pixel of a 64×64 frame.</summary>
    public const float ArenaSize = 64f;

    /// <summary>
    /// Success threshold, PLDM's strict one: mean squared error over (x, y) below 1, i.e. distance below √2.
    /// </summary>
    public const float StrictSuccessDistance = 1.41421356f;

    /// <summary>Success threshold used by DINO-WM and eb_jepa.</summary>
    public const float LooseSuccessDistance = 4.5f;

    /// <summary>The registered default world (Two-Rooms), with its defaults.</summary>
    public static WorldConfig Default() => ConfigUnions.Default<WorldConfig>();

    /// <summary>Sizes of its state, action and layout vectors.</summary>
    public abstract WorldSpec Spec { get; }

    /// <summary>Largest action norm (Two-Rooms: the step length; Push-Ball: the acceleration).</summary>
    public abstract float ActionLimit { get; }

    /// <summary>The world in a few words, for logs: its kind (and, where it matters, its variant).</summary>
    public virtual string Describe() => ConfigNames.Kind(GetType());

    /// <summary><paramref name="count"/> copies of this world, stepped together.</summary>
    public abstract IWorldBatch CreateBatch(int count);
}
