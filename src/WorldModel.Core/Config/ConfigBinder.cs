using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WorldModel.Core.Config;

/// <summary>
/// Binds a JSON tree onto immutable config records. Defaults come from the records'
/// property initialisers (one place per default); every unknown key, wrong type and
/// out-of-range value is collected with its key path.
/// </summary>
public static class ConfigBinder
{
    public const string KindKey = "kind";

    public static T Bind<T>(JsonNode? node, string source) where T : class
    {
        var errors = new List<ConfigError>();
        var result = Bind(node, typeof(T), "", errors);
        if (errors.Count > 0 || result is null)
        {
            if (errors.Count == 0) errors.Add(new ConfigError("", "the config is empty"));
            throw new ConfigException(source, errors);
        }
        return (T)result;
    }

    private static object? Bind(
        JsonNode? node,
        Type type,
        string path,
        List<ConfigError> errors,
        RangeAttribute? range = null)
    {
        var nullable = Nullable.GetUnderlyingType(type);
        if (node is null)
        {
            if (nullable is not null || !type.IsValueType) return null;
            errors.Add(new ConfigError(path, $"null is not allowed; expected {Describe(type)}"));
            return null;
        }
        type = nullable ?? type;

        if (type == typeof(string)) return Scalar(node, path, errors, "a string", (JsonValue v, out object? r) =>
            { var ok = v.TryGetValue(out string? s); r = s; return ok; });
        if (type == typeof(bool)) return Scalar(node, path, errors, "true or false", (JsonValue v, out object? r) =>
            { var ok = v.TryGetValue(out bool b); r = b; return ok; });
        if (type == typeof(int)) return Integer(node, path, errors, int.MinValue, int.MaxValue, range, x => (int)x);
        if (type == typeof(long)) return Integer(node, path, errors, long.MinValue, long.MaxValue, range, x => x);
        if (type == typeof(double)) return Scalar(node, path, errors, "a number", (JsonValue v, out object? r) =>
            { var ok = TryNumber(v, out double d); r = d; return ok && double.IsFinite(d); });
        if (type == typeof(float)) return Scalar(node, path, errors, "a number", (JsonValue v, out object? r) =>
            { var ok = TryNumber(v, out double d); r = (float)d; return ok && double.IsFinite(d); });
        if (type.IsEnum) return BindEnum(node, type, path, errors);
        if (type.IsArray) return BindArray(node, type.GetElementType()!, path, errors, range);
        if (type.IsClass) return BindObject(node, type, path, errors);
        throw new InvalidOperationException($"config binder does not support {type}");
    }

    private delegate bool TryRead(JsonValue v, out object? result);

    private static object? Scalar(JsonNode node, string path, List<ConfigError> errors, string expected, TryRead read)
    {
        if (node is JsonValue v && v.GetValueKind() is not JsonValueKind.Object and not JsonValueKind.Array
            && read(v, out var r))
            return r;
        errors.Add(new ConfigError(path, $"{Show(node)} is not allowed; expected {expected}"));
        return null;
    }

    private static object? Integer(
        JsonNode node,
        string path,
        List<ConfigError> errors,
        long min,
        long max,
        RangeAttribute? range,
        Func<long, object> cast)
    {
        if (node is JsonValue v && TryNumber(v, out double d) && double.IsFinite(d) && d == Math.Floor(d))
        {
            if (d >= min && d <= max) return cast((long)d);
            // A whole number too large for the key: say what is allowed, not "not a whole number".
            string allowed = range is null
                ? string.Create(CultureInfo.InvariantCulture, $"{min} to {max}")
                : $"{Num(range.Min)} to {Num(range.Max)}";
            errors.Add(new ConfigError(path, $"{Show(node)} is out of range; allowed: {allowed}"));
            return null;
        }
        errors.Add(new ConfigError(path, $"{Show(node)} is not allowed; expected a whole number"));
        return null;
    }

    private static object? BindEnum(JsonNode node, Type type, string path, List<ConfigError> errors)
    {
        var values = Enum.GetValues(type).Cast<Enum>().ToArray();
        if (node is JsonValue v && v.TryGetValue(out string? s))
        {
            foreach (var e in values)
                if (string.Equals(ConfigNames.EnumValue(e), s, StringComparison.OrdinalIgnoreCase)) return e;
        }
        errors.Add(new ConfigError(path,
            $"{Show(node)} is not allowed; allowed: {string.Join(", ", values.Select(ConfigNames.EnumValue))}"));
        return null;
    }

