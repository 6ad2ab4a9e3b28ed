using System.Diagnostics;
using WorldModel.Plan.Evaluation;
using WorldModel.Plan.Models;
using WorldModel.Plan.Planners;
using WorldModel.Render;
using WorldModel.Sim;
using WorldModel.Sim.Worlds;

namespace WorldModel.Plan.Mpc;

/// <summary>
/// One step of a running batch, for progress, recordings and the demo. PlannedActions and the high level's plan
/// cover the episodes active at this step, in order.
/// </summary>
public sealed record MpcStep(
    int Step,
    float[] States,
    bool[] Active,
    PlanResult? Plan,
    float[]? PlannedActions,
    int PlannerHorizon,
    HighLevelStep? High = null);

/// <summary>
/// A hierarchical model's high-level replan: what its search found, the chosen macro-actions (active episodes ×
/// MacroSteps × MacroDim) and, per active episode, whether the low level aimed at the goal itself (else at
/// the subgoal after the first macro-action).
/// </summary>
public sealed record HighLevelStep(PlanResult Plan, float[] MacroActions, int MacroSteps, bool[] AimAtGoal);

/// <summary>
/// Runs planned episodes on the real simulator of any world, a batch at a time, each batch by the one
/// MPC loop (<see cref="MpcLoop"/>): the evaluation's episodes, progress after every replan.
/// </summary>
public sealed class MpcRunner(WorldConfig world, IRenderer renderer, SceneBuilder scenes, MpcConfig config)
{

    /// <summary>
    /// Runs every episode. <paramref name="onEpisodes"/> gets the episodes done so far after each replan,
    /// a running episode counting as the share of its budget used (a whole batch can take minutes, so
    /// counting finished batches only would leave a progress bar at 0% with no rate or ETA).
    /// </summary>
    public EpisodeResult[] Run(
        IPlanningModel model,
        IReadOnlyList<PlanEpisode> episodes,
        Action<double>? onEpisodes = null,
        Action<MpcStep>? onStep = null,
        CancellationToken cancel = default)
    {
        var results = new List<EpisodeResult>();
        for (int first = 0; first < episodes.Count; first += config.BatchEpisodes)
        {
            var batch = episodes.Skip(first).Take(config.BatchEpisodes).ToArray();
            int before = results.Count;
            results.AddRange(RunBatch(
                model, batch, (ulong)first, onStep, share => onEpisodes?.Invoke(before + share), cancel));
            onEpisodes?.Invoke(results.Count);
        }
        return results.ToArray();
    }

    private EpisodeResult[] RunBatch(
        IPlanningModel model,
        PlanEpisode[] episodes,
        ulong batchIndex,
        Action<MpcStep>? onStep,
        Action<double> onShare,
        CancellationToken cancel)
    {
        var loop = new MpcLoop(world, renderer, scenes, config, model, episodes, batchIndex);
        while (!loop.Finished)
        {
            cancel.ThrowIfCancellationRequested();
            var step = loop.Step();
            onStep?.Invoke(step);
            onShare(loop.Progress);
        }
        return loop.Results();
    }
}
