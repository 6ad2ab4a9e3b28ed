namespace WorldModel.Core.Config;

/// <summary>One problem in a config: the key path, what was found, and what is allowed.</summary>
public sealed record ConfigError(string KeyPath, string Message)
{
    public override string ToString() => $"{(KeyPath.Length == 0 ? "(root)" : KeyPath)}: {Message}";
}

/// <summary>A config that failed to load or validate; lists every problem found, not only the first.</summary>
public sealed class ConfigException : Exception
{
    public ConfigException(string source, IReadOnlyList<ConfigError> errors)
        : base(Format(source, errors))
    {
        ConfigSource = source;
        Errors = errors;
    }

    public string ConfigSource { get; }
    public IReadOnlyList<ConfigError> Errors { get; }

    private static string Format(string source, IReadOnlyList<ConfigError> errors) =>
        $"invalid config ({source}):" + string.Concat(errors.Select(e => "\n  - " + e));
}