    private static object? BindArray(
        JsonNode node,
        Type elementType,
        string path,
        List<ConfigError> errors,
        RangeAttribute? range)
    {
        if (node is not JsonArray array)
        {
            errors.Add(new ConfigError(path, $"{Show(node)} is not allowed; expected a list"));
            return null;
        }
        var result = Array.CreateInstance(elementType, array.Count);
        for (int i = 0; i < array.Count; i++)
        {
            // A [Range] on a list applies to each element.
            int before = errors.Count;
            var element = Bind(array[i], elementType, $"{path}[{i}]", errors, range);
            if (errors.Count == before && range is not null && !InRange(element, range))
                errors.Add(new ConfigError($"{path}[{i}]",
                    $"{Show(array[i])} is out of range; allowed: {Num(range.Min)} to {Num(range.Max)}"));
            result.SetValue(element, i);
        }
        return result;
    }

    private static object? BindObject(JsonNode node, Type type, string path, List<ConfigError> errors)
    {
        if (node is not JsonObject obj)
        {
            errors.Add(new ConfigError(path,
                $"{Show(node)} is not allowed; expected an object with keys {Keys(type)}"));
            return null;
        }

        var concrete = type;
        var cases = ConfigUnions.CasesOf(type);
        if (cases is not null)
        {
            var kinds = cases.Select(ConfigNames.Kind).ToArray();
            var kindNode = obj[KindKey];
            var kind = kindNode is JsonValue kv && kv.TryGetValue(out string? k) ? k : null;
            var match = cases.FirstOrDefault(c => ConfigNames.Kind(c) == kind);
            if (match is null)
            {
                string found = kindNode is null ? "missing" : Show(kindNode) + " is not allowed";
                errors.Add(new ConfigError(Join(path, KindKey), $"{found}; allowed: {string.Join(", ", kinds)}"));
                return null;
            }
            concrete = match;
        }

        int errorsBefore = errors.Count;
        var instance = Activator.CreateInstance(concrete)
            ?? throw new InvalidOperationException($"cannot create {concrete}");
        var properties = ConfigNames.Properties(concrete);
        var props = properties.ToDictionary(ConfigNames.Key, StringComparer.Ordinal);
        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in properties)
            foreach (var former in p.GetCustomAttributes<FormerKeyAttribute>())
                if (obj.ContainsKey(former.Key) && obj.ContainsKey(ConfigNames.Key(p)))
                {
                    errors.Add(new ConfigError(Join(path, former.Key),
                        $"former name of {ConfigNames.Key(p)}, which is also set; keep {ConfigNames.Key(p)} only"));
                    reported.Add(former.Key);
                }
                else props[former.Key] = p;
        var removed = concrete.GetCustomAttributes<RemovedKeyAttribute>()
            .ToDictionary(r => r.Key, r => r.Advice, StringComparer.Ordinal);
        foreach (var (key, value) in obj)
        {
            if ((cases is not null && key == KindKey) || reported.Contains(key)) continue;
            if (!props.TryGetValue(key, out var prop))
            {
                errors.Add(new ConfigError(Join(path, key), removed.TryGetValue(key, out var advice)
                    ? $"no longer a key: {advice}"
                    : $"unknown key; allowed keys here: {Keys(concrete)}"));
                continue;
            }
            int before = errors.Count;
            var range = prop.GetCustomAttribute<RangeAttribute>();
            var bound = Bind(value, prop.PropertyType, Join(path, key), errors, range);
            if (errors.Count != before) continue;
            if (range is not null && bound is not Array && !InRange(bound, range))
            {
                errors.Add(new ConfigError(Join(path, key),
                    $"{Show(value)} is out of range; allowed: {Num(range.Min)} to {Num(range.Max)}"));
                continue;
            }
            prop.SetValue(instance, bound);
        }

