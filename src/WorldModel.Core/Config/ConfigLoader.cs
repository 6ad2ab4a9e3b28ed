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

    public static T LoadFile<T>(string path, IEnumerable<string>? overrides = null) where T : class
    {
        if (!File.Exists(path))
            throw new ConfigException(path, [new ConfigError("", $"config file not found: '{path}' (run from the repository root, or give a full path; committed configs are in configs/)")]);
        return Parse<T>(File.ReadAllText(path), path, overrides);
    }

    public static T Parse<T>(string json, string source, IEnumerable<string>? overrides = null) where T : class
    {
        var root = ParseTree(json, source);
        var sets = overrides?.ToArray() ?? [];
        if (sets.Length == 0) return ConfigBinder.Bind<T>(root, source);
        // Overrides apply to the resolved tree (defaults included), so --set can reach keys the file omits.
        // If the file alone does not bind, they apply to the file's tree and every error is reported.
        JsonNode tree;
        try { tree = JsonNode.Parse(ConfigBinder.Unbind(ConfigBinder.Bind<T>(root.DeepClone(), source))!.ToJsonString())!; }
        catch (ConfigException) { tree = root; }
        ApplyOverrides(tree, sets, source);
        return ConfigBinder.Bind<T>(tree, source + " with --set " + string.Join(" ", sets));
    }

    public static JsonNode ParseTree(string json, string source)
    {
        try
        {
            return JsonNode.Parse(json, documentOptions: DocumentOptions)
                ?? throw new ConfigException(source, [new ConfigError("", "the file holds JSON null; expected an object")]);
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
    /// </summary>
    public static void ApplyOverrides(JsonNode root, IEnumerable<string> overrides, string source)
    {
        var errors = new List<ConfigError>();
        var ordered = overrides
            .Select((o, i) => (Override: o, Index: i, Keys: o.Split('=', 2)[0].Split('.')))
            .OrderBy(x => x.Keys[^1] == ConfigBinder.KindKey ? x.Keys.Length : int.MaxValue)
            .ThenBy(x => x.Index)
            .Select(x => x.Override);
        foreach (var o in ordered)
        {
            int eq = o.IndexOf('=');
            if (eq <= 0)
            {
                errors.Add(new ConfigError(o, "an override must look like path.to.key=value (e.g. --set world.maxStep=1.5)"));
                continue;
            }
            var keys = o[..eq].Split('.');
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
                else
                {
                    errors.Add(new ConfigError(string.Join('.', keys[..(i + 1)]), $"--set {o}: cannot descend here; the value at '{string.Join('.', keys[..i])}' is not an object"));
                    break;
                }
            }
        }
        if (errors.Count > 0) throw new ConfigException(source + " --set", errors);
    }

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
