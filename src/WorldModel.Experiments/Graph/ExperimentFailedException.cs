namespace WorldModel.Experiments.Graph;

/// <summary>
/// A run cannot go on as asked: units failed on a cluster, a unit's inputs are unfinished, or jobs of an earlier
/// submission still run. The message names the units and says what to do next.
/// </summary>
public sealed class ExperimentFailedException(string message) : Exception(message);
