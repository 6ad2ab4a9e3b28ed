using WorldModel.Models.Hierarchy;
using WorldModel.Plan.Models;
using static TorchSharp.torch;

namespace WorldModel.Models.Planning;

/// <summary>
/// A trained low level with its high level behind the planning interface (HWM, arXiv 2604.03208): the high
/// level rolls macro-actions through the k-step predictor from the observed latent and scores them against the
/// goal in the low level's cost space; the low level (a <see cref="LearnedPlanningModel"/>) aims at the latent
/// — or, for pixel planning, the frame the decoder draws — one jump ahead on the chosen plan.
/// </summary>
public sealed class HierarchicalPlanningModel
    : IHierarchicalPlanningModel, IImaginingModel, IJumpImaginingModel, IPessimisticModel, IBlurredCostModel
{
    private readonly LearnedPlanningModel _low;
    private readonly HighLevel _high;
    private readonly CostShape _highShape;
    private readonly GoalValue? _value;

    /// <param name="highShape">How the high level scores its jumps against the goal (sum, terminal or min).</param>
    /// <param name="byValue">
    /// Whether the high level measures the way to the goal in jumps by its learned value (hierarchy.value) instead
    /// of the distance in the low level's cost space; latent space only.
    /// </param>
    public HierarchicalPlanningModel(string name, LearnedPlanningModel low, CostShape highShape, bool byValue = false)
    {
        _low = low;
        _high = low.Model.HighLevel
            ?? throw new ArgumentException($"{name}: the model has no high level (train one with a hierarchy config)");
        _highShape = highShape;
        if (byValue)
        {
            if (low.Space != CostSpace.Latent)
                throw new ArgumentException($"{name}: a learned value measures latents; plan it in latent space");
            _value = _high.Value ?? throw new ArgumentException(
                $"{name}: the high level has no value (train it with hierarchy.value set)");
        }
        Name = name;
        High = new Jumps(this);
    }

    public string Name { get; }
    public int Skip => _high.Skip;
    public int MacroDim => _high.MacroDim;
    /// <summary>Planner coordinates live in [−1, 1] per component; the norm limit is the box's corner.</summary>
    public float MacroLimit => MathF.Sqrt(_high.MacroDim);
    public IPlanningModel High { get; }

    /// <summary>
    /// With a learned value: a cost that is the jumps it counts from each observed latent to the goal, whatever the
    /// actions (for cost landscapes); null without one.
    /// </summary>
    public IPlanningModel? ValueCost => _value is null ? null : new ValueAtObservation(this);

    /// <summary>
    /// The low level's: its plans toward the subgoal pay for its uncertainty (the high level's jumps do not).
    /// </summary>
    public string? WhyNoUncertainty => _low.WhyNoUncertainty;
    public float Pessimism { get => _low.Pessimism; set => _low.Pessimism = value; }

    /// <summary>The low level's, for both levels: the high level scores its jumps with the same distance.</summary>
    public string? WhyNoMap => _low.WhyNoMap;
    public IReadOnlyList<double> LatentBlur { get => _low.LatentBlur; set => _low.LatentBlur = value; }

    public void SetGoals(Observations goals) => _low.SetGoals(goals);
    public void Observe(Observations current) => _low.Observe(current);
    public void Score(ReadOnlySpan<float> actions, int candidates, int horizon, Span<float> costs) =>
        _low.Score(actions, candidates, horizon, costs);

    public bool[] AimAt(ReadOnlySpan<float> macroPlans, int macroSteps)
    {
        var plans = macroPlans.ToArray();
        return TorchGuard.Pure(() =>
        {
            using var _ = no_grad();
            using var scope = NewDisposeScope();
            var (current, goal) = Encoded();
            long e = current.shape[0];
            var z = _high.Rollout(current, Macros(plans, e, macroSteps));             // (E, R, …)
            // Distance to the goal now and after each jump; the low level aims at the goal where the plan comes
            // closest to it no later than the first jump, else at the first jump's state.
            var now = Distance(current.unsqueeze(1), goal);                        // (E, 1)
            var along = Distance(z, goal);                                          // (E, R)
            var closest = cat([now, along], 1).argmin(1);                           // 0 = now, j = after jump j
            var aimAtGoal = closest <= 1;                                           // (E,), on the device
            var first = z[.., 0];
            var subgoal = _low.Space == CostSpace.Latent ? first : Decode(first);
            var goalTarget = _low.Space == CostSpace.Latent ? _low.GoalLatent! : _low.GoalFrame!;
            var mask = aimAtGoal.reshape([e, .. Enumerable.Repeat(1L, (int)subgoal.dim() - 1)]);
            var targets = where(mask, goalTarget, subgoal).DetachFromDisposeScope();
            _low.AimAt(targets);
            return Readback.Bools(aimAtGoal); // the targets stay on the device; only the choices come back
        });
    }

    public float[][] ImagineLatents(ReadOnlySpan<float> actions, int horizon) => _low.ImagineLatents(actions, horizon);

    public float[][]? ImagineFrames(ReadOnlySpan<float> actions, int horizon, IReadOnlyList<int> steps) =>
        _low.ImagineFrames(actions, horizon, steps);

    /// <summary>The high level's latent after each jump of the first observed episode's macro plan.</summary>
    public float[][] ImagineJumps(ReadOnlySpan<float> macroPlan, int macroSteps)
    {
        if (macroPlan.Length < macroSteps * MacroDim)
            throw new ArgumentException(
                $"a plan of {macroSteps} macro-actions needs {macroSteps * MacroDim} values; got {macroPlan.Length}");
        var plan = macroPlan[..(macroSteps * MacroDim)].ToArray();
        return TorchGuard.Pure(() =>
        {
            using var _ = no_grad();
            using var scope = NewDisposeScope();
            var current = _low.Current ?? throw new InvalidOperationException("call Observe first");
            var z = _high.Rollout(current.narrow(0, 0, 1), Macros(plan, 1, macroSteps)).squeeze(0).flatten(1);
            int d = (int)z.shape[1];
            var values = Readback.Floats(z);
            return Enumerable.Range(0, macroSteps).Select(j => values.AsSpan(j * d, d).ToArray()).ToArray();
        });
    }

    public void Dispose() => _low.Dispose();

    private (Tensor Current, Tensor Goal) Encoded()
    {
        var current = _low.Current ?? throw new InvalidOperationException("call SetGoals and Observe first");
        var goal = (_low.Space == CostSpace.Latent ? _low.GoalLatent : _low.GoalFrame)
            ?? throw new InvalidOperationException("call SetGoals and Observe first");
        return (current, goal);
    }

    /// <summary>Planner coordinates (E·N × R × m, flat) as macro-actions (E·N, R, m) in the data's box.</summary>
    private Tensor Macros(float[] plans, long worlds, int macroSteps) =>
        _high.FromPlanner(tensor(plans, [worlds, macroSteps, _high.MacroDim]).to(_low.Device));

    private Tensor Decode(Tensor z) => nn.functional.sigmoid(_low.Model.Decoder!.call(z));

    /// <summary>(E, R, …) latents (or latents to decode) against (E, …) goals: (E, R) distances.</summary>
    private Tensor Distance(Tensor z, Tensor goal)
    {
        long e = z.shape[0], r = z.shape[1];
        return Measure(z.flatten(0, 1), goal.repeat_interleave(r, 0)).reshape(e, r);
    }

    /// <summary>
    /// (N, …) latents against (N, …) goals: (N,) mean squared distances in the low level's cost space, or the jumps
    /// the learned value counts.
    /// </summary>
    private Tensor Measure(Tensor z, Tensor goal)
    {
        if (_value is not null) return _value.Distance(z, goal);
        var imagined = _low.Space == CostSpace.Latent ? z : Decode(z);
        return _low.Distance(imagined, goal);
    }

    /// <summary>The value's jumps from the observed latent to the goal, for every candidate.</summary>
    private sealed class ValueAtObservation(HierarchicalPlanningModel owner) : IPlanningModel
    {
        public string Name => owner.Name;
        public void SetGoals(Observations goals) => owner.SetGoals(goals);
        public void Observe(Observations current) => owner.Observe(current);

        public void Score(ReadOnlySpan<float> actions, int candidates, int horizon, Span<float> costs)
        {
            var scored = TorchGuard.Pure(() =>
            {
                using var _ = no_grad();
                using var scope = NewDisposeScope();
                var (current, goal) = owner.Encoded();
                var jumps = owner._value!.Distance(current, goal).repeat_interleave(candidates, 0);
                return Readback.Floats(jumps);
            });
            scored.CopyTo(costs);
        }

        public void Dispose() => owner.Dispose();
    }

    /// <summary>The high level as a planning model over macro-actions.</summary>
    private sealed class Jumps(HierarchicalPlanningModel owner) : IPlanningModel
    {
        public string Name => owner.Name + "/high";
        public void SetGoals(Observations goals) => owner.SetGoals(goals);
        public void Observe(Observations current) => owner.Observe(current);

        public void Score(ReadOnlySpan<float> macros, int candidates, int macroSteps, Span<float> costs)
        {
            var plans = macros.ToArray();
            var scored = TorchGuard.Pure(() =>
            {
                using var _ = no_grad();
                using var scope = NewDisposeScope();
                var (current, goal) = owner.Encoded();
                long worlds = current.shape[0] * candidates;
                var m = owner.Macros(plans, worlds, macroSteps);
                var z = current.repeat_interleave(candidates, 0);
                var start = z;
                var target = goal.repeat_interleave(candidates, 0);
                var shape = owner._highShape;
                var total = shape == CostShape.Min
                    ? full([worlds], float.PositiveInfinity, device: owner._low.Device)
                    : zeros([worlds], device: owner._low.Device);
                for (int j = 0; j < macroSteps; j++)
                {
                    using var jumpScope = NewDisposeScope(); // each jump's temporaries (decoded frames) die here
                    z = StepScope.Carry(j == 0 ? null : z, owner._high.Predictor.Next(z, m[.., j], start));
                    if (shape == CostShape.Terminal && j < macroSteps - 1) continue;
                    var distance = owner.Measure(z, target);
                    var next = shape == CostShape.Min ? minimum(total, distance) : total + distance;
                    total = StepScope.Carry(total, next);
                }
                return Readback.Floats(total);
            });
            scored.CopyTo(costs);
        }

        public void Dispose() { }
    }
}
