using WorldModel.Models.Objectives;
using static TorchSharp.torch;

namespace WorldModel.Models.Hierarchy;

/// <summary>
/// The high level's loss on a batch of every k-th frame: roll the frozen encoder's first latent through the
/// macro-actions of each k-step action chunk and compare each jump with where the data went. A JEPA compares
/// latents (HWM: prediction error only, the frozen encoder cannot collapse); a pixel model compares the frames
/// its frozen decoder draws from each jump (binary cross-entropy, as its low level) — the fair control: the
/// same hierarchy, imagining pixels.
/// </summary>
public static class HighLevelObjective
{
    /// <summary>frames (B, R + 1, C, H, W): every k-th frame; actions (B, R·k, A).</summary>
    public static LossTerms Compute(ObjectiveConfig objective, LatentWorldModel model, Tensor frames, Tensor actions)
    {
        var high = model.HighLevel ?? throw new InvalidOperationException("the model has no high level");
        Tensor z;
        using (no_grad()) z = model.Encode(frames).detach();       // (B, R + 1, …), frozen
        var predicted = high.Rollout(z[.., 0], high.EncodeMacros(actions)); // (B, R, …)
        var terms = new Dictionary<string, Tensor>();
        if (objective is PixelObjectiveConfig)
        {
            var decoder = model.Decoder ?? throw new InvalidOperationException("a pixel model needs its decoder");
            long b = frames.shape[0], r = predicted.shape[1];
            var logits = decoder.call(predicted.flatten(0, 1))
                .reshape(b, r, frames.shape[2], frames.shape[3], frames.shape[4]);
            terms["jump_prediction"] = nn.functional.binary_cross_entropy_with_logits(logits, frames[.., 1..]);
        }
        else terms["jump_prediction"] = (predicted - z[.., 1..]).pow(2).mean();
        var total = terms["jump_prediction"];
        if (high.Value is { } value)
        {
            terms["value"] = ValueLoss(value, z);
            total = total + terms["value"];
        }
        if (high.Policy is { } policy)
        {
            // An own encoder reads the frames with gradient (the policy's loss trains it); else the frozen latent.
            var read = policy.Encoder is null ? z : LatentWorldModel.EncodeWith(policy.Encoder, frames);
            terms["policy"] = policy.Loss(read, actions);
            total = total + terms["policy"];
        }
        return new LossTerms(total, terms);
    }

    /// <summary>
    /// The value's TD loss on the batch's every-k-th latents z (B, R + 1, …): each of the first R states against
    /// every state of its own sequence and of <see cref="GoalValueConfig.OtherSequences"/> others as goals. A state
    /// that is its goal is worth 0; any other pays −1 and looks one jump on: expectile regression of V(s, g)
    /// toward −1 + γ·V_target(s', g). All pairs, no sampling: the loss depends on the batch alone.
    /// </summary>
    public static Tensor ValueLoss(GoalValue value, Tensor z)
    {
        var config = value.Config;
        var flat = z.flatten(2);                                            // (B, S, D)
        long b = flat.shape[0], s = flat.shape[1], d = flat.shape[2], r = s - 1;
        int others = (int)Math.Min(config.OtherSequences, b - 1);
        var goals = cat([flat, .. Enumerable.Range(1, others).Select(m => flat.roll(m, 0))], 1); // (B, G, D)
        long g = goals.shape[1];
        var states = flat[.., ..(int)r].unsqueeze(2).expand(b, r, g, d).reshape(-1, d);
        var next = flat[.., 1..].unsqueeze(2).expand(b, r, g, d).reshape(-1, d);
        var targets = goals.unsqueeze(1).expand(b, r, g, d).reshape(-1, d);
        // The state is its goal where the goal is the sequence's own state at the same position.
        var reached = (arange(r, device: z.device).unsqueeze(1) == arange(g, device: z.device).unsqueeze(0))
            .unsqueeze(0).expand(b, r, g).reshape(-1);
        var bootstrap = -1 + config.Discount * value.TargetValue(next, targets);
        var target = where(reached, zeros_like(bootstrap), bootstrap);
        var error = target - value.Value(states, targets);
        var weight = where(error > 0, full_like(error, config.Expectile), full_like(error, 1 - config.Expectile));
        return (weight * error.pow(2)).mean();
    }
}
