namespace WorldModel.Plan.Models;

/// <summary>
/// A planning model that can show what it expects along a plan, from its last observation: its
/// latent states (for a probe to read positions from) and, with a decoder, the frames it imagines.
/// Whatever explains a plan (the demo) goes through this, never through a model's encoder.
/// </summary>
public interface IImaginingModel
{
    /// <summary>
    /// horizon + 1 flattened latents of the first observed episode: the observed one, then one per action of
    /// <paramref name="actions"/> (horizon × ActionDim).
    /// </summary>
    float[][] ImagineLatents(ReadOnlySpan<float> actions, int horizon);

    /// <summary>
    /// Frames (channels × size × size, values in [0, 1]) imagined after each of <paramref name="steps"/> actions;
    /// null without a decoder.
    /// </summary>
    float[][]? ImagineFrames(ReadOnlySpan<float> actions, int horizon, IReadOnlyList<int> steps);
}
