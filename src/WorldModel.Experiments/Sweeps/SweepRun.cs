namespace WorldModel.Experiments.Sweeps;

/// <summary>One grid point of a sweep: its values (one per grid key), the resolved config and its run folder.</summary>
public sealed record SweepRun(IReadOnlyList<string> Values, ExperimentConfig Config, string Folder);
