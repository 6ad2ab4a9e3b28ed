using WorldModel.Data;
using WorldModel.Plan.Models;
using WorldModel.Plan.Planners;
using WorldModel.Render;
using WorldModel.Sim;
using WorldModel.Sim.Worlds;

namespace WorldModel.Experiments.Collection;

/// <summary>
/// Collects episodes by planning in the real world with a model (an active strategy): a batch of episodes starts
/// where the world's reset puts them, and every <c>replanEvery</c> steps each plans <c>plannerHorizon</c> steps
/// ahead against the model's cost (an exploration cost, or the latent distance to a goal), or takes a policy's plan
/// toward the goal (gcsl), and executes the first actions. What was done is recorded as a dataset chunk, the same
/// format passive data has.
/// </summary>
public sealed class CollectionLoop(DataConfig data, IRenderer renderer, ActiveStrategyConfig strategy)
{
    /// <summary>
    /// <paramref name="count"/> episodes of <c>data.steps</c> steps; <paramref name="goalStates"/> (count ×
    /// StateDim), when given, are the episodes' goals, drawn in each episode's own layout.
    /// </summary>
    public ChunkFile Collect(
        IPlanningModel model,
        int count,
        ulong seed,
        string contentHash,
        float[]? goalStates = null,
        Action<int>? onStep = null,
        CancellationToken cancel = default)
    {
        var spec = data.World.Spec;
        int T = data.Steps, sd = spec.StateDim, ad = spec.ActionDim, ld = spec.LayoutDim;
        var world = data.World.CreateBatch(count);
        var seeds = Enumerable.Range(0, count).Select(i => Rng.Derive(seed, (ulong)i)).ToArray();
        world.Reset(seeds);
        var scenes = new SceneBuilder(data.World, data.Render);
        var planner = strategy.Planner.Create(world.ActionLimit);

        var states = new float[(long)count * (T + 1) * sd];
        var actions = new float[(long)count * T * ad];
        var layouts = new float[count * ld];
        world.CopyLayout(layouts);
        var now = new float[count * sd];
        world.CopyState(now);
        Scatter(now, states, 0, T + 1, sd, count);
        if (goalStates is not null)
            model.SetGoals(Observe(scenes, goalStates, layouts, count));

        int hMax = strategy.PlannerHorizon;
        var plans = new float[count * hMax * ad]; // warm starts, shifted after each execution
        var step = new float[count * ad];
        for (int t = 0; t < T; t++)
        {
            cancel.ThrowIfCancellationRequested();
            int k = t % strategy.ReplanEvery;
            if (k == 0)
            {
                // Replan: observe, plan h steps (capped by the steps left), keep the plan as the next warm start.
                int h = Math.Min(hMax, T - t);
                model.Observe(Observe(scenes, now, layouts, count));
                var plan = new float[count * h * ad];
                for (int i = 0; i < count; i++)
                    plans.AsSpan(i * hMax * ad, h * ad).CopyTo(plan.AsSpan(i * h * ad));
                // A policy's proposal is executed as it is (gcsl); any other model is searched.
                if (model is not IProposingModel { ExecutesProposal: true } proposing || !proposing.Propose(plan, h))
                    planner.Plan(model, plan, count, h, ad, Rng.Derive(seed, (ulong)t, stream: 41));
                Array.Clear(plans);
                for (int i = 0; i < count; i++) plan.AsSpan(i * h * ad, h * ad).CopyTo(plans.AsSpan(i * hMax * ad));
            }
            for (int i = 0; i < count; i++)
                plans.AsSpan((i * hMax + k) * ad, ad).CopyTo(step.AsSpan(i * ad, ad));
            world.Step(step); // clips in place: what is recorded is what was applied
            world.CopyState(now);
            Scatter(step, actions, t, T, ad, count);
            Scatter(now, states, t + 1, T + 1, sd, count);
            if (k == strategy.ReplanEvery - 1)
                for (int i = 0; i < count; i++)
                {
                    // The executed steps leave the plan; the rest is the next warm start.
                    var p = plans.AsSpan(i * hMax * ad, hMax * ad);
                    p[(strategy.ReplanEvery * ad)..].CopyTo(p);
                    p[((hMax - strategy.ReplanEvery) * ad)..].Clear();
                }
            onStep?.Invoke(t + 1);
        }
        return new ChunkFile
        {
            ContentHash = contentHash,
            Episodes = count, Steps = T, StateDim = sd, ActionDim = ad, LayoutDim = ld,
            States = states, Actions = actions, Layouts = layouts,
        };
    }

    private Observations Observe(SceneBuilder scenes, float[] states, float[] layouts, int count) =>
        new(count, renderer.Format, scenes.Render(renderer, states, layouts, count), (float[])states.Clone(),
            layouts);

    /// <summary>Copies one time step of every episode (count × dim) into episode-major storage.</summary>
    private static void Scatter(float[] step, float[] dst, int t, int perEpisode, int dim, int count)
    {
        for (int e = 0; e < count; e++)
            step.AsSpan(e * dim, dim).CopyTo(dst.AsSpan(checked((e * perEpisode + t) * dim), dim));
    }
}
