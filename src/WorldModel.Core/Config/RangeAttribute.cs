namespace WorldModel.Core.Config;

/// <summary>Inclusive numeric range of a config property; checked when the config is bound.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class RangeAttribute(double min, double max) : Attribute
{
    public double Min { get; } = min;
    public double Max { get; } = max;
}

/// <summary>The JSON name of a config type when it is a case of a <see cref="ConfigUnionAttribute"/>, or of an enum value.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Field)]
public sealed class ConfigNameAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}

/// <summary>
/// Marks an abstract config type as a closed set of cases picked by a "kind" key,
/// e.g. <c>{"kind": "random-walk", ...}</c>. Consumers switch exhaustively over the cases.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ConfigUnionAttribute(params Type[] cases) : Attribute
{
    public IReadOnlyList<Type> Cases { get; } = cases;
}

/// <summary>Cross-field checks a config type runs after binding; keys are relative to the type.</summary>
public interface IValidatable
{
    IEnumerable<ConfigError> Validate();
}
