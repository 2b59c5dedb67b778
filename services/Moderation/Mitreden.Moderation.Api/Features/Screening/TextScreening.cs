using System.Text.RegularExpressions;
using Mitreden.Moderation.Contracts.Http;

namespace Mitreden.Moderation.Api.Features.Screening;

public sealed record ScreeningFlag(string Rule, FlagSeverity Severity, string? Detail);

/// <summary>The rules that need only the text itself: word lists and link limits.</summary>
public static partial class TextScreening
{
    public static IEnumerable<ScreeningFlag> Screen(ScreeningRules rules, string text)
    {
        if (rules.Words.Enabled && MatchedWords(rules.Words, text) is { Count: > 0 } words)
        {
            yield return new ScreeningFlag(ScreeningRuleNames.BadWords, rules.Words.Severity, Truncate(string.Join(", ", words)));
        }
        if (rules.Links.Enabled && CountLinks(text) is var links && links > rules.Links.MaxLinks)
        {
            yield return new ScreeningFlag(ScreeningRuleNames.Links, rules.Links.Severity, $"{links} links (at most {rules.Links.MaxLinks})");
        }
    }

    /// <summary>List entries (normalised) that occur in the text as whole words or whole phrases.</summary>
    public static IReadOnlyList<string> MatchedWords(WordRule rule, string text)
    {
        var haystack = " " + TextNormalizer.Normalize(text) + " ";
        return rule.German.Concat(rule.English)
            .Select(TextNormalizer.Normalize)
            .Where(w => w.Length > 0 && haystack.Contains(" " + w + " ", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    public static int CountLinks(string text) => LinkPattern().Count(text);

    private static string Truncate(string value) => value.Length <= 500 ? value : value[..497] + "...";

    [GeneratedRegex(
        @"(?:https?://|www\.)[^\s<>""]+|\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:de|com|net|org|info|eu|io|biz|ru|shop|xyz|online|site|top|ly|me|tk|cn)\b(?:/[^\s<>""]*)?",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex LinkPattern();
}
