using System.Globalization;
using Microsoft.Extensions.Localization;
using Mitreden.ServiceDefaults.Time;
using Mitreden.Web.Api;

namespace Mitreden.Web.Infrastructure;

/// <summary>Formatting for pages: German local time (the cities' time zone), culture-aware numbers, labels of codes.</summary>
public static class Display
{
    public static DateTimeOffset Local(DateTimeOffset value) => CityTime.ToLocal(value);

    public static string Date(DateTimeOffset value) => Local(value).ToString("d", CultureInfo.CurrentCulture);

    public static string Date(DateOnly value) => value.ToString("d", CultureInfo.CurrentCulture);

    public static string DateTime(DateTimeOffset value) => Local(value).ToString("g", CultureInfo.CurrentCulture);

    /// <summary>A file's size as people read it: "850 KB", "1,2 MB" (decimal units, the reader's number format).</summary>
    public static string FileSize(long bytes) => bytes switch
    {
        < 1000 => $"{bytes} B",
        < 1_000_000 => $"{Math.Ceiling(bytes / 1000.0).ToString("0", CultureInfo.CurrentCulture)} KB",
        _ => $"{(bytes / 1_000_000.0).ToString("0.0", CultureInfo.CurrentCulture)} MB",
    };

    /// <summary>Machine-readable value for &lt;time datetime&gt;.</summary>
    public static string Iso(DateTimeOffset value) => value.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture);

    /// <summary>Value of an &lt;input type="datetime-local"&gt; in city time.</summary>
    public static string InputDateTime(DateTimeOffset value) => Local(value).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture);

    /// <summary>Reads an &lt;input type="datetime-local"&gt; value as city time, returned in UTC (PostgreSQL stores UTC only).</summary>
    public static DateTimeOffset? FromInputDateTime(string? value)
    {
        if (string.IsNullOrWhiteSpace(value) ||
            !System.DateTime.TryParseExact(value, ["yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return null;
        }
        return CityTime.At(local).ToUniversalTime();
    }

    public static string Number(decimal value) => value.ToString(value == decimal.Truncate(value) ? "N0" : "N2", CultureInfo.CurrentCulture);

    public static string Number(long value) => value.ToString("N0", CultureInfo.CurrentCulture);

    public static string Money(decimal value) => value.ToString("C0", CultureInfo.CreateSpecificCulture(
        CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en" ? "en-IE" : "de-DE"));

    /// <summary>The localized label of a service's enum value by its wire code (<see cref="WireCode"/>).</summary>
    public static string Label<TEnum>(IStringLocalizer text, string prefix, TEnum value) where TEnum : struct, Enum =>
        Label(text, prefix, WireCode.Of(value));

    /// <summary>The localized label of a code (e.g. "PhaseKind" + "workshop"), or the code itself when there is none.</summary>
    public static string Label(IStringLocalizer text, string prefix, string? code)
    {
        if (string.IsNullOrEmpty(code))
        {
            return "";
        }
        var found = text[$"{prefix}_{code}"];
        return found.ResourceNotFound ? code : found.Value;
    }

    /// <summary>
    /// The one plural rule of the web: German and English both have "one" and "other", so a counted text has the keys
    /// <c>{key}_one</c> and <c>{key}_other</c>; the count is argument {0}, further arguments follow.
    /// </summary>
    public static string Plural(IStringLocalizer text, string key, long count, params object[] more) =>
        text[$"{key}_{(count == 1 ? "one" : "other")}", [Number(count), .. more]];

    /// <summary>
    /// A text by key whose first argument may be a count: where the key has plural forms (<see cref="Plural"/>), the
    /// count picks one; otherwise the plain text. For texts chosen at run time (e.g. rule violations).
    /// </summary>
    public static string Text(IStringLocalizer text, string key, params object[] args) =>
        args is [long or int, ..] && !text[$"{key}_other"].ResourceNotFound
            ? Plural(text, key, Convert.ToInt64(args[0], CultureInfo.InvariantCulture), args[1..])
            : text[key, args];
}
