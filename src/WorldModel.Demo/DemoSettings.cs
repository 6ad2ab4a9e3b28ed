using System.Text.Json.Nodes;
using WorldModel.Core.Config;
using WorldModel.Plan.Planners;

namespace WorldModel.Demo;

/// <summary>What the page's controls set. Limits keep a click from asking for hours of planning.</summary>
public sealed record DemoSettings
{
    public const int MaxHorizon = 96, MinSamples = 4, MaxSamples = 2048, MaxIterations = 10;
    public const string Goal = "goal", Explore = "explore";
    /// <summary>MPPI's noise colour on the page (configs/quickstart.json's plan.planner.noiseColour).</summary>
    public const float NoiseColour = 2f;
    public static readonly string[] Planners = ["mppi", "cem"], Modes = [Goal, Explore];

    /// <summary>Which world model plans: one of <see cref="DemoModels.Names"/>.</summary>
    public string Model { get; init; } = "jepa";
    public string Planner { get; init; } = "mppi";
    public int PlannerHorizon { get; init; } = 16;
    public int Samples { get; init; } = 64;
    public int Iterations { get; init; } = 2;
    /// <summary>
    /// Plan in two levels: a high level looks the horizon ahead in jumps of k steps and the low level plans k steps
    /// toward its first jump's prediction (a subgoal). Needs a model in <see cref="DemoModels.TwoLevelNames"/>.
    /// </summary>
    public bool TwoLevel { get; init; }
    /// <summary>
    /// <see cref="Goal"/>: plan to the goal the class sets; <see cref="Explore"/>: the agent picks its own goals
    /// where the JEPA finds the arena most novel (<see cref="DemoExplorer"/>).
    /// </summary>
    public string Mode { get; init; } = Goal;

    /// <summary>
    /// The planner these settings ask for, bound like a config's plan.planner (the closed set of planner
    /// kinds).
    /// </summary>
    public PlannerConfig CreatePlanner()
    {
        var settings = new JsonObject { ["kind"] = Planner, ["samples"] = Samples, ["iterations"] = Iterations };
        // Pink noise, as the quickstart's evaluation samples (its JEPA crosses in two levels 69% of 16 pairs with it,
        // 31% with white noise and a summed cost, the page's planning before 2026-12-06).
        if (Planner == "mppi") settings["noiseColour"] = NoiseColour;
        var planner = ConfigBinder.Bind<PlannerConfig>(settings, "demo settings");
        return planner is CemConfig cem ? cem with { Elites = Math.Max(2, Samples / 8) } : planner;
    }

    /// <summary>Null when the settings suit <paramref name="models"/>, else what is wrong and allowed.</summary>
    public string? Problem(DemoModels models) => Problem(models.Names, models.TwoLevelNames);

    /// <summary>Null when the settings are usable, else what is wrong and allowed.</summary>
    /// <param name="models">The models on offer (<see cref="DemoModels.Names"/>).</param>
    /// <param name="twoLevelModels">Those that can plan in two levels (<see cref="DemoModels.TwoLevelNames"/>).</param>
    public string? Problem(IReadOnlyCollection<string> models, IReadOnlyCollection<string> twoLevelModels)
    {
        if (!models.Contains(Model)) return $"model '{Model}' is not available; allowed: {string.Join(", ", models)}";
        if (TwoLevel && !twoLevelModels.Contains(Model))
            return $"two-level planning needs a high level, and none is loaded for '{Model}' (train one: a run whose "
                + "hierarchy.lowLevel names the model's run, in the same folder); "
                + $"models that plan in two levels: {string.Join(", ", twoLevelModels)}";
        if (!Modes.Contains(Mode)) return $"mode '{Mode}' is unknown; allowed: {string.Join(", ", Modes)}";
        if (Mode == Explore && !models.Contains(DemoModels.Jepa))
            return "explore mode scores novelty with the JEPA's encoder, and no JEPA is loaded";
        if (!Planners.Contains(Planner))
            return $"planner '{Planner}' is unknown; allowed: {string.Join(", ", Planners)}";
        if (PlannerHorizon is < 1 or > MaxHorizon)
            return $"horizon {PlannerHorizon} is out of range; allowed: 1 to {MaxHorizon}";
        if (Samples is < MinSamples or > MaxSamples)
            return $"samples {Samples} is out of range; allowed: {MinSamples} to {MaxSamples}";
        if (Iterations is < 1 or > MaxIterations)
            return $"iterations {Iterations} is out of range; allowed: 1 to {MaxIterations}";
        return null;
    }
}
