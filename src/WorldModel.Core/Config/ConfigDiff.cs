using System.Text.Json.Nodes;

namespace WorldModel.Core.Config;

/// <summary>Which keys differ between two configs, by key path: what a message about a changed config names.</summary>
public static class ConfigDiff
{
    /// <summary>Every leaf that differs, as (path, before, after); a missing side is null.</summary>
    public static List<(string Path, string? Before, string? After)> Of(JsonNode? before, JsonNode? after)
    {
        var a = Leaves(before);
        var b = Leaves(after);
        return a.Keys.Union(b.Keys).Order(StringComparer.Ordinal)
            .Select(k => (k, a.GetValueOrDefault(k), b.GetValueOrDefault(k)))
            .Where(d => d.Item2 != d.Item3).ToList();
    }

    /// <summary>"train.steps: 300 → 500; name: a → b" (the first few), from two JSON texts.</summary>
    public static string Describe(string before, string after, int most = 8)
    {
        var diff = Of(JsonNode.Parse(before), JsonNode.Parse(after));
        if (diff.Count == 0) return "no key differs";
        var shown = diff.Take(most).Select(d =>
            $"{(d.Path.Length == 0 ? "(whole file)" : d.Path)}: {d.Before ?? "(absent)"} → {d.After ?? "(absent)"}");
        return string.Join("; ", shown) + (diff.Count > most ? $"; and {diff.Count - most} more" : "");
    }

    private static Dictionary<string, string> Leaves(JsonNode? node)
    {
        var leaves = new Dictionary<string, string>(StringComparer.Ordinal);
        void Walk(JsonNode? n, string path)
        {
            switch (n)
            {
                case JsonObject o:
                    foreach (var (key, value) in o) Walk(value, ConfigBinder.Join(path, key));
                    break;
                case JsonArray a:
                    leaves[path] = a.ToJsonString(); // lists are values: they are compared whole
                    break;
                default:
                    leaves[path] = n?.ToJsonString() ?? "null";
                    break;
            }
        }
        Walk(node, "");
        return leaves;
    }
}
