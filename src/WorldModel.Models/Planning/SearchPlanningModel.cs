using WorldModel.Models.Hierarchy;
using WorldModel.Plan.Models;
using WorldModel.Plan.Mpc;
using static TorchSharp.torch;

namespace WorldModel.Models.Planning;

/// <summary>
/// A trained low level with its high level, planned by breadth-first search over the high level's imagined jumps
/// (<see cref="LatentSearch"/>, <see cref="LatentSearchConfig"/>): at every replan the search runs from the observed
/// latent, and the low level (a <see cref="LearnedPlanningModel"/>) plans with the usual MPC toward the first jump
/// on the path to the found state closest to the goal, or toward the goal once that state is at most one jump away.
/// </summary>
public sealed class SearchPlanningModel : IPlanningModel, IImaginingModel
{
    private readonly LearnedPlanningModel _low;
    private readonly HighLevel _high;
    private readonly LatentSearchConfig _config;
    private readonly float[,] _directions;

    public SearchPlanningModel(string name, LearnedPlanningModel low, LatentSearchConfig config)
    {
        if (low.Space != CostSpace.Latent)
            throw new ArgumentException($"{name}: the search compares latents; plan it in latent space");
        _high = low.Model.HighLevel
            ?? throw new ArgumentException($"{name}: the model has no high level (train one with a hierarchy config)");
        if (config.Jumps == SearchJumps.Low && !_high.SumsActions)
            throw new ArgumentException(
                $"{name}: plan.search.jumps = low holds each macro-action's mean action, which needs summed " +
                "macro-actions (hierarchy.macroAction = sum); use plan.search.jumps = high");
        (Name, _low, _config) = (name, low, config);
        _directions = LatentSearch.Directions(_high.MacroDim, config.Directions);
    }

    public string Name { get; }

    public void SetGoals(Observations goals)
    {
        if (goals.Variants != 1)
            throw new ArgumentException($"{Name}: plans toward one goal per episode; got {goals.Variants} variants");
        _low.SetGoals(goals);
    }

    public void Observe(Observations current)
    {
        _low.Observe(current);
        TorchGuard.Pure(() =>
        {
            using var _ = no_grad();
            using var scope = NewDisposeScope();
            var goal = _low.GoalLatent ?? throw new InvalidOperationException("call SetGoals before Observe");
            var macros = _high.FromPlanner(tensor(_directions).to(_low.Device));
            var (subgoal, aimAtGoal) = LatentSearch.Run(Jump, _low.Current!, goal, macros, _config);
            var mask = aimAtGoal.reshape([aimAtGoal.shape[0], .. Enumerable.Repeat(1L, (int)goal.dim() - 1)]);
            _low.AimAt(where(mask, goal, subgoal).DetachFromDisposeScope());
            return 0;
        });
    }

    /// <summary>(N, …) latents, (N, m) macro-actions → the latents one jump later, as the config says.</summary>
    private Tensor Jump(Tensor z, Tensor macros)
    {
        // Every path starts at its episode's observed latent, which a predictor that sees the start is handed; the
        // search lays its rows out episode by episode, the same number per episode.
        var observed = _low.Current ?? throw new InvalidOperationException("call Observe before the search");
        var start = observed.repeat_interleave(z.shape[0] / observed.shape[0], 0);
        if (_config.Jumps == SearchJumps.High) return _high.Predictor.Next(z, macros, start);
        var action = macros / _high.Skip;
        for (int s = 0; s < _high.Skip; s++)
        {
            using var step = NewDisposeScope();
            z = StepScope.Carry(s == 0 ? null : z, _low.Model.Predictor.Next(z, action, start));
        }
        return z;
    }

    public void Score(ReadOnlySpan<float> actions, int candidates, int horizon, Span<float> costs) =>
        _low.Score(actions, candidates, horizon, costs);

    public float[][] ImagineLatents(ReadOnlySpan<float> actions, int horizon) => _low.ImagineLatents(actions, horizon);

    public float[][]? ImagineFrames(ReadOnlySpan<float> actions, int horizon, IReadOnlyList<int> steps) =>
        _low.ImagineFrames(actions, horizon, steps);

    public void Dispose() => _low.Dispose();
}
