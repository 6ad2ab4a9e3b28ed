using TorchSharp;
using TorchSharp.Modules;
using WorldModel.Models.Nets;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace WorldModel.Models.Hierarchy;

/// <summary>
/// The high level of a hierarchical world model: a macro-action encoder (k actions → m numbers, LayerNorm'd as
/// HWM does) and a predictor that jumps k steps in the low level's latent space, z_t, m → z_t+k. Planning
/// searches macro-actions in [−1, 1]^m, mapped onto the box the training data's macro-actions fill
/// (their 2nd to 98th percentile per component, HWM's bounds), so the search stays where the predictor was
/// trained.
/// </summary>
public sealed class HighLevel : Module
{
    private readonly Sequential? _macroEncoder;
    private readonly bool _sum;
    private readonly int _actionDim;
    private readonly Tensor _macroLow, _macroHigh;
    private readonly GoalValue? _value;
    private readonly GoalPolicy? _policy;

    /// <param name="newEncoder">Makes an encoder of the low level's kind, for a policy with its own
    /// (<see cref="GoalPolicyConfig.OwnEncoder"/>).</param>
    public HighLevel(
        HierarchyConfig config, ModelConfig model, long[] latentShape, int actionDim,
        Func<ImpalaEncoder>? newEncoder = null)
        : base(nameof(HighLevel))
    {
        Skip = config.Skip;
        _sum = config.MacroAction == MacroActionKind.Sum;
        _actionDim = actionDim;
        MacroDim = _sum ? actionDim : config.MacroActionDim;
        _macroEncoder = _sum
            ? null
            : Sequential(
                Linear(config.Skip * actionDim, config.MacroHidden), ReLU(),
                Linear(config.MacroHidden, config.MacroHidden), ReLU(),
                Linear(config.MacroHidden, config.MacroActionDim),
                LayerNorm(config.MacroActionDim, elementwise_affine: false));
        Predictor = Nets.Predictor.Create(
            model, latentShape, MacroDim, seesStart: model.PredictorContext == PredictorContext.Start);
        // Saved with the weights; until SetBounds runs they are the LayerNorm'd range a macro-action mostly has.
        _macroLow = full([MacroDim], -2f);
        _macroHigh = full([MacroDim], 2f);
        register_buffer("macro_low", _macroLow);
        register_buffer("macro_high", _macroHigh);
        // Made last, so the jump's weights start as they do without a value (the same draws of the seed).
        if (config.Value is { } value)
            _value = new GoalValue(value, latentShape.Aggregate(1L, (a, b) => a * b));
        // After the value, for the same reason.
        if (config.Policy is { } policy)
            _policy = new GoalPolicy(
                policy, latentShape.Aggregate(1L, (a, b) => a * b), config.Skip, actionDim, newEncoder);
        RegisterComponents();
    }

    public int Skip { get; }
    public int MacroDim { get; }
    /// <summary>Whether a macro-action is the sum of its k actions (hierarchy.macroAction = sum).</summary>
    public bool SumsActions => _sum;
    public Predictor Predictor { get; }
    /// <summary>The goal-conditioned value over the latent, in jumps (hierarchy.value); null without one.</summary>
    public GoalValue? Value => _value;
    /// <summary>The goal-conditioned policy that proposes plans (hierarchy.policy); null without one.</summary>
    public GoalPolicy? Policy => _policy;

    /// <summary>
    /// The jump's trainable parameters (macro-action encoder, predictor), in registration order, without the
    /// value's and the policy's: each is clipped on its own, so they leave the jump's training as it was.
    /// </summary>
    public IEnumerable<Parameter> JumpParameters =>
        named_parameters()
            .Where(p => !p.name.StartsWith(ValuePrefix, StringComparison.Ordinal)
                && !p.name.StartsWith(PolicyPrefix, StringComparison.Ordinal))
            .Select(p => p.parameter);

    private const string ValuePrefix = nameof(_value) + ".";
    private const string PolicyPrefix = nameof(_policy) + ".";

    /// <summary>(…, k × A) action chunks → (…, m) macro-actions.</summary>
    public Tensor EncodeMacro(Tensor chunks) => _macroEncoder is { } mlp
        ? mlp.call(chunks)
        : chunks.reshape([.. chunks.shape[..^1], Skip, _actionDim]).sum(chunks.dim() - 1);

    /// <summary>(B, R·k, A) actions → (B, R, m): each run of k consecutive actions as one macro-action.</summary>
    public Tensor EncodeMacros(Tensor actions)
    {
        long b = actions.shape[0], r = actions.shape[1] / Skip;
        return EncodeMacro(actions.reshape(b, r, Skip * actions.shape[2]));
    }

    /// <summary>
    /// Rolls z0 (B, …) through macro-actions (B, R, m): (B, R, …), the predictions after each jump.
    /// </summary>
    public Tensor Rollout(Tensor z0, Tensor macros)
    {
        var z = z0;
        var steps = new List<Tensor>();
        for (long j = 0; j < macros.shape[1]; j++)
        {
            z = Predictor.Next(z, macros[.., j], z0);
            steps.Add(z);
        }
        return stack(steps, 1);
    }

    /// <summary>Planner coordinates in [−1, 1]^m (clamped) → macro-actions in the training data's box.</summary>
    public Tensor FromPlanner(Tensor u)
    {
        var centre = (_macroLow + _macroHigh) / 2;
        var half = (_macroHigh - _macroLow) / 2;
        return centre + half * u.clamp(-1, 1);
    }

    /// <summary>Sets the macro-action box from encoded training chunks (N, m): 2nd and 98th percentile (HWM).</summary>
    public void SetBounds(Tensor macros)
    {
        using var _ = no_grad();
        var sorted = macros.detach().sort(0).Values;
        long n = sorted.shape[0];
        _macroLow.copy_(sorted[(long)(0.02 * (n - 1))]);
        _macroHigh.copy_(sorted[(long)(0.98 * (n - 1))]);
    }

    /// <summary>The macro-action box (low, high per component), for reports.</summary>
    public (float[] Low, float[] High) Bounds
    {
        get
        {
            using var scope = NewDisposeScope();
            return (Readback.Floats(_macroLow), Readback.Floats(_macroHigh));
        }
    }
}
