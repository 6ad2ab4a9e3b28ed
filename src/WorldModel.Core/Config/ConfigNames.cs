using System.Reflection;
using System.Text;

namespace WorldModel.Core.Config;

/// <summary>How C# names appear in config files: camelCase keys, kebab-case enum values and kinds.</summary>
public static class ConfigNames
{
    public static string Key(PropertyInfo p) => char.ToLowerInvariant(p.Name[0]) + p.Name[1..];

    public static string Kebab(string name)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (char.IsUpper(c) && i > 0 && !char.IsUpper(name[i - 1])) sb.Append('-');
            else if (char.IsUpper(c) && i > 0 && i + 1 < name.Length && char.IsLower(name[i + 1])
                && char.IsUpper(name[i - 1]))
                sb.Append('-');
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }

    public static string EnumValue(Enum value)
    {
        var field = value.GetType().GetField(value.ToString());
        return field?.GetCustomAttribute<ConfigNameAttribute>()?.Name ?? Kebab(value.ToString());
    }

    public static string Kind(Type caseType) =>
        caseType.GetCustomAttribute<ConfigNameAttribute>()?.Name
        ?? throw new InvalidOperationException($"{caseType.Name} needs a [ConfigName] to be a union case");

    /// <summary>Settable properties in declaration order: the keys a config type accepts.</summary>
    public static PropertyInfo[] Properties(Type t) =>
        t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
         .Where(p => p.CanWrite && p.GetIndexParameters().Length == 0
                     && p.GetCustomAttribute<NotAKeyAttribute>() is null)
         .OrderBy(p => p.MetadataToken)
         .ToArray();
}
