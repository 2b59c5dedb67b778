using System.Text.Json;

namespace Mitreden.Web.Api;

/// <summary>
/// The services' enums as they travel in JSON (kebab-case, <see cref="ApiJson"/>): the same codes name form values,
/// query parameters and text keys in the web.
/// </summary>
public static class WireCode
{
    public static string Of<TEnum>(TEnum value) where TEnum : struct, Enum =>
        JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());

    public static TEnum? Parse<TEnum>(string? code) where TEnum : struct, Enum
    {
        foreach (var value in Enum.GetValues<TEnum>())
        {
            if (string.Equals(Of(value), code, StringComparison.Ordinal))
            {
                return value;
            }
        }
        return null;
    }

    public static IReadOnlyList<string> All<TEnum>() where TEnum : struct, Enum => [.. Enum.GetValues<TEnum>().Select(Of)];
}
