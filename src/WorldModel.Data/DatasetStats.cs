using WorldModel.Sim.PushBall;
using WorldModel.Sim.TwoRooms;

namespace WorldModel.Data;

/// <summary>What `wm data inspect` reports: counts, motion, door crossings, and a coverage histogram.</summary>
public sealed record DatasetStats(
    int Episodes, int Steps, long Transitions, double MeanActionNorm, double MaxActionNorm,
    double MeanDisplacement, double? DoorCrossingRate, double? BallMovedRate, double CoveredCellShare,
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
        int px, py; // which state entries are counted in the coverage map
        double? crossing = null, ballMoved = null;
        string coverageOf;
        switch (d.Config.World)
        {
            case TwoRoomsConfig:
            {
                (px, py, coverageOf) = (0, 1, "agent");
                int crossed = 0;
                for (int e = 0; e < d.Episodes; e++)
                {
                    var layout = TwoRoomsLayout.ReadFrom(d.Layout(e));
                    int room0 = layout.Room(d.State(e, 0)[0], d.State(e, 0)[1]);
                    for (int t = 1; t <= T; t++)
                        if (layout.Room(d.State(e, t)[0], d.State(e, t)[1]) != room0) { crossed++; break; }
                }
                crossing = (double)crossed / d.Episodes;
                break;
            }
            case PushBallConfig:
            {
                (px, py, coverageOf) = (4, 5, "ball");
                int moved = 0;
                for (int e = 0; e < d.Episodes; e++)
                {
                    var s0 = d.State(e, 0); var s1 = d.State(e, T);
                    if (Math.Abs(s1[4] - s0[4]) + Math.Abs(s1[5] - s0[5]) > 0.5) moved++;
                }
                ballMoved = (double)moved / d.Episodes;
                break;
            }
            default: throw new ArgumentOutOfRangeException(nameof(d), d.Config.World.GetType().Name, "unknown world");
        }

        for (int e = 0; e < d.Episodes; e++)
        {
            var s0 = d.State(e, 0); var sT = d.State(e, T);
            dispSum += Math.Sqrt((sT[px] - s0[px]) * (sT[px] - s0[px]) + (sT[py] - s0[py]) * (sT[py] - s0[py]));
            for (int t = 0; t <= T; t++)
            {
                var s = d.State(e, t);
                int cx = Math.Clamp((int)(s[px] * Cells / 64f), 0, Cells - 1), cy = Math.Clamp((int)(s[py] * Cells / 64f), 0, Cells - 1);
                coverage[cy, cx]++;
            }
        }
        int covered = 0;
        foreach (var c in coverage) if (c > 0) covered++;

        return new DatasetStats(d.Episodes, T, (long)d.Episodes * T, normSum / ((long)d.Episodes * T), normMax,
            dispSum / d.Episodes, crossing, ballMoved, (double)covered / (Cells * Cells), coverageOf, coverage);
    }
}
