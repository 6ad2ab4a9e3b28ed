using WorldModel.Core.Config;

namespace WorldModel.Data;

/// <summary>
/// What a world tells about its datasets: whose position the coverage map counts, and its notable events.
/// </summary>
public interface IDatasetWorld
{
    /// <summary>
    /// The state entries the coverage map counts (x, y) and whose position they are ("agent", "ball").
    /// </summary>
    (int X, int Y, string Of) Coverage { get; }

    /// <summary>
    /// Shares of episodes in which the world's rare, important events happen (Two-Rooms: a door crossing).
    /// </summary>
    IReadOnlyList<DatasetEvent> Events(Dataset data);

    /// <summary>
    /// The world's rare, important event as a count per transition (Two-Rooms: door crossings; Push-Ball: steps
    /// that start an agent–ball contact; Maze: moves into another cell): what active collection tries to make
    /// frequent, reported per 1,000 transitions.
    /// </summary>
    string RareEvent { get; }

    /// <summary>How often the rare event happens in one episode (<paramref name="steps"/> + 1 states).</summary>
    int CountRareEvents(ReadOnlySpan<float> states, int steps, ReadOnlySpan<float> layout);
}

public static class RareEvents
{
    /// <summary>
    /// The rare event per 1,000 transitions of <paramref name="data"/>'s episodes from <paramref name="first"/> on
    /// (a collection round's own episodes follow the ones before it).
    /// </summary>
    public static double PerThousand(Dataset data, int first = 0)
    {
        var world = (IDatasetWorld)data.Config.World;
        long count = 0;
        int sd = data.Spec.StateDim;
        for (int e = first; e < data.Episodes; e++)
            count += world.CountRareEvents(
                data.States.AsSpan(e * (data.Steps + 1) * sd, (data.Steps + 1) * sd), data.Steps, data.Layout(e));
        return 1000.0 * count / Math.Max(1L, (long)(data.Episodes - first) * data.Steps);
    }
}

/// <summary>
/// One event's share of episodes: <paramref name="Key"/> names it in stats.json, <paramref name="Label"/> in the
/// table.
/// </summary>
public sealed record DatasetEvent(string Key, string Label, double Share);

/// <summary>
/// What `wm data inspect` reports: counts, motion, the world's events (door crossings, ball moves), and a coverage
/// histogram.
/// </summary>
public sealed record DatasetStats(
    int Episodes, int Steps, long Transitions, double MeanActionNorm, double MaxActionNorm,
    double MeanDisplacement, IReadOnlyList<DatasetEvent> Events, double CoveredCellShare,
    string CoverageOf, double[,] Coverage)
{
    /// <summary>Coverage cells per side (one per world unit at 64).</summary>
    public const int Cells = 64;

    public static DatasetStats Compute(Dataset d)
    {
        int T = d.Steps, ad = d.Spec.ActionDim;
        double normSum = 0, normMax = 0, dispSum = 0;
        for (int e = 0; e < d.Episodes; e++)
            for (int t = 0; t < T; t++)
            {
                var a = d.Action(e, t);
                double n = Math.Sqrt(a[0] * a[0] + (ad > 1 ? a[1] * a[1] : 0));
                normSum += n;
                normMax = Math.Max(normMax, n);
            }

        var coverage = new double[Cells, Cells];
        var world = d.Config.World as IDatasetWorld
            ?? throw new ArgumentException(
                $"world '{ConfigNames.Kind(d.Config.World.GetType())}' has no dataset statistics: " +
                "its config does not implement IDatasetWorld");
        var (px, py, coverageOf) = world.Coverage; // which state entries are counted in the coverage map
        var events = world.Events(d);

        for (int e = 0; e < d.Episodes; e++)
        {
            var s0 = d.State(e, 0); var sT = d.State(e, T);
            dispSum += Math.Sqrt((sT[px] - s0[px]) * (sT[px] - s0[px]) + (sT[py] - s0[py]) * (sT[py] - s0[py]));
            for (int t = 0; t <= T; t++)
            {
                var s = d.State(e, t);
                int cx = Math.Clamp((int)(s[px] * Cells / 64f), 0, Cells - 1),
                    cy = Math.Clamp((int)(s[py] * Cells / 64f), 0, Cells - 1);
                coverage[cy, cx]++;
            }
        }
        int covered = 0;
        foreach (var c in coverage) if (c > 0) covered++;

        return new DatasetStats(
            Episodes: d.Episodes,
            Steps: T,
            Transitions: (long)d.Episodes * T,
            MeanActionNorm: normSum / ((long)d.Episodes * T),
            MaxActionNorm: normMax,
            MeanDisplacement: dispSum / d.Episodes,
            Events: events,
            CoveredCellShare: (double)covered / (Cells * Cells),
            CoverageOf: coverageOf,
            Coverage: coverage);
    }
}
