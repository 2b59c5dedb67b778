using System.Globalization;

namespace Mitreden.LoadTests.Reporting;

internal static class Format
{
    public static string N(double value, string format = "0.##") => value.ToString(format, CultureInfo.InvariantCulture);
    public static string Int(double value) => Math.Round(value).ToString("#,0", CultureInfo.InvariantCulture);

    public static string Errors(IReadOnlyDictionary<string, long> errors) =>
        errors.Count == 0 ? "–" : string.Join(", ", errors.Select(e => $"{e.Key} {e.Value}"));

    /// <summary>1, 2 or 5 × 10^k at or above <paramref name="value"/> (axis maxima).</summary>
    public static double NiceCeiling(double value)
    {
        if (value <= 0 || double.IsNaN(value))
        {
            return 1;
        }
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(value)));
        foreach (var f in new[] { 1.0, 2.0, 2.5, 5.0, 10.0 })
        {
            if (f * magnitude >= value * 0.9999)
            {
                return f * magnitude;
            }
        }
        return 10 * magnitude;
    }
}
