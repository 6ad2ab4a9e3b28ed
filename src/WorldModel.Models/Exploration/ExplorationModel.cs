using WorldModel.Plan.Models;
using static TorchSharp.torch;

namespace WorldModel.Models.Exploration;

/// <summary>
/// A trained model behind the planning interface with an intrinsic cost: minus what the explorer seeks
/// (<see cref="ExplorationObjective"/>) summed over the imagined rollout, so any planner that lowers costs steers
/// toward it. Goals are ignored. The cost of a zero-length plan is the value of standing there, which is what an
/// exploration map draws.
/// </summary>
public sealed class ExplorationModel : IPlanningModel
{
    private readonly LatentWorldModel _model;
    private readonly Device _device;
    private readonly ExplorationObjective _objective;
    private readonly Tensor? _memory; // (M, D) flattened latents of collected states, for novelty
    private Tensor? _current;

    /// <param name="memory">Flattened latents (M × D) of states already collected; needed for novelty.</param>
    public ExplorationModel(
        string name,
        LatentWorldModel model,
        Device device,
        ExplorationObjective objective,
        Tensor? memory = null)
    {
        if (objective == ExplorationObjective.Disagreement && model.Ensemble is null)
            throw new ArgumentException($"{name}: disagreement needs a model trained with objective.ensembleHeads > 0");
        if (objective == ExplorationObjective.Novelty && memory is null)
            throw new ArgumentException($"{name}: novelty needs the latents of the states collected so far");
        Name = name;
        _model = model;
        _device = device;
        _objective = objective;
        _memory = memory?.to(device);
        model.eval();
    }

    public string Name { get; }

    public void SetGoals(Observations goals) { }

    public void Observe(Observations current) => TorchGuard.Pure(() =>
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        _current?.Dispose();
        _current = _model.Encoder.call(FrameTensors.Frames(current.Frames, current.Format, current.Count, _device))
            .DetachFromDisposeScope();
    });

    public void Score(ReadOnlySpan<float> actions, int candidates, int horizon, Span<float> costs)
    {
        var plans = actions.ToArray();
        var scored = TorchGuard.Pure(() =>
        {
            using var _ = no_grad();
            using var scope = NewDisposeScope();
            var current = _current ?? throw new InvalidOperationException("call Observe before Score");
            long worlds = current.shape[0] * candidates;
            var a = tensor(plans, [worlds, horizon, plans.Length / (worlds * horizon)]).to(_device);
            var z = current.repeat_interleave(candidates, 0);
            var start = z;
            var total = zeros([worlds], device: _device);
            for (int h = 0; h < horizon; h++)
            {
                var next = _model.Predictor.Next(z, a[.., h], start);
                total -= _objective == ExplorationObjective.Disagreement
                    ? _model.Ensemble!.Disagreement(z, a[.., h])
                    : Novelty(next);
                z = next;
            }
            return Readback.Floats(total);
        });
        scored.CopyTo(costs);
    }

    /// <summary>(N, …) latents → (N,): squared distance to the nearest collected latent, per latent element.</summary>
    private Tensor Novelty(Tensor z)
    {
        var flat = z.flatten(1);
        return cdist(flat, _memory!).min(1).values.pow(2) / flat.shape[1];
    }

    public void Dispose()
    {
        _current?.Dispose();
        _memory?.Dispose();
    }
}
