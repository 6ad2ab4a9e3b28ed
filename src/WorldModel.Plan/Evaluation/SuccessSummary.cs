namespace WorldModel.Plan.Evaluation;

/// <summary>
/// A success rate over some episodes: pooled rate with its Wilson 95% interval, and the spread across training
/// seeds.
/// </summary>
public sealed record Rate(int Successes, int Trials, double Low, double High, double SeedMean, double SeedSd, int Seeds)
{
    public double Value => Trials == 0 ? 0 : (double)Successes / Trials;

    public static Rate Of(IReadOnlyCollection<PlanRow> rows, Func<PlanRow, bool> success)
    {
        int s = rows.Count(success), n = rows.Count;
        var (lo, hi) = Wilson.Interval(s, n);
        var perSeed = rows.GroupBy(r => r.Seed).Select(g => g.Count(success) / (double)g.Count()).ToArray();
        double mean = perSeed.Length == 0 ? 0 : perSeed.Average();
        double sd = perSeed.Length < 2
            ? 0
            : Math.Sqrt(perSeed.Sum(v => (v - mean) * (v - mean)) / (perSeed.Length - 1));
        return new Rate(
            Successes: s,
            Trials: n,
            Low: lo,
            High: hi,
            SeedMean: mean,
            SeedSd: sd,
            Seeds: perSeed.Length);
    }

    public override string ToString() => Seeds > 1
        ? $"{100 * Value:F0}% [{100 * Low:F0}, {100 * High:F0}] (seeds {100 * SeedMean:F0} ± {100 * SeedSd:F0})"
        : $"{100 * Value:F0}% [{100 * Low:F0}, {100 * High:F0}]";
}

/// <summary>The numbers a results table and the plots show, grouped the way the question asks.</summary>
public static class SuccessSummary
{
    public static Func<PlanRow, bool> Threshold(bool strict) => strict ? r => r.Result.Strict : r => r.Result.Loose;

    /// <summary>Task-horizon bins of <paramref name="width"/> steps: (bin centre, rows).</summary>
    public static IEnumerable<(double Centre, PlanRow[] Rows)> ByTaskSteps(IEnumerable<PlanRow> rows, int width) =>
        rows.GroupBy(r => r.Result.TaskSteps / width).OrderBy(g => g.Key)
            .Select(g => (g.Key * width + width / 2.0, g.ToArray()));
}
