namespace WorldModel.Demo;

/// <summary>One imagined frame of the pixel model: k steps ahead along the chosen plan (PNG data URL).</summary>
public sealed record ImaginedFrame(int Ahead, string Png);

/// <summary>
/// Everything the page draws, as of one moment. Immutable: the simulation thread publishes a new one
/// after every change and any number of clients read the latest without locks.
/// Positions are world units (the 64 × 64 arena), flattened (x0, y0, x1, y1, …). Planned in two levels,
/// <see cref="Subgoals"/> holds where the high level expects the agent after each jump of k steps (empty when flat);
/// the low level aims at the first of them, or at the goal itself when <see cref="AimAtGoal"/>.
/// In explore mode <see cref="Explore"/> holds the novelty heatmap and the chosen target (the goal); else null.
/// </summary>
public sealed record DemoSnapshot(
    long Version,
    string Status,
    bool Running,
    int Step,
    int Budget,
    float[] Agent,
    float[] Goal,
    float Distance,
    float SuccessRadius,
    float[] Arena,
    float[] Walls,
    float[] Layout,
    string Frame,
    float[] Trail,
    float[] PlannedPath,
    string PathSource,
    float[] Subgoals,
    bool AimAtGoal,
    float[][] Candidates,
    float[] CostPerIteration,
    float[] MeanCostPerIteration,
    double PlanMilliseconds,
    string? RealFrame,
    ImaginedFrame[] Imagined,
    DemoSettings Settings,
    string[] Models,
    string[] TwoLevelModels,
    string Message,
    ExploreView? Explore = null);
