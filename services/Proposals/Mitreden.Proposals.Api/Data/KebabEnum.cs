using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Mitreden.Proposals.Api.Data;

/// <summary>Enums are stored as the same kebab-case text the API shows ("in-progress"), so SQL and JSON agree.</summary>
public static class KebabEnum
{
    private static readonly ConcurrentDictionary<Type, Dictionary<string, object>> Parsers = new();

    public static string ToText<T>(T value) where T : struct, Enum =>
        JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());

    public static T Parse<T>(string text) where T : struct, Enum =>
        TryParse<T>(text, out var value) ? value : throw new FormatException($"'{text}' is not a {typeof(T).Name}.");

    public static bool TryParse<T>(string? text, out T value) where T : struct, Enum
    {
        var map = Parsers.GetOrAdd(typeof(T), _ => Enum.GetValues<T>().ToDictionary(v => ToText(v), v => (object)v));
        if (text is not null && map.TryGetValue(text.Trim().ToLowerInvariant(), out var found))
        {
            value = (T)found;
            return true;
        }
        value = default;
        return false;
    }

    public static IEnumerable<string> Names<T>() where T : struct, Enum => Enum.GetValues<T>().Select(v => ToText(v));
}

public sealed class KebabEnumConverter<T>() : ValueConverter<T, string>(v => KebabEnum.ToText(v), s => KebabEnum.Parse<T>(s))
    where T : struct, Enum;
