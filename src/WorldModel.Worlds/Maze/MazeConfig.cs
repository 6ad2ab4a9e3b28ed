using WorldModel.Core.Config;
using WorldModel.Sim.Worlds;
using WorldModel.Worlds.PointAgent;

namespace WorldModel.Worlds.Maze;

/// <summary>
/// A point agent in a grid maze of rooms (cells) on Two-Rooms' arena, with Two-Rooms' physics: for long-horizon and
/// hierarchical planning, and for generalisation to unseen layouts (PLDM's diverse-maze protocol, Sobal et al. 2025:
/// train on a few layouts, evaluate on layouts never seen in training).
/// </summary>
[ConfigName("maze")]
public sealed partial record MazeConfig : WorldConfig, IPointAgentWorld, IValidatable
{
    /// <summary>
    /// Largest action norm in px per step; longer actions are clipped. PLDM's planner limit ≈ 1.85, as Two-Rooms.
    /// </summary>
    [Range(0.01, 16)] public float MaxStep { get; init; } = 1.85f;

    /// <summary>What a move that meets a wall does (see <see cref="PointAgent.ContactRule"/>); as Two-Rooms.</summary>
    public ContactRule ContactRule { get; init; } = ContactRule.Slide;

    /// <summary>Standard deviation (px) of the noise at a contact; 0 = off. As Two-Rooms' contactNoise.</summary>
    [Range(0, 4)] public float ContactNoise { get; init; } = 0f;

    /// <summary>Inner faces of the outer border: the agent lives in [BorderLow, BorderHigh]² (as Two-Rooms).</summary>
    [Range(0, 32)] public float BorderLow { get; init; } = 4f;
    [Range(32, 64)] public float BorderHigh { get; init; } = 60f;

    /// <summary>Closest a start position may be to a wall or border (PLDM: 2.6 px).</summary>
    [Range(0, 16)] public float StartMargin { get; init; } = 2.6f;

    /// <summary>
    /// Cells per side of the maze. Four is the most: a 4×4 maze needs up to 9 wall rectangles and a scene holds 8
    /// besides the border (such layouts are drawn again).
    /// </summary>
    [Range(2, 4)] public int Cells { get; init; } = 3;

    /// <summary>Thickness of a wall between two cells (px), centred on the cell boundary; Two-Rooms' is 2.</summary>
    [Range(0.5, 4)] public float WallThickness { get; init; } = 2f;

    /// <summary>
    /// Walls removed from each perfect maze at random, making loops: 0 keeps one path between any two cells. At most
    /// (cells − 1)², the walls a perfect maze has.
    /// </summary>
    [Range(0, 9)] public int ExtraOpenings { get; init; } = 0;

    /// <summary>
    /// How many distinct layouts training episodes draw from (PLDM's protocol: 5, 10, 20 or 40); each episode picks
    /// one uniformly from its own seed. 0 = a new layout per episode. Evaluation episodes never use one of them.
    /// </summary>
    [Range(0, 1000)] public int Layouts { get; init; } = 20;

    /// <summary>Seed of the training layouts.</summary>
    [Range(0, long.MaxValue)] public long LayoutSeed { get; init; } = 1;

    /// <summary>Side of one cell (px).</summary>
    public float CellSize => (BorderHigh - BorderLow) / Cells;

    public IEnumerable<ConfigError> Validate()
    {
        if (BorderHigh - BorderLow < 8)
            yield return new("borderHigh", $"{BorderHigh} leaves less than 8 px of arena above borderLow {BorderLow}");
        else if (CellSize - WallThickness <= 2 * StartMargin)
            yield return new("cells",
                $"{Cells} cells of {CellSize:0.##} px leave no free point {StartMargin} px (startMargin) from walls " +
                $"{WallThickness} px thick; allowed: fewer cells, a smaller startMargin or thinner walls");
        int walls = (Cells - 1) * (Cells - 1);
        if (ExtraOpenings > walls)
            yield return new("extraOpenings",
                $"{ExtraOpenings} is more than the {walls} walls a {Cells}×{Cells} perfect maze has; " +
                $"allowed: 0 to {walls}");
        else if (MazeLayouts.Count(Cells, ExtraOpenings) is var count && Layouts >= count)
            yield return new("layouts",
                $"{Layouts} training layouts leave no layout unseen for evaluation: a {Cells}×{Cells} maze with " +
                $"{ExtraOpenings} extra openings has {count} layouts; allowed: 0 to {count - 1}");
    }
}
