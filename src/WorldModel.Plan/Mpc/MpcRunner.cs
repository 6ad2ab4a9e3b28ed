using System.Diagnostics;
using WorldModel.Plan.Evaluation;
using WorldModel.Plan.Models;
using WorldModel.Plan.Planners;
using WorldModel.Render;
using WorldModel.Sim;
using WorldModel.Sim.Worlds;

namespace WorldModel.Plan.Mpc;

/// <summary>One step of a running batch, for progress, recordings and the demo.</summary>
public sealed record MpcStep(int Step, float[] States, bool[] Active, PlanResult? Plan, float[]? PlannedActions, int Horizon);

/// <summary>
/// Runs planned episodes on the real simulator of any world, a batch at a time: render
/// what the agent sees, plan with the model, execute <see cref="MpcConfig.ReplanEvery"/> actions,
/// repeat until the strict success threshold or the budget. Episodes that have succeeded leave the batch.
/// </summary>
public sealed class MpcRunner(WorldConfig world, IRenderer renderer, SceneBuilder scenes, MpcConfig config)
{
    private readonly IPlanner _planner = config.Planner.Create(world.ActionLimit);

    /// <summary>
    /// Runs every episode. <paramref name="onEpisodes"/> gets the episodes done so far after each replan,
    /// a running episode counting as the share of its budget used (a whole batch can take minutes, so
    /// counting finished batches only would leave a progress bar at 0% with no rate or ETA).
    /// </summary>
    public EpisodeResult[] Run(IPlanningModel model, IReadOnlyList<PlanEpisode> episodes, Action<double>? onEpisodes = null, Action<MpcStep>? onStep = null, CancellationToken cancel = default)
    {
        var results = new List<EpisodeResult>();
        for (int first = 0; first < episodes.Count; first += config.BatchEpisodes)
        {
            var batch = episodes.Skip(first).Take(config.BatchEpisodes).ToArray();
            int before = results.Count;
            results.AddRange(RunBatch(model, batch, (ulong)first, onStep, share => onEpisodes?.Invoke(before + share), cancel));
            onEpisodes?.Invoke(results.Count);
        }
        return results.ToArray();
    }

    private EpisodeResult[] RunBatch(IPlanningModel model, PlanEpisode[] episodes, ulong batchIndex, Action<MpcStep>? onStep, Action<double> onShare, CancellationToken cancel)
    {
        var spec = world.Spec;
        int e = episodes.Length, a = spec.ActionDim, hMax = config.Horizon, ld = spec.LayoutDim, sd = spec.StateDim;
        int budget = episodes.Max(x => x.Budget);
        var sim = world.CreateBatch(e);
        var layouts = episodes.SelectMany(x => x.Layout).ToArray();
        sim.Load(episodes.SelectMany(x => x.Start).ToArray(), layouts);
        var goals = episodes.SelectMany(x => x.Goal).ToArray();
        // Success: the world's success point at its goal (Two-Rooms: the agent; Push-Ball: the ball on its target).
        var tracker = new SuccessTracker(sim, PlanningWorld.Of(world).SuccessGoals(episodes));
        var minDistance = (float[])tracker.Distance.Clone();
        model.SetGoals(Observe(goals, layouts, e));
        int goalsFor = e;

        var plans = new float[e * hMax * a];          // warm starts, shifted after each execution
        var replans = new int[e];
        var done = new bool[e];
        var stoppedAt = new int[e];
        double planSeconds = 0;
        var states = new float[e * sd];
        var step = new float[e * a];
        for (int t = 0; t < budget;)
        {
            cancel.ThrowIfCancellationRequested();
            var active = Enumerable.Range(0, e).Where(i => !done[i]).ToArray();
            if (active.Length == 0) break;
            int h = Math.Min(hMax, budget - t);

            // Plan for the active episodes only, from their current observation.
            sim.CopyState(states);
            var activeStates = active.SelectMany(i => states.AsSpan(i * sd, sd).ToArray()).ToArray();
            var activeLayouts = active.SelectMany(i => layouts.AsSpan(i * ld, ld).ToArray()).ToArray();
            var activeGoals = active.SelectMany(i => goals.AsSpan(i * sd, sd).ToArray()).ToArray();
            var sw = Stopwatch.StartNew();
            if (active.Length != goalsFor)
            {
                model.SetGoals(Observe(activeGoals, activeLayouts, active.Length)); // the batch shrank: goals of the episodes still running
                goalsFor = active.Length;
            }
            model.Observe(Observe(activeStates, activeLayouts, active.Length));
            var plan = new float[active.Length * h * a];
            for (int j = 0; j < active.Length; j++) plans.AsSpan(active[j] * hMax * a, h * a).CopyTo(plan.AsSpan(j * h * a));
            var found = _planner.Plan(model, plan, active.Length, h, a, Rng.Derive((ulong)config.Seed, batchIndex, (ulong)t));
            planSeconds += sw.Elapsed.TotalSeconds;
            for (int j = 0; j < active.Length; j++) { plan.AsSpan(j * h * a, h * a).CopyTo(plans.AsSpan(active[j] * hMax * a)); replans[active[j]]++; }
            onStep?.Invoke(new MpcStep(t, (float[])states.Clone(), done.Select(d => !d).ToArray(), found, plan, h));

            // Execute the first actions of each plan on the real simulator.
            int k = Math.Min(config.ReplanEvery, Math.Min(h, budget - t));
            for (int s = 0; s < k; s++)
            {
                for (int i = 0; i < e; i++)
                {
                    bool move = !done[i] && t < episodes[i].Budget;
                    for (int j = 0; j < a; j++) step[a * i + j] = move ? plans[(i * hMax + s) * a + j] : 0;
                }
                sim.Step(step);
                t++;
                tracker.Update(t);
                for (int i = 0; i < e; i++)
                {
                    if (done[i]) continue;
                    minDistance[i] = Math.Min(minDistance[i], tracker.Distance[i]);
                    if (tracker.Strict(i) || t >= episodes[i].Budget) { done[i] = true; stoppedAt[i] = t; }
                }
            }
            onShare(Enumerable.Range(0, e).Sum(i => done[i] ? 1.0 : Math.Min(1.0, (double)t / episodes[i].Budget)));
            // Warm start: shift each plan by the executed actions; the tail starts at zero.
            for (int i = 0; i < e; i++)
            {
                var p = plans.AsSpan(i * hMax * a, hMax * a);
                p[(k * a)..].CopyTo(p);
                p[((hMax - k) * a)..].Clear();
            }
        }
        for (int i = 0; i < e; i++) if (!done[i]) stoppedAt[i] = budget;

        return episodes.Select((x, i) => new EpisodeResult(
            x.Id, x.Kind, x.TaskHorizon, x.Budget, tracker.Strict(i), tracker.Loose(i), tracker.StrictStep[i], tracker.LooseStep[i],
            stoppedAt[i], tracker.Distance[i], minDistance[i], replans[i], planSeconds / e)).ToArray();
    }

    /// <summary>Renders what the agents see (frames) and keeps the true states for the oracle.</summary>
    private Observations Observe(float[] states, float[] layouts, int count) =>
        new(count, renderer.Format, scenes.Render(renderer, states, layouts, count), states, layouts);
}
