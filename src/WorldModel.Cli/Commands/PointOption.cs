using System.Globalization;

namespace WorldModel.Cli.Commands;

/// <summary>Options that take a point in world units, written x,y (e.g. --goal 48,32).</summary>
public static class PointOption
{
    public static (float X, float Y) Parse(string text, string option)
    {
        var parts = text.Split(',');
        if (parts.Length != 2
            || !float.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out float x)
            || !float.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out float y))
            throw new ArgumentException(
                $"{option} '{text}' is not a point; write x,y in world units, e.g. {option} 48,32");
        return (x, y);
    }
}
