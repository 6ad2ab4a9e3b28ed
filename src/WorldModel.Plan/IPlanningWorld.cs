using System.Text.Json.Nodes;
using WorldModel.Core.Config;
using WorldModel.Plan.Evaluation;
using WorldModel.Plan.Models;
using WorldModel.Sim.Worlds;

namespace WorldModel.Plan;

/// <summary>
/// What planning needs to know about a world: its evaluation episodes (drawn, and as a benchmark
/// file), its oracles, what success is measured against, and how its reports describe it.
/// Implemented by each world's config (WorldModel.Worlds); planners and the MPC loop see only this.
/// </summary>
public interface IPlanningWorld
{
    /// <summary>The oracle costs this world offers; the default oracles of an evaluation of it.</summary>
    IReadOnlyList<OracleCost> OracleCosts { get; }

    /// <summary>
    /// The true simulator as a planning model, scored by <paramref name="cost"/> (one of <see cref="OracleCosts"/>).
    /// </summary>
    IPlanningModel Oracle(OracleCost cost, CostShape shape);

    /// <summary>Draws the configured episodes; deterministic in (config, world).</summary>
    PlanEpisode[] Episodes(EpisodesConfig config);

    /// <summary>
    /// An error when <paramref name="config"/> asks for no episodes of this world (naming the keys to set), else
    /// null.
    /// </summary>
    string? NoEpisodes(EpisodesConfig config);

    /// <summary>What one entry of a benchmark file looks like, for error messages.</summary>
    string EpisodeExample { get; }

    /// <summary>
    /// Reads one benchmark-file entry; problems go to <paramref name="errors"/> with their path (e.g. "[3].start").
    /// </summary>
    PlanEpisode? ReadEpisode(JsonObject entry, string at, int id, List<ConfigError> errors);

    /// <summary>One benchmark-file entry; kind, task steps and the goal state are recomputed on reading.</summary>
    JsonObject WriteEpisode(PlanEpisode episode);

    /// <summary>
    /// Count × 2 positions the success point must reach (Two-Rooms: the goals; Push-Ball: the targets).
    /// </summary>
    float[] SuccessGoals(IReadOnlyList<PlanEpisode> episodes);

    /// <summary>The unit of the planner's noise and actions, for reports ("px", "px/step² (acceleration)").</summary>
    string ActionUnit { get; }

    /// <summary>A report's sentence on the episodes: how they are drawn, the budget, what success means.</summary>
    string DescribeEpisodes(IReadOnlyList<PlanEpisode> episodes);

    /// <summary>
    /// What the task leaves free in a goal, for goal variants (evaluation.plan.goalVariants); null when the goal
    /// state is all task (Two-Rooms: the agent's position is the task).
    /// </summary>
    string? FreeInGoal => null;

    /// <summary>
    /// Variant <paramref name="index"/> of <paramref name="count"/> of an episode's goal state: what the task asks
    /// kept, what it leaves free (<see cref="FreeInGoal"/>) drawn elsewhere, spread over the arena.
    /// </summary>
    float[] GoalVariant(PlanEpisode episode, int index, int count) =>
        throw new NotSupportedException("this world's goals leave nothing free");
}

public static class PlanningWorld
{
    /// <summary>The planning side of <paramref name="world"/>, or an error naming what it lacks.</summary>
    public static IPlanningWorld Of(WorldConfig world) => world as IPlanningWorld
        ?? throw new ArgumentException(
            $"world '{ConfigNames.Kind(world.GetType())}' cannot be planned in: " +
            $"its config does not implement IPlanningWorld");
}
