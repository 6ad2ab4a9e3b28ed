namespace WorldModel.Plan.Evaluation;

/// <summary>
/// Per-episode comparison of two results files, every column but the timing: how a change that is
/// not meant to change behaviour is checked against a committed reference run.
/// </summary>
public sealed record ResultsComparison(IReadOnlyList<ResultsComparison.Method> Methods)
{
    /// <summary>One method's rows: equal in both, different, or only in one of the two.</summary>
    public sealed record Method(string Name, int Same, int Different, int OnlyInFirst, int OnlyInSecond)
    {
        public bool Identical => Different == 0 && OnlyInFirst == 0 && OnlyInSecond == 0;
    }

    public bool Identical => Methods.All(m => m.Identical);

    public static ResultsComparison Of(IReadOnlyList<PlanRow> first, IReadOnlyList<PlanRow> second)
    {
        var a = Keyed(first, "first");
        var b = Keyed(second, "second");
        var methods = a.Keys.Concat(b.Keys).Select(k => k.Method).Distinct().Order(StringComparer.Ordinal)
            .Select(name =>
            {
                int same = 0, different = 0, onlyFirst = 0, onlySecond = 0;
                foreach (var (key, row) in a.Where(x => x.Key.Method == name))
                    if (!b.TryGetValue(key, out var other)) onlyFirst++;
                    else if (WithoutTiming(row) == WithoutTiming(other)) same++;
                    else different++;
                onlySecond = b.Keys.Count(k => k.Method == name && !a.ContainsKey(k));
                return new Method(name, same, different, onlyFirst, onlySecond);
            }).ToList();
        return new ResultsComparison(methods);
    }

    private static Dictionary<(string Method, int Seed, int PlannerHorizon, int Episode), PlanRow> Keyed(
        IReadOnlyList<PlanRow> rows,
        string which)
    {
        var keyed = new Dictionary<(string, int, int, int), PlanRow>();
        foreach (var r in rows)
            if (!keyed.TryAdd((r.Method, r.Seed, r.PlannerHorizon, r.Result.Episode), r))
                throw new InvalidDataException(
                    $"the {which} results hold episode {r.Result.Episode} of {r.Method} " +
                    $"seed {r.Seed} H={r.PlannerHorizon} twice");
        return keyed;
    }

    private static PlanRow WithoutTiming(PlanRow r) => r with { Result = r.Result with { PlanSeconds = 0 } };
}
