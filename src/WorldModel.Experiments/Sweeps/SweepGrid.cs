namespace WorldModel.Experiments.Sweeps;

/// <summary>
/// The grid of `wm sweep --grid KEY=V1,V2 --grid KEY2=A,B`: each KEY a config key as --set takes it, each value a
/// --set value. Values are split at commas outside brackets, braces and quotes, so a list is one value:
/// <c>--grid 'evaluation.plannerHorizons=[16],[32,64]'</c> sweeps [16] and [32,64]. The points are the cartesian
/// product, the first key varying slowest.
/// </summary>
public sealed record SweepGrid(IReadOnlyList<SweepGrid.Axis> Axes)
{
    /// <summary>One --grid option: a key and its values.</summary>
    public sealed record Axis(string Key, IReadOnlyList<string> Values);

    public IReadOnlyList<string> Keys => [.. Axes.Select(a => a.Key)];

    /// <summary>Every grid point: one value per key, in the order of <see cref="Keys"/>.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Points()
    {
        IEnumerable<IReadOnlyList<string>> points = [[]];
        foreach (var axis in Axes)
            points = points.SelectMany(p => axis.Values.Select(v => (IReadOnlyList<string>)[.. p, v])).ToList();
        return [.. points];
    }

    /// <summary>The --set overrides of one point: "KEY=VALUE" per key.</summary>
    public IReadOnlyList<string> Overrides(IReadOnlyList<string> point) =>
        [.. Axes.Select((a, i) => $"{a.Key}={point[i]}")];

    /// <summary>Parses --grid options; the error says which one is wrong and what is allowed.</summary>
    public static SweepGrid Parse(IReadOnlyList<string> options)
    {
        if (options.Count == 0)
            throw new ArgumentException("wm sweep needs at least one --grid KEY=V1,V2 (e.g. --grid seeds=[0],[1])");
        var axes = new List<Axis>();
        foreach (string option in options)
        {
            int eq = option.IndexOf('=', StringComparison.Ordinal);
            string key = eq > 0 ? option[..eq].Trim() : "";
            if (key.Length == 0 || key.Any(char.IsWhiteSpace))
                throw new ArgumentException($"--grid '{option}' is not KEY=V1,V2,…; write e.g. " +
                    "--grid evaluation.plan.planner.samples=64,128 or --grid 'evaluation.plannerHorizons=[16],[32]'");
            var values = SplitValues(option[(eq + 1)..], option);
            if (axes.Any(a => a.Key == key))
                throw new ArgumentException($"--grid {key} is given twice; list all its values in one --grid");
            if (values.Distinct().Count() != values.Count)
                throw new ArgumentException($"--grid '{option}' lists a value twice");
            axes.Add(new Axis(key, values));
        }
        return new SweepGrid(axes);
    }

    /// <summary>Splits at top-level commas: not inside [], {}, () or a "string".</summary>
    private static List<string> SplitValues(string text, string option)
    {
        var values = new List<string>();
        int depth = 0, start = 0;
        bool quoted = false;
        for (int i = 0; i <= text.Length; i++)
        {
            char c = i < text.Length ? text[i] : ',';
            if (quoted)
            {
                if (c == '\\') i++;
                else if (c == '"') quoted = false;
                continue;
            }
            if (c == '"') quoted = true;
            else if (c is '[' or '{' or '(') depth++;
            else if (c is ']' or '}' or ')') depth--;
            else if (c == ',' && depth == 0)
            {
                string value = text[start..i].Trim();
                if (value.Length == 0)
                    throw new ArgumentException(
                        $"--grid '{option}' has an empty value; separate values by single commas");
                values.Add(value);
                start = i + 1;
            }
            if (depth < 0) break;
        }
        if (depth != 0 || quoted)
            throw new ArgumentException($"--grid '{option}' has unbalanced brackets or quotes; " +
                "each value must be whole JSON or a plain word, e.g. 'evaluation.plannerHorizons=[16],[32]'");
        return values;
    }
}
