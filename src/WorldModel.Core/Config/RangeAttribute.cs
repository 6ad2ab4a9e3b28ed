using System.Reflection;
namespace WorldModel.Core.Config;

/// <summary>Inclusive numeric range of a config property; checked when the config is bound.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class RangeAttribute(double min, double max) : Attribute
{
    public double Min { get; } = min;
    public double Max { get; } = max;
}

/// <summary>
/// An earlier name of this key, still read so that run folders and configs written before the rename
/// keep loading; the canonical config (and so every hash) uses the new name only. Setting both is an error.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = true)]
public sealed class FormerKeyAttribute(string key) : Attribute
{
    public string Key { get; } = key;
}

/// <summary>
/// A key this config type no longer has: a file that sets it gets <see cref="Advice"/> instead of "unknown key".
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class RemovedKeyAttribute(string key, string advice) : Attribute
{
    public string Key { get; } = key;
    public string Advice { get; } = advice;
}

/// <summary>
/// A property of a config record that code sets and config files do not (not bound, not written, not hashed).
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class NotAKeyAttribute : Attribute;

/// <summary>
/// The JSON name of a config type when it is a case of a <see cref="ConfigUnionAttribute"/>, or of an enum value.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Field)]
public sealed class ConfigNameAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}

/// <summary>
/// Marks an abstract config type as a closed set of cases picked by a "kind" key,
/// e.g. <c>{"kind": "random-walk", ...}</c>. The cases are listed here, or come from a registry in
/// an assembly above this one (<see cref="ConfigUnionAttribute(string)"/>): a world's config lives
/// with the world, above the layers that only know the abstract type.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ConfigUnionAttribute : Attribute
{
    public ConfigUnionAttribute(params Type[] cases) => Listed = cases;

    /// <param name="registry">
    /// Assembly-qualified name of an <see cref="IConfigUnionRegistry"/> with a public parameterless constructor.
    /// </param>
    public ConfigUnionAttribute(string registry) => Registry = registry;

    public IReadOnlyList<Type>? Listed { get; }
    public string? Registry { get; }
}

/// <summary>
/// What a config file of this type says it is in its top-level "kind": experiment, training, data, evaluation.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ConfigFileKindAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}

/// <summary>
/// Supplies the cases of unions whose cases live above the union's own assembly, and which one a config gets
/// by default.
/// </summary>
public interface IConfigUnionRegistry
{
    IReadOnlyList<Type> CasesOf(Type union);

    Type DefaultOf(Type union);
}

/// <summary>The cases of a config union, listed or registered.</summary>
public static class ConfigUnions
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, IReadOnlyList<Type>?> Cache =
        new();
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, Type> Defaults = new();

    public static bool IsUnion(Type type) => type.GetCustomAttribute<ConfigUnionAttribute>(inherit: false) is not null;

    /// <summary>The cases of <paramref name="union"/>, or null when it is not a union.</summary>
    public static IReadOnlyList<Type>? CasesOf(Type union) => Cache.GetOrAdd(union, static t =>
    {
        var attribute = t.GetCustomAttribute<ConfigUnionAttribute>(inherit: false);
        if (attribute is null) return null;
        if (attribute.Listed is not null) return attribute.Listed;
        var cases = Registry(t, attribute).CasesOf(t);
        if (cases.Count == 0)
            throw new InvalidOperationException($"{attribute.Registry} registers no case of {t.Name}");
        return cases;
    });

    /// <summary>
    /// A new instance of the union's default case (a registered union's registry says which; else the first
    /// listed), with its defaults.
    /// </summary>
    public static T Default<T>() where T : class => (T)Activator.CreateInstance(Defaults.GetOrAdd(typeof(T), static t =>
    {
        var attribute = t.GetCustomAttribute<ConfigUnionAttribute>(inherit: false)
            ?? throw new InvalidOperationException($"{t.Name} is not a config union");
        return attribute.Listed is { } listed ? listed[0] : Registry(t, attribute).DefaultOf(t);
    }))!;

    private static IConfigUnionRegistry Registry(Type union, ConfigUnionAttribute attribute)
    {
        var registry = Type.GetType(attribute.Registry!, throwOnError: false)
            ?? throw new InvalidOperationException(
                $"{union.Name}'s cases come from {attribute.Registry}, which is not loaded: " +
                "reference its project from the program or test project");
        return (IConfigUnionRegistry)Activator.CreateInstance(registry)!;
    }
}

/// <summary>Cross-field checks a config type runs after binding; keys are relative to the type.</summary>
public interface IValidatable
{
    IEnumerable<ConfigError> Validate();
}

/// <summary>
/// A key added after run folders and datasets were written: the canonical config leaves it out while it
/// holds its default, so every config hash (dataset, run and unit folders) made before the key existed stays
/// the same. Configs may still set it to the default explicitly.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class AddedKeyAttribute : Attribute;
