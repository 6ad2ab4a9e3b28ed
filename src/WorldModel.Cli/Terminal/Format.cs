using System.Globalization;

namespace WorldModel.Cli.Terminal;

public static class Format
{
    public static string Rate(double perSecond) => perSecond switch
    {
        >= 1e9 => (perSecond / 1e9).ToString("F2", CultureInfo.InvariantCulture) + "G",
        >= 1e6 => (perSecond / 1e6).ToString("F2", CultureInfo.InvariantCulture) + "M",
        >= 1e3 => (perSecond / 1e3).ToString("F1", CultureInfo.InvariantCulture) + "k",
        _ => perSecond.ToString("F1", CultureInfo.InvariantCulture),
    };

    public static string Percent(double x) => (100 * x).ToString("F1", CultureInfo.InvariantCulture) + "%";
}
