using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WorldModel.Core.Config;

/// <summary>
/// Loads a JSON config (comments and trailing commas allowed), applies
/// <c>--set path.to.key=value</c> overrides, binds and validates it.
/// Nothing is written by anyone before this succeeds.
/// </summary>
public static class ConfigLoader
{
    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>The top-level key naming what a config file is (experiment, training, data, evaluation).</summary>
    public const string FileKindKey = "kind";

    /// <summary>The top-level key naming a base file this one extends (a path relative to this file).</summary>
    public const string ExtendsKey = "extends";

    public static T LoadFile<T>(string path, IEnumerable<string>? overrides = null) where T : class
    {
        var root = LoadTree(path, []);
        return Bind<T>(root, path, overrides);
    }

    public static T Parse<T>(string json, string source, IEnumerable<string>? overrides = null) where T : class =>
        Bind<T>(ParseTree(json, source), source, overrides);

    /// <summary>
    /// A config file's tree with its <c>extends</c> chain resolved: the base file's tree, then this
    /// file's keys on top (objects merge key by key; a value, a list, or an object of another "kind"
    /// replaces what the base had).
    /// </summary>
    public static JsonNode LoadTree(string path, IReadOnlyList<string> extending)
    {
        if (!File.Exists(path))
            throw new ConfigException(path, [new ConfigError("",
                $"config file not found: '{path}' (run from the repository root, or give a full path; " +
                "committed configs are in configs/)")]);
        var tree = ParseTree(File.ReadAllText(path), path);
        if (tree is not JsonObject obj || obj[ExtendsKey] is not { } extends) return tree;
        if (extends is not JsonValue v || !v.TryGetValue(out string? name) || name.Length == 0)
            throw new ConfigException(path, [new ConfigError(ExtendsKey,
                "expected the path of a base config file, relative to this one, e.g. \"quickstart.json\"")]);
        string full = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, name));
        if (extending.Contains(full) || full == Path.GetFullPath(path))
            throw new ConfigException(path, [new ConfigError(ExtendsKey,
                $"'{name}' extends this file again: {string.Join(" → ", [.. extending, full])}")]);
        if (!File.Exists(full))
            throw new ConfigException(path,
                [new ConfigError(ExtendsKey, $"base file '{name}' not found (looked for {full})")]);
        var merged = LoadTree(full, [.. extending, Path.GetFullPath(path)]);
        obj.Remove(ExtendsKey);
        if (merged is JsonObject baseObj && baseObj[FileKindKey] is { } baseKind && obj[FileKindKey] is { } kind
            && !JsonNode.DeepEquals(baseKind, kind))
            throw new ConfigException(path, [new ConfigError(FileKindKey,
                $"{kind.ToJsonString()} extends a {baseKind.ToJsonString()} config ('{name}'); " +
                "a file extends one of its own kind")]);
        return Merge(merged, obj);
    }

    /// <summary>
    /// <paramref name="over"/>'s keys on top of <paramref name="under"/>'s (see <see cref="LoadTree"/>).
    /// </summary>
    public static JsonNode Merge(JsonNode under, JsonNode over)
    {
        if (under is not JsonObject u || over is not JsonObject o) return over.DeepClone();
        bool otherKind = o[ConfigBinder.KindKey] is { } k && u[ConfigBinder.KindKey] is { } uk
            && !JsonNode.DeepEquals(k, uk);
        if (otherKind) return o.DeepClone();
        var result = (JsonObject)u.DeepClone();
        foreach (var (key, value) in o)
            result[key] = value is null
                ? null
                : result[key] is { } existing ? Merge(existing, value) : value.DeepClone();
        return result;
    }

    private static T Bind<T>(JsonNode root, string source, IEnumerable<string>? overrides) where T : class
    {
        CheckFileKind<T>(root, source);
        var sets = overrides?.ToArray() ?? [];
        if (sets.Length == 0) return ConfigBinder.Bind<T>(root, source);
        // Overrides apply to the resolved tree (defaults included), so --set can reach keys the file omits.
        // If the file alone does not bind, they apply to the file's tree and every error is reported.
        JsonNode tree;
        try
        {
            tree = JsonNode.Parse(
                ConfigBinder.Unbind(ConfigBinder.Bind<T>(root.DeepClone(), source))!.ToJsonString())!;
        }
        catch (ConfigException) { tree = root; }
        ApplyOverrides(tree, sets, source);
        return ConfigBinder.Bind<T>(tree, source + " with --set " + string.Join(" ", sets));
    }

    /// <summary>
    /// A file's own "kind" (experiment, training, data, evaluation) must be the one asked for; it is then
    /// removed, so it never reaches the binder or the resolved config (and so no run id changes).
    /// Files without one are taken as the kind asked for.
    /// </summary>
    private static void CheckFileKind<T>(JsonNode root, string source)
    {
        var expected = typeof(T).GetCustomAttribute<ConfigFileKindAttribute>()?.Name;
        if (expected is null || root is not JsonObject obj || obj[FileKindKey] is not { } node) return;
        string? kind = node is JsonValue v && v.TryGetValue(out string? s) ? s : null;
        if (kind != expected)
            throw new ConfigException(source, [new ConfigError(FileKindKey,
                $"{node.ToJsonString()} is not allowed here: this command takes a config of kind \"{expected}\"" +
                (kind is null ? "" : $" and this file is a \"{kind}\" config"))]);
        obj.Remove(FileKindKey);
    }

    /// <summary>The kind a config file says it is, or null when it says none.</summary>
    public static string? FileKind(JsonNode root) =>
        root is JsonObject o && o[FileKindKey] is JsonValue v && v.TryGetValue(out string? s) ? s : null;

    public static JsonNode ParseTree(string json, string source)
    {
        try
        {
            return JsonNode.Parse(json, documentOptions: DocumentOptions)
                ?? throw new ConfigException(source,
                    [new ConfigError("", "the file holds JSON null; expected an object")]);
        }
        catch (JsonException e)
        {
            throw new ConfigException(source, [new ConfigError("", InvalidJson(e))]);
        }
    }

    /// <summary>
    /// "not valid JSON at line L, column C: …" with 1-based numbers as editors show them (System.Text.Json
    /// counts from 0 and appends its own 0-based position to the message).
    /// </summary>
    public static string InvalidJson(JsonException e)
    {
        string message = e.Message;
        int cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        if (cut < 0) cut = message.IndexOf(" LineNumber: ", StringComparison.Ordinal);
        if (cut >= 0) message = message[..cut].TrimEnd();
        return e.LineNumber is { } line
            ? $"not valid JSON at line {line + 1}, column {(e.BytePositionInLine ?? 0) + 1}: {message}"
            : $"not valid JSON: {message}";
    }

    /// <summary>
    /// Applies "a.b.c=value" overrides; value is parsed as JSON, else taken as a string. Setting a kind starts
    /// that object afresh from the new kind's defaults, so kind switches apply first (outer objects before inner
    /// ones) and every other override of the same command lands on the new kind, whatever the order given.
    /// A list's element is addressed by its index, as models.0.train.steps or models[0].train.steps.
    /// </summary>
    public static void ApplyOverrides(JsonNode root, IEnumerable<string> overrides, string source)
    {
        var errors = new List<ConfigError>();
        var ordered = overrides
            .Select((o, i) => (Override: o, Index: i, Keys: OverridePath(o)))
            .OrderBy(x => x.Keys[^1] == ConfigBinder.KindKey ? x.Keys.Length : int.MaxValue)
            .ThenBy(x => x.Index)
            .Select(x => x.Override);
        foreach (var o in ordered)
        {
            int eq = o.IndexOf('=');
            if (eq <= 0)
            {
                errors.Add(new ConfigError(o,
                    "an override must look like path.to.key=value (e.g. --set world.maxStep=1.5)"));
                continue;
            }
            var keys = OverridePath(o);
            var raw = o[(eq + 1)..];
            JsonNode? value;
            try { value = JsonNode.Parse(raw); }
            catch (JsonException) { value = JsonValue.Create(raw); }

            JsonNode? node = root;
            for (int i = 0; i < keys.Length; i++)
            {
                bool last = i == keys.Length - 1;
                string key = keys[i];
                if (node is JsonObject obj)
                {
                    // Choosing another kind starts that object afresh from the new kind's defaults.
                    if (last && key == ConfigBinder.KindKey && obj[key]?.ToJsonString() != value?.ToJsonString())
                    {
                        obj.Clear();
                        obj[key] = value;
                        break;
                    }
                    if (last) { obj[key] = value; break; }
                    if (obj[key] is null) obj[key] = new JsonObject();
                    node = obj[key];
                }
                else if (node is JsonArray arr && int.TryParse(key, out int idx) && idx >= 0 && idx < arr.Count)
                {
                    if (last) { arr[idx] = value; break; }
                    node = arr[idx];
                }
                else if (node is JsonArray list)
                {
                    errors.Add(new ConfigError(string.Join('.', keys[..(i + 1)]),
                        $"--set {o}: '{string.Join('.', keys[..i])}' is a list of {list.Count}; " +
                        $"address an element by its index, 0 to {list.Count - 1}"));
                    break;
                }
                else
                {
                    errors.Add(new ConfigError(string.Join('.', keys[..(i + 1)]),
                        $"--set {o}: cannot descend here; " +
                        $"the value at '{string.Join('.', keys[..i])}' is not an object"));
                    break;
                }
            }
        }
        if (errors.Count > 0) throw new ConfigException(source + " --set", errors);
    }

    // "models[0].train.steps" and "models.0.train.steps" name the same key.
    private static string[] OverridePath(string o) =>
        System.Text.RegularExpressions.Regex.Replace(o.Split('=', 2)[0], @"\[(\d+)\]", ".$1").Split('.');

    /// <summary>Canonical JSON of a resolved config, as saved next to results.</summary>
    public static string ToJson(object config) =>
        ConfigBinder.Unbind(config)!.ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    /// <summary>Content hash of a resolved config: same settings, same hash (used to cache stages).</summary>
    public static string Hash(object config, string salt = "")
    {
        var canonical = ConfigBinder.Unbind(config)!.ToJsonString() + salt;
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))[..16];
    }
}
