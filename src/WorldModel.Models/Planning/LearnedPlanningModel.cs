using WorldModel.Plan.Models;
using static TorchSharp.torch;

namespace WorldModel.Models.Planning;

/// <summary>Where a learned model compares its imagined future with the goal.</summary>
public enum CostSpace
{
    /// <summary>
    /// Squared distance between predicted latents and the goal frame's latent (JEPA; PLDM's reconstruction
    /// baseline on a pixel model).
    /// </summary>
    Latent,
    /// <summary>Squared distance between decoded predicted frames and the goal frame: "imagine every pixel".</summary>
    Pixel,
}

/// <summary>
/// A trained encoder + predictor (+ decoder) behind the planning interface. All E × N candidates are
/// rolled out together: one batched predictor call per horizon step, no per-candidate loop.
/// </summary>
public sealed class LearnedPlanningModel
    : IDifferentiablePlanningModel, IImaginingModel, IGoalVariantModel, IPessimisticModel, IBlurredCostModel,
        IProposingModel
{
    private readonly LatentWorldModel _model;
    private readonly Device _device;
    private readonly CostSpace _space;
    private readonly CostShape _shape;
    private readonly Hierarchy.GoalValue? _value;
    private readonly Hierarchy.GoalPolicy? _policy;
    private readonly Func<double[,]>? _readout;
    private Tensor? _readoutMatrix; // D × T, made from _readout on the first SetGoals
    private Tensor? _goalLatent, _goalFrame, _current, _aim;
    private Tensor? _currentFrame; // kept only for a policy with its own encoder, which reads frames
    private int _variants = 1; // goal observations per episode: the cost is the distance to the nearest
    private IReadOnlyList<double> _blur = [];
    private (Tensor Rows, Tensor Columns, float Weight)[]? _blurKernels; // made from _blur on the first map measured

    /// <param name="value">
    /// Set: each imagined latent is scored by the jumps this learned value counts to the goal instead of its squared
    /// distance (latent space only).
    /// </param>
    /// <param name="readout">
    /// Set: imagined latents are compared with the goal's through this D × T linear map (a position probe,
    /// <see cref="Evaluation.ModelEvaluation.PositionReadout"/>), made on the first SetGoals; latent space only.
    /// </param>
    /// <param name="policy">
    /// Set: each search starts from this learned policy's plan toward the goal, rolled out in imagination
    /// (<see cref="Propose"/>); the cost is as without it.
    /// </param>
    /// <param name="executesProposal">With a policy: its plan is executed as it is, no search (the policy alone).
    /// </param>
    public LearnedPlanningModel(
        string name,
        LatentWorldModel model,
        Device device,
        CostSpace space,
        CostShape shape,
        Hierarchy.GoalValue? value = null,
        Func<double[,]>? readout = null,
        Hierarchy.GoalPolicy? policy = null,
        bool executesProposal = false)
    {
        if (policy is not null && space != CostSpace.Latent)
            throw new ArgumentException($"{name}: a learned policy reads latents; plan it in latent space");
        if (executesProposal && policy is null)
            throw new ArgumentException($"{name}: only a model with a policy has proposals to execute");
        _policy = policy;
        ExecutesProposal = executesProposal;
        if ((value is not null || readout is not null) && space != CostSpace.Latent)
            throw new ArgumentException(
                $"{name}: a learned value or a readout measures latents; plan it in latent space");
        if (value is not null && readout is not null)
            throw new ArgumentException($"{name}: measure by a learned value or by a readout, not both");
        _readout = readout;
        if (space == CostSpace.Pixel && model.Decoder is null)
            throw new ArgumentException(
                $"{name}: pixel-space planning needs a model with a decoder (one trained with objective.kind = pixel)");
        _value = value;
        Name = name;
        _model = model;
        _device = device;
        _space = space;
        _shape = shape;
        model.eval();
    }

    public string Name { get; }

    public bool ExecutesProposal { get; }

    public string? WhyNoUncertainty => _model.Ensemble is { Heads: >= 2 }
        ? null
        : "has no ensemble heads to measure its uncertainty (train it with objective.ensembleHeads >= 2)";

    public float Pessimism { get; set; }

    public string? WhyNoMap => _space == CostSpace.Latent && _model.Config.Latent != LatentKind.Spatial
        ? $"has a flat latent ({_model.Config.LatentDim} numbers), not a map"
        : null;

    /// <summary>The blur widths of a latent method; planning in decoded frames ignores them (they are latent cells).
    /// </summary>
    public IReadOnlyList<double> LatentBlur
    {
        get => _blur;
        set
        {
            if (value.Count > 0 && WhyNoMap is { } why) throw new ArgumentException($"{Name} {why}: it cannot blur");
            _blur = _space == CostSpace.Latent ? [.. value] : [];
            DisposeBlurKernels();
        }
    }

    internal LatentWorldModel Model => _model;
    internal Device Device => _device;
    internal CostSpace Space => _space;
    /// <summary>The last observation's latents (E, …), the goals' latents and frames; null before the calls.</summary>
    internal Tensor? Current => _current;
    internal Tensor? GoalLatent => _goalLatent;
    internal Tensor? GoalFrame => _goalFrame;

    /// <summary>
    /// What Score compares rollouts with from now on, per episode: latents (E, …) in latent space, frames in pixel
    /// space (a hierarchical model's subgoals); null: the goals again. Takes ownership of the tensor.
    /// </summary>
    internal void AimAt(Tensor? targets)
    {
        _aim?.Dispose();
        _aim = targets;
    }

    public void SetGoals(Observations goals) => TorchGuard.Pure(() =>
    {
        if (_readout is not null && _readoutMatrix is null)
        {
            var weights = _readout();
            _readoutMatrix = tensor(weights, dtype: ScalarType.Float32, device: _device).DetachFromDisposeScope();
        }
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        _goalFrame?.Dispose();
        _goalLatent?.Dispose();
        _aim?.Dispose();
        _aim = null;
        _variants = goals.Variants;
        _goalFrame = Frames(goals).DetachFromDisposeScope();
        _goalLatent = _model.Encoder.call(_goalFrame).DetachFromDisposeScope();
    });

    public void Observe(Observations current) => TorchGuard.Pure(() =>
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        _current?.Dispose();
        _currentFrame?.Dispose();
        var frames = Frames(current);
        _current = _model.Encoder.call(frames).DetachFromDisposeScope();
        _currentFrame = _policy?.Encoder is null ? null : frames.DetachFromDisposeScope();
    });

    public void Score(ReadOnlySpan<float> actions, int candidates, int horizon, Span<float> costs)
    {
        var plans = actions.ToArray();
        var (scored, _) = TorchGuard.Pure(() => ScoreOnce(plans, candidates, horizon, differentiate: false));
        scored.CopyTo(costs);
    }

    public void ScoreWithGradient(
        ReadOnlySpan<float> actions,
        int candidates,
        int horizon,
        Span<float> costs,
        Span<float> gradient)
    {
        if (gradient.Length != actions.Length)
            throw new ArgumentException($"gradient holds {gradient.Length} values; the actions {actions.Length}");
        var plans = actions.ToArray();
        var (scored, grad) = TorchGuard.Pure(() => ScoreOnce(plans, candidates, horizon, differentiate: true));
        scored.CopyTo(costs);
        grad!.CopyTo(gradient);
    }

    /// <summary>
    /// Rolls out every candidate; with a non-empty gradient span also back-propagates the costs to the actions.
    /// </summary>
    private (float[] Costs, float[]? Gradient) ScoreOnce(
        float[] actions,
        int candidates,
        int horizon,
        bool differentiate)
    {
        if (_current is null || _goalLatent is null || _goalFrame is null)
            throw new InvalidOperationException("call SetGoals and Observe before Score");
        using var _ = differentiate ? enable_grad() : no_grad();
        using var scope = NewDisposeScope();
        long episodes = _current.shape[0], worlds = episodes * candidates;
        int a = (int)(actions.Length / (worlds * horizon));
        var plans = tensor(actions, [worlds, horizon, a]).to(_device);
        if (differentiate) plans.requires_grad_(true);
        var z = _current.repeat_interleave(candidates, 0);
        var start = z; // handed to a start-seeing predictor each step; the first Carry below spares it
        // Goals per world: the aim (one per episode), or each of the episode's goal variants.
        var goals = _aim is not null
            ? [_aim.repeat_interleave(candidates, 0)]
            : GoalVariants(_space == CostSpace.Latent ? _goalLatent : _goalFrame, episodes, candidates);
        var total = _shape == CostShape.Min
            ? full([worlds], float.PositiveInfinity, device: _device)
            : zeros([worlds], device: _device);
        // Pessimism: the heads' disagreement at each imagined step, accumulated as the distance is.
        var heads = Pessimism > 0 ? _model.Ensemble : null;
        Tensor? uncertainty = null;
        for (int h = 0; h < horizon; h++)
        {
            // Each step's temporaries (the predictor's activations, decoded frames) die with the step; the outer
            // scope would hold every step's until the rollout ends. Autograd keeps what its backward needs.
            using var stepScope = NewDisposeScope();
            if (heads is not null)
            {
                var step = heads.Disagreement(z, plans[.., h]);
                uncertainty = StepScope.Carry(uncertainty, uncertainty is null ? step : uncertainty + step);
            }
            z = StepScope.Carry(h == 0 ? null : z, _model.Predictor.Next(z, plans[.., h], start));
            if (_shape == CostShape.Terminal && h < horizon - 1) continue;
            var imagined = _space == CostSpace.Latent ? z : nn.functional.sigmoid(_model.Decoder!.call(z));
            var distance = Measure(imagined, goals[0]);
            for (int v = 1; v < goals.Length; v++)
                distance = minimum(distance, Measure(imagined, goals[v]));
            total = StepScope.Carry(total, _shape == CostShape.Min ? minimum(total, distance) : total + distance);
        }
        if (uncertainty is not null)
            total = total + Pessimism * (_shape == CostShape.Sum ? uncertainty : uncertainty / horizon);
        if (!differentiate) return (Readback.Floats(total), null);
        // Candidates are independent, so the gradient of the summed cost is each candidate's own; autograd.grad
        // leaves the weights' .grad alone.
        var grad = autograd.grad([total.sum()], [plans])[0];
        // Costs and gradient in one read-back (one wait for the device).
        var both = Readback.Floats(cat([total.detach(), grad.flatten()]));
        return (both[..(int)worlds], both[(int)worlds..]);
    }

    /// <summary>(N, …) imagined latents or frames against (N, …) goals: squared distances, or the value's
    /// jumps.</summary>
    private Tensor Measure(Tensor imagined, Tensor goal) => _value is not null
        ? _value.Distance(imagined, goal)
        : _readoutMatrix is not null
            ? (imagined - goal).flatten(1).matmul(_readoutMatrix).pow(2).sum([1])
            : Distance(imagined, goal);

    /// <summary>
    /// (N, …) latents (or frames, in pixel space) against (N, …) goals: (N,) mean squared distances, of the maps
    /// blurred at each of <see cref="LatentBlur"/>'s widths when it is set. The two levels of a hierarchy share it.
    /// </summary>
    internal Tensor Distance(Tensor imagined, Tensor goal)
    {
        var difference = imagined - goal;
        if (_blur.Count == 0) return difference.pow(2).flatten(1).mean([1]);
        // A Gaussian blur is separable: rows ⋅ map ⋅ columns, each a (size × size) matrix, over every channel at once.
        Tensor? total = null;
        foreach (var (rows, columns, weight) in BlurKernels(difference))
        {
            var term = rows.matmul(difference).matmul(columns).pow(2).flatten(1).mean([1]) * weight;
            total = total is null ? term : total + term;
        }
        return total!;
    }

    /// <summary>
    /// Per width σ (map cells): the row and column blur matrices and the weight that makes two single-cell bumps far
    /// apart cost about what they cost unblurred. Two bumps blurred by a unit Gaussian at distance d differ by
    /// (1 − exp(−d²/4σ²)) / (4πσ²) in squared norm, so the weight is 4πσ²: the term grows with d out to about 2σ
    /// instead of jumping to its top at one cell. Each cell's blur sums to one over the map (what would spill past the
    /// edge stays on it), so a bump at the edge keeps its mass and the cost keeps growing up to the map's far side.
    /// </summary>
    private (Tensor Rows, Tensor Columns, float Weight)[] BlurKernels(Tensor maps)
    {
        if (_blurKernels is not null) return _blurKernels;
        if (maps.dim() != 4)
            throw new InvalidOperationException(
                $"{Name}: blurring needs (N, C, rows, columns) maps, not {maps.dim()}-D ones");
        int h = (int)maps.shape[2], w = (int)maps.shape[3];
        _blurKernels = [.. _blur.Select(sigma => (
            Matrix(h, sigma, transposed: false), Matrix(w, sigma, transposed: true),
            sigma == 0 ? 1f : (float)(4 * Math.PI * sigma * sigma)))];
        return _blurKernels;

        // (n × n): entry [i, j] the share of cell j's value that lands on cell i (transposed: [j, i]).
        Tensor Matrix(int n, double sigma, bool transposed)
        {
            var m = new float[n * n];
            for (int j = 0; j < n; j++)
            {
                double mass = 0;
                for (int i = 0; i < n; i++) mass += Spread(i, j);
                for (int i = 0; i < n; i++) m[transposed ? j * n + i : i * n + j] = (float)(Spread(i, j) / mass);
            }
            return tensor(m, [n, n]).to(_device).DetachFromDisposeScope();

            double Spread(int i, int j) =>
                sigma == 0 ? (i == j ? 1 : 0) : Math.Exp(-(i - j) * (i - j) / (2 * sigma * sigma));
        }
    }

    private void DisposeBlurKernels()
    {
        foreach (var (rows, columns, _) in _blurKernels ?? []) { rows.Dispose(); columns.Dispose(); }
        _blurKernels = null;
    }

    /// <summary>
    /// The goals (episodes × variants, …) as one tensor per variant, each row repeated for the episode's candidates.
    /// </summary>
    private Tensor[] GoalVariants(Tensor all, long episodes, int candidates)
    {
        if (all.shape[0] != episodes * _variants)
            throw new InvalidOperationException(
                $"{all.shape[0]} goals for {episodes} episodes × {_variants} variants: call SetGoals and Observe for " +
                "the same episodes");
        if (_variants == 1) return [all.repeat_interleave(candidates, 0)];
        var byEpisode = all.reshape([episodes, _variants, .. all.shape[1..]]);
        return [.. Enumerable.Range(0, _variants).Select(v => byEpisode[.., v].repeat_interleave(candidates, 0))];
    }

    /// <summary>
    /// The policy's plan for each observed episode toward its goal (the first goal variant):
    /// <see cref="Hierarchy.GoalPolicy.Plan"/>.
    /// </summary>
    public bool Propose(Span<float> plan, int horizon)
    {
        if (_policy is not { } policy) return false;
        if (_current is null || _goalLatent is null)
            throw new InvalidOperationException("call SetGoals and Observe before Propose");
        var proposed = TorchGuard.Pure(() =>
        {
            using var _ = no_grad();
            using var scope = NewDisposeScope();
            long episodes = _current.shape[0];
            Tensor First(Tensor goals) => goals.reshape([episodes, _variants, .. goals.shape[1..]])[.., 0];
            return Readback.Floats(policy.Plan(
                _model, (_current, _currentFrame), (First(_goalLatent), First(_goalFrame!)), horizon));
        });
        if (proposed.Length != plan.Length)
            throw new ArgumentException($"the plan holds {plan.Length} values; the proposal {proposed.Length}");
        proposed.CopyTo(plan);
        return true;
    }

    public float[][] ImagineLatents(ReadOnlySpan<float> actions, int horizon)
    {
        var plan = actions.ToArray();
        return TorchGuard.Pure(() =>
        {
            using var _ = no_grad();
            using var scope = NewDisposeScope();
            var z = Rollout(plan, horizon, out var z0);
            var all = cat([z0.unsqueeze(1), z], 1).squeeze(0).flatten(1);
            long n = all.shape[0], d = all.shape[1];
            var values = Readback.Floats(all);
            return Enumerable.Range(0, (int)n).Select(i => values.AsSpan(i * (int)d, (int)d).ToArray()).ToArray();
        });
    }

    public float[][]? ImagineFrames(ReadOnlySpan<float> actions, int horizon, IReadOnlyList<int> steps)
    {
        if (_model.Decoder is null) return null;
        var plan = actions.ToArray();
        return TorchGuard.Pure(() =>
        {
            using var _ = no_grad();
            using var scope = NewDisposeScope();
            var z = Rollout(plan, horizon, out var _z0);
            var picked = z[0].index_select(0, tensor(steps.Select(k => (long)k - 1).ToArray()).to(_device));
            var decoded = nn.functional.sigmoid(_model.Decoder.call(picked)).flatten(1);
            long d = decoded.shape[1];
            var values = Readback.Floats(decoded);
            return steps.Select((_, i) => values.AsSpan(i * (int)d, (int)d).ToArray()).ToArray();
        });
    }

    /// <summary>The predicted latents (1 × horizon × …) of the first observed episode along one plan.</summary>
    private Tensor Rollout(float[] plan, int horizon, out Tensor z0)
    {
        if (_current is null) throw new InvalidOperationException("call Observe before imagining a plan");
        z0 = _current[..1];
        return _model.Rollout(z0, tensor(plan, [1, horizon, plan.Length / horizon]).to(_device));
    }

    private Tensor Frames(Observations o) => FrameTensors.Frames(o.Frames, o.Format, o.Count, _device);

    public void Dispose()
    {
        DisposeBlurKernels();
        _readoutMatrix?.Dispose();
        _aim?.Dispose();
        _goalFrame?.Dispose();
        _goalLatent?.Dispose();
        _current?.Dispose();
        _currentFrame?.Dispose();
    }
}
