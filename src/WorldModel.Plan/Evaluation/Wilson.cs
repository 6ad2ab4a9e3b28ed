using MathNet.Numerics.Distributions;

namespace WorldModel.Plan.Evaluation;

/// <summary>
/// Wilson score interval for a binomial proportion (Wilson 1927): honest near 0 and 1 and for small n.
/// </summary>
public static class Wilson
{
    public static (double Low, double High) Interval(int successes, int trials, double confidence = 0.95)
    {
        if (trials == 0) return (0, 1);
        double z = Normal.InvCDF(0, 1, 1 - (1 - confidence) / 2);
        double p = (double)successes / trials, z2n = z * z / trials;
        double centre = (p + z2n / 2) / (1 + z2n);
        double half = z / (1 + z2n) * Math.Sqrt(p * (1 - p) / trials + z * z / (4.0 * trials * trials));
        return (Math.Max(0, centre - half), Math.Min(1, centre + half));
    }
}
