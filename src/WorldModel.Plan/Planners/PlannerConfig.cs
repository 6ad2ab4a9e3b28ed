using WorldModel.Core.Config;

namespace WorldModel.Plan.Planners;

/// <summary>
/// How action sequences are searched: <c>{"kind": "mppi", ...}</c>, <c>{"kind": "cem", ...}</c> or
/// <c>{"kind": "gradient", ...}</c>.
/// </summary>
[ConfigUnion(typeof(MppiConfig), typeof(CemConfig), typeof(GradientConfig))]
public abstract record PlannerConfig
{
    /// <summary>Candidate action sequences per episode and iteration.</summary>
    [Range(2, 100_000)] public int Samples { get; init; } = 256;
    /// <summary>Refinements of the sampling distribution per replanning step.</summary>
    [Range(1, 100)] public int Iterations { get; init; } = 2;
    /// <summary>Standard deviation of the sampling noise per action component (world units, px).</summary>
    [Range(0.001, 100)] public float Noise { get; init; } = 1.0f;
    /// <summary>
    /// Colour of the noise along the horizon: exponent β of its 1/f^β power spectrum. 0 is white (each
    /// step independent); 2 makes smooth, direction-keeping candidates that explore far (iCEM).
    /// </summary>
    [Range(0, 4)] public float NoiseColour { get; init; } = 0f;

    /// <summary>Whether the planner needs a model it can differentiate (the oracles cannot be).</summary>
    public virtual bool NeedsGradients => false;

    public abstract IPlanner Create(float actionLimit);
}

/// <summary>
/// Model-predictive path integral (Williams et al. 2017): candidates are the current plan plus noise,
/// averaged with weights exp(−cost / temperature). Costs are first divided by their spread across the
/// episode's candidates, so the temperature does not depend on the model's cost scale.
/// </summary>
[ConfigName("mppi")]
public sealed record MppiConfig : PlannerConfig
{
    [Range(1e-4, 100)] public float Temperature { get; init; } = 0.1f;

    public override IPlanner Create(float actionLimit) => new Mppi(this, actionLimit);
}

/// <summary>
/// Cross-entropy method (Rubinstein 1999): sample from a Gaussian per action, refit it to the best
/// <see cref="Elites"/>; <see cref="Momentum"/> keeps that share of the old mean and standard deviation.
/// </summary>
[ConfigName("cem")]
public sealed record CemConfig : PlannerConfig, IValidatable
{
    [Range(1, 100_000)] public int Elites { get; init; } = 32;
    [Range(0, 0.99)] public float Momentum { get; init; } = 0.1f;
    /// <summary>Floor on the standard deviation, so that later iterations still explore.</summary>
    [Range(0, 100)] public float MinNoise { get; init; } = 0.05f;

    public override IPlanner Create(float actionLimit) => new Cem(this, actionLimit);

    public IEnumerable<ConfigError> Validate()
    {
        if (Elites > Samples)
            yield return new("elites", $"{Elites} is more than samples ({Samples}); allowed: 1 to samples");
    }
}

/// <summary>
/// Gradient descent through the predictor (learned models only): <see cref="PlannerConfig.Samples"/>
/// restarts, each taking <see cref="PlannerConfig.Iterations"/> Adam steps of size
/// <see cref="LearningRate"/> (px per action component). DINO-WM (Zhou et al. 2024) found it behind
/// CEM for latent planning; here it is the third optimiser to compare on the same model.
/// </summary>
[ConfigName("gradient")]
public sealed record GradientConfig : PlannerConfig
{
    public GradientConfig()
    {
        Samples = 16;
        Iterations = 20;
        Noise = 0.5f;
    }

    [Range(1e-5, 10)] public float LearningRate { get; init; } = 0.1f;

    public override bool NeedsGradients => true;

    public override IPlanner Create(float actionLimit) => new GradientPlanner(this, actionLimit);
}
