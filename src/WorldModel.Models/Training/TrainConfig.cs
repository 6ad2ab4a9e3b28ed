using WorldModel.Core.Config;

namespace WorldModel.Models.Training;

/// <summary>Optimisation settings. Batch k is drawn from (seed, k), so a resumed run sees the same batches.</summary>
public sealed record TrainConfig : IValidatable
{
    [Range(1, 10_000_000)] public int Steps { get; init; } = 2000;
    [Range(1, 4096)] public int BatchSize { get; init; } = 32;
    /// <summary>Prediction horizon H: sequences of H + 1 frames, rolled out H steps open loop (PLDM: 16).</summary>
    [Range(1, 256), FormerKey("horizon")] public int Rollout { get; init; } = 8;
    [Range(1e-6, 1)] public double LearningRate { get; init; } = 1e-3;
    [Range(0, 1)] public double WeightDecay { get; init; } = 1e-4;
    [Range(0, 1_000_000)] public int WarmupSteps { get; init; } = 50;
    /// <summary>The cosine schedule ends at this share of the learning rate.</summary>
    [Range(0, 1)] public double FinalLearningRateShare { get; init; } = 0.1;
    /// <summary>Largest gradient norm; 0 = no clipping.</summary>
    [Range(0, 1000)] public double GradClip { get; init; } = 1.0;
    [Range(0, long.MaxValue)] public long Seed { get; init; } = 0;

    public IEnumerable<ConfigError> Validate()
    {
        if (WarmupSteps >= Steps) yield return new("warmupSteps", $"{WarmupSteps} is not below steps ({Steps})");
    }

    /// <summary>Linear warm-up, then cosine decay to FinalLearningRateShare × LearningRate.</summary>
    public double LearningRateAt(int step)
    {
        if (step < WarmupSteps) return LearningRate * (step + 1) / WarmupSteps;
        double progress = (double)(step - WarmupSteps) / Math.Max(1, Steps - WarmupSteps);
        double share = FinalLearningRateShare + (1 - FinalLearningRateShare) * 0.5 * (1 + Math.Cos(Math.PI * progress));
        return LearningRate * share;
    }
}
