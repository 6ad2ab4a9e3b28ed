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
        return new LossTerms(terms["jump_prediction"], terms);
    }
}