        // Cross-field checks run whenever this object's own keys bound, whatever failed elsewhere, so one pass
        // reports everything that can be known.
        if (instance is IValidatable validatable && errors.Count == errorsBefore)
            foreach (var e in validatable.Validate())
                errors.Add(e with { KeyPath = Join(path, e.KeyPath) });
        return instance;
    }

    private static bool InRange(object? value, RangeAttribute range)
    {
        double x = value switch
        {
            int i => i,
            long l => l,
            double d => d,
            float f => f,
            _ => double.NaN,
        };
        return x >= range.Min && x <= range.Max;
    }

    /// <summary>
    /// A number, whether parsed from text or set from code (a JsonValue made from an int answers only
    /// to int, so a tree built in code would otherwise read as "not a number").
    /// </summary>
    private static bool TryNumber(JsonValue v, out double d)
    {
        if (v.TryGetValue(out d)) return true;
        if (v.TryGetValue(out long l)) { d = l; return true; }
        if (v.TryGetValue(out int i)) { d = i; return true; }
        if (v.TryGetValue(out float f)) { d = f; return true; }
        if (v.TryGetValue(out decimal m)) { d = (double)m; return true; }
        return false;
    }

    private static string Keys(Type type) =>
        string.Join(", ",
            (!ConfigUnions.IsUnion(type) ? ConfigNames.Properties(type).Select(ConfigNames.Key) : [KindKey]));

    /// <summary>What a key takes, in the words of a config file (never a .NET type name).</summary>
    private static string Describe(Type t)
    {
        if (t.IsEnum)
            return "one of " + string.Join(", ", Enum.GetValues(t).Cast<Enum>().Select(ConfigNames.EnumValue));
        if (t == typeof(int) || t == typeof(long)) return "a whole number";
        if (t == typeof(double) || t == typeof(float)) return "a number";
        if (t == typeof(bool)) return "true or false";
        if (t == typeof(string)) return "a string";
        if (t.IsArray) return "a list";
        return "an object with keys " + Keys(t);
    }

    public static string Join(string path, string key) =>
        path.Length == 0 ? key : key.Length == 0 ? path : path + "." + key;

    private static string Show(JsonNode? node)
    {
        var s = node?.ToJsonString() ?? "null";
        return s.Length > 60 ? s[..57] + "..." : s;
    }

    private static string Num(double x) => x.ToString("G", CultureInfo.InvariantCulture);

    /// <summary>The canonical JSON of a bound config: every key, defaults included, union kinds first.</summary>
    public static JsonNode? Unbind(object? value)
    {
        switch (value)
        {
            case null: return null;
            case string s: return JsonValue.Create(s);
            case bool b: return JsonValue.Create(b);
            case int i: return JsonValue.Create(i);
            case long l: return JsonValue.Create(l);
            case double d: return JsonValue.Create(d);
            case float f: return JsonValue.Create((double)f);
            case Enum e: return JsonValue.Create(ConfigNames.EnumValue(e));
            case Array a:
                var arr = new JsonArray();
                foreach (var item in (IEnumerable)a) arr.Add(Unbind(item));
                return arr;
        }
        var type = value.GetType();
        var obj = new JsonObject();
        // A case of a union names its kind, also when an abstract record sits between it and the union.
        for (var parent = type.BaseType; parent is not null; parent = parent.BaseType)
            if (ConfigUnions.IsUnion(parent))
            {
                obj[KindKey] = ConfigNames.Kind(type);
                break;
            }
        foreach (var p in ConfigNames.Properties(type))
        {
            object? v = p.GetValue(value);
            if (p.GetCustomAttribute<AddedKeyAttribute>() is not null && IsDefault(v, DefaultOf(type, p))) continue;
            obj[ConfigNames.Key(p)] = Unbind(v);
        }
        return obj;
    }

    /// <summary>Whether a value is the key's default; lists compare by their elements (an array equals only itself).
    /// </summary>
    private static bool IsDefault(object? value, object? fallback) =>
        Equals(value, fallback) || (value is Array && JsonNode.DeepEquals(Unbind(value), Unbind(fallback)));

    /// <summary>A property's initialiser value: read from a config made with every key left out.</summary>
    private static object? DefaultOf(Type type, PropertyInfo property) =>
        property.GetValue(Defaults.GetOrAdd(type, t => Activator.CreateInstance(t)
            ?? throw new InvalidOperationException($"{t} has no parameterless constructor for its defaults")));

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, object> Defaults = new();
}
