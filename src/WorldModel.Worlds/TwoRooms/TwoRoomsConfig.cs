using WorldModel.Core.Config;
using WorldModel.Sim.Worlds;
using WorldModel.Worlds.PointAgent;

namespace WorldModel.Worlds.TwoRooms;

/// <summary>
/// Two-Rooms after PLDM (Sobal et al. 2025): a point agent in a walled square split by a
/// wall with one door. Defaults are PLDM's fixed layout.
/// </summary>
[ConfigName("two-rooms")]
public sealed partial record TwoRoomsConfig : WorldConfig, IPointAgentWorld, IValidatable
{
    /// <summary>
    /// Largest action norm in px per step; longer actions are clipped. PLDM's planner limit ≈ 1.85.
    /// </summary>
    [Range(0.01, 16)] public float MaxStep { get; init; } = 1.85f;

    /// <summary>
    /// What a move that meets a wall does: stop on the face, slide along it (the default since 2026-12-03;
    /// configs before then stopped), or PLDM's inset and noise (see <see cref="PointAgent.ContactRule"/>).
    /// </summary>
    public ContactRule ContactRule { get; init; } = ContactRule.Slide;

    /// <summary>
    /// Standard deviation (px) of the noise at a contact; 0 = off. With contactRule pldm it is PLDM's
    /// distribution (σ 0.5 in their evaluation env); with stop and slide a Gaussian jitter moved as a second,
    /// checked segment.
    /// </summary>
    [Range(0, 4)] public float ContactNoise { get; init; } = 0f;

    /// <summary>Inner faces of the outer border: the agent lives in [BorderLow, BorderHigh]².</summary>
    [Range(0, 32)] public float BorderLow { get; init; } = 4f;
    [Range(32, 64)] public float BorderHigh { get; init; } = 60f;

    /// <summary>Closest a start position may be to a wall or border (PLDM: 2.6 px).</summary>
    [Range(0, 16)] public float StartMargin { get; init; } = 2.6f;

    public TwoRoomsLayoutConfig Layout { get; init; } = new FixedLayoutConfig();

    public IEnumerable<ConfigError> Validate()
    {
        if (BorderHigh - BorderLow < 8)
            yield return new("borderHigh", $"{BorderHigh} leaves less than 8 px of arena above borderLow {BorderLow}");
        foreach (var e in Layout.Validate(this))
            yield return e with { KeyPath = ConfigBinder.Join("layout", e.KeyPath) };
    }
}

public enum WallOrientation
{
    /// <summary>The wall runs along y at x = position; rooms are left and right.</summary>
    Vertical = 0,
    /// <summary>The wall runs along x at y = position; rooms are top and bottom.</summary>
    Horizontal = 1,
}

/// <summary>How each episode's wall and door are chosen.</summary>
[ConfigUnion(typeof(FixedLayoutConfig), typeof(RandomLayoutConfig))]
public abstract record TwoRoomsLayoutConfig
{
    internal abstract IEnumerable<ConfigError> Validate(TwoRoomsConfig world);
}

/// <summary>One layout for every episode. Defaults: PLDM's (wall faces at x = 31 and 33, door y ∈ [6, 14]).</summary>
[ConfigName("fixed")]
public sealed record FixedLayoutConfig : TwoRoomsLayoutConfig
{
    public WallOrientation Orientation { get; init; } = WallOrientation.Vertical;
    /// <summary>Centre of the wall across its thickness.</summary>
    [Range(0, 64)] public float WallPosition { get; init; } = 32f;
    [Range(0.5, 16)] public float WallThickness { get; init; } = 2f;
    /// <summary>The door spans [DoorStart, DoorEnd] along the wall.</summary>
    [Range(0, 64)] public float DoorStart { get; init; } = 6f;
    [Range(0, 64)] public float DoorEnd { get; init; } = 14f;

    internal override IEnumerable<ConfigError> Validate(TwoRoomsConfig w)
    {
        if (DoorEnd - DoorStart < 1)
            yield return new("doorEnd", $"{DoorEnd} must be at least 1 px above doorStart {DoorStart}");
        if (DoorStart < w.BorderLow || DoorEnd > w.BorderHigh)
            yield return new("doorStart",
                $"the door [{DoorStart}, {DoorEnd}] must lie within the border [{w.BorderLow}, {w.BorderHigh}]");
        if (WallPosition - WallThickness / 2 <= w.BorderLow + 1 || WallPosition + WallThickness / 2 >= w.BorderHigh - 1)
            yield return new("wallPosition",
                $"{WallPosition} puts the wall on the border; allowed: between " +
                $"{w.BorderLow + 1 + WallThickness / 2} and {w.BorderHigh - 1 - WallThickness / 2}");
    }
}

/// <summary>A new layout per episode: wall position, door position and width, and (beyond PLDM) orientation.</summary>
[ConfigName("random")]
public sealed record RandomLayoutConfig : TwoRoomsLayoutConfig
{
    [Range(0, 64)] public float WallPositionMin { get; init; } = 20f;
    [Range(0, 64)] public float WallPositionMax { get; init; } = 44f;
    [Range(0.5, 16)] public float WallThickness { get; init; } = 2f;
    [Range(1, 56)] public float DoorWidthMin { get; init; } = 6f;
    [Range(1, 56)] public float DoorWidthMax { get; init; } = 10f;
    /// <summary>Share of episodes whose wall is horizontal; 0 keeps PLDM's vertical wall.</summary>
    [Range(0, 1)] public float HorizontalProbability { get; init; } = 0.5f;

    internal override IEnumerable<ConfigError> Validate(TwoRoomsConfig w)
    {
        if (WallPositionMax < WallPositionMin)
            yield return new("wallPositionMax", $"{WallPositionMax} is below wallPositionMin {WallPositionMin}");
        if (WallPositionMin - WallThickness / 2 <= w.BorderLow + 1
            || WallPositionMax + WallThickness / 2 >= w.BorderHigh - 1)
            yield return new("wallPositionMin",
                $"[{WallPositionMin}, {WallPositionMax}] puts the wall on the border; allowed: within " +
                $"[{w.BorderLow + 1 + WallThickness / 2}, {w.BorderHigh - 1 - WallThickness / 2}]");
        if (DoorWidthMax < DoorWidthMin)
            yield return new("doorWidthMax", $"{DoorWidthMax} is below doorWidthMin {DoorWidthMin}");
        if (DoorWidthMax > w.BorderHigh - w.BorderLow)
            yield return new("doorWidthMax", $"{DoorWidthMax} is wider than the arena ({w.BorderHigh - w.BorderLow})");
    }
}
