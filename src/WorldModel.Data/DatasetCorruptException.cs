namespace WorldModel.Data;

/// <summary>
/// A dataset file that is missing, truncated, corrupted or of another format; names the file and what to do.
/// </summary>
public sealed class DatasetCorruptException(string message) : Exception(message);
