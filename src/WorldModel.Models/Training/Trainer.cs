using TorchSharp;
using WorldModel.Data;
using WorldModel.Models.Objectives;
using static TorchSharp.torch;

namespace WorldModel.Models.Training;

/// <summary>One training step's numbers, as logged to metrics.jsonl.</summary>
public sealed record StepMetrics(
    int Step,
    double LearningRate,
    float Loss,
    IReadOnlyDictionary<string, float> Terms,
    double Seconds);

/// <summary>Stopped because a loss became NaN or infinite; the last good checkpoint is kept.</summary>
public sealed class NonFiniteLossException(string message) : Exception(message);

/// <summary>
/// The optimisation loop: AdamW, warm-up + cosine schedule, gradient clipping, one dispose scope
/// per step so native memory stays flat.
/// </summary>
public sealed class Trainer
{
    private readonly LatentWorldModel _model;
    private readonly ObjectiveConfig _objective;
    private readonly Func<LatentWorldModel, Tensor, Tensor, LossTerms> _loss;
    private readonly TrainConfig _config;
    private readonly Device _device;

    /// <param name="loss">
    /// The loss of a batch (frames, actions); null: the objective's (<see cref="Objective.Compute"/>).
    /// </param>
    public Trainer(
        LatentWorldModel model,
        ObjectiveConfig objective,
        TrainConfig config,
        Device device,
        Func<LatentWorldModel, Tensor, Tensor, LossTerms>? loss = null)
    {
        _model = model;
        _objective = objective;
        _loss = loss ?? ((m, frames, actions) => Objective.Compute(objective, m, frames, actions));
        _config = config;
        _device = device;
        // Only trainable parameters: an EMA target encoder is updated by UpdateTargetEncoder, not by gradients.
        Optimizer = optim.AdamW(
            model.parameters().Where(p => p.requires_grad), config.LearningRate, weight_decay: config.WeightDecay);
    }

    public TorchSharp.Modules.OptimizerHelper Optimizer { get; }

    /// <summary>
    /// The parameters clipped together: the whole model; for a high level its jump, and its value and policy each on
    /// its own (they share no weights, so they leave the jump's steps as they would be without them).
    /// </summary>
    private IEnumerable<IEnumerable<TorchSharp.Modules.Parameter>> ClipGroups()
    {
        if (_model.HighLevel is not { } high)
        {
            yield return _model.parameters();
            yield break;
        }
        yield return high.JumpParameters;
        if (high.Value is { } value) yield return value.Trainable;
        if (high.Policy is { } policy) yield return policy.Trainable;
    }

    /// <summary>
    /// Runs steps [from, to) on batches from <paramref name="sampler"/>; calls <paramref name="onStep"/> after each.
    /// </summary>
    public void Run(
        BatchSampler sampler,
        int from,
        int to,
        Action<StepMetrics>? onStep = null,
        CancellationToken cancel = default)
    {
        _model.train();
        foreach (var batch in sampler.Stream(first: from, cancel: cancel))
        {
            int step = from++;
            if (step >= to) break;
            var sw = System.Diagnostics.Stopwatch.StartNew();
            double lr = _config.LearningRateAt(step);
            foreach (var group in Optimizer.ParamGroups) group.LearningRate = lr;

            using var guard = TorchGuard.Step(); // no collection mid-step (why: TorchGuard)
            using var scope = NewDisposeScope();
            var frames = FrameTensors.Frames(batch, _device);
            var actions = FrameTensors.Actions(batch, _device);
            var loss = _loss(_model, frames, actions);
            Optimizer.zero_grad();
            loss.Total.backward();
            if (_config.GradClip > 0)
                foreach (var group in ClipGroups()) GradientClipping.ClipNorm(group, _config.GradClip);
            // The step's one read-back: the loss and its terms together, once the backward pass is queued (an
            // item() each would make the host wait for the device each time). Before the update, so a non-finite
            // loss never reaches the weights.
            var names = loss.Terms.Keys.ToArray();
            var values = Readback.Floats(stack([loss.Total.detach(), .. names.Select(n => loss.Terms[n].detach())]));
            float total = values[0];
            var terms = names.Select((n, i) => (n, v: values[i + 1])).ToDictionary(t => t.n, t => t.v);
            if (!float.IsFinite(total))
                throw new NonFiniteLossException(
                    $"the loss became {total} at step {step} " +
                    $"({string.Join(", ", terms.Select(t => $"{t.Key} {t.Value}"))}); " +
                    $"lower train.learningRate or check the data");
            Optimizer.step();
            if (_objective is JepaObjectiveConfig { TargetEma: > 0 } jepa) _model.UpdateTargetEncoder(jepa.TargetEma);
            _model.HighLevel?.Value?.UpdateTarget();
            onStep?.Invoke(new StepMetrics(
                Step: step,
                LearningRate: lr,
                Loss: total,
                Terms: terms,
                Seconds: sw.Elapsed.TotalSeconds));
        }
    }
}
