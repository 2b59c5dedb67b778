using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Mitreden.Moderation.Api.Features.Screening;

/// <summary>
/// Brings text into a form that simple evasions do not change: lower case, umlauts spelled out (ä → ae, ß → ss),
/// other accents removed, and leetspeak inside words read as letters (0 → o, 1 → i, 3 → e, 4 → a, 5 → s, 7 → t,
/// @ → a, $ → s). "Vollid1ot!" and "VOLLIDIOT" both become the token "vollidiot"; "2026" stays "2026".
/// </summary>
public static class TextNormalizer
{
    public static IReadOnlyList<string> Tokens(string text)
    {
        var tokens = new List<string>();
        var prepared = Prepare(text);
        var token = new StringBuilder();
        foreach (var c in prepared)
        {
            if (char.IsLetterOrDigit(c) || IsLeetSymbol(c))
            {
                token.Append(c);
            }
            else
            {
                Flush(token, tokens);
            }
        }
        Flush(token, tokens);
        return tokens;
    }

    /// <summary>The tokens joined by single spaces: the text that words are matched in and that is hashed.</summary>
    public static string Normalize(string text) => string.Join(' ', Tokens(text));

    public static string Hash(string normalized) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalized)));

    private static string Prepare(string text)
    {
        var lower = text.Normalize(NormalizationForm.FormKC).ToLowerInvariant()
            .Replace("ä", "ae", StringComparison.Ordinal)
            .Replace("ö", "oe", StringComparison.Ordinal)
            .Replace("ü", "ue", StringComparison.Ordinal)
            .Replace("ß", "ss", StringComparison.Ordinal);
        var decomposed = lower.Normalize(NormalizationForm.FormD);
        var result = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                result.Append(c);
            }
        }
        return result.ToString();
    }

    private static void Flush(StringBuilder token, List<string> tokens)
    {
        if (token.Length == 0)
        {
            return;
        }
        var raw = token.ToString();
        token.Clear();
        // Leetspeak only inside words: a token without any letter (a year, a price) keeps its digits.
        var hasLetter = raw.Any(char.IsLetter);
        var mapped = new StringBuilder(raw.Length);
        foreach (var c in raw)
        {
            if (hasLetter && Leet(c) is { } letter)
            {
                mapped.Append(letter);
            }
            else if (char.IsLetterOrDigit(c))
            {
                mapped.Append(c);
            }
        }
        if (mapped.Length > 0)
        {
            tokens.Add(mapped.ToString());
        }
    }

    private static bool IsLeetSymbol(char c) => c is '@' or '$';

    private static char? Leet(char c) => c switch
    {
        '0' => 'o',
        '1' => 'i',
        '3' => 'e',
        '4' => 'a',
        '5' => 's',
        '7' => 't',
        '@' => 'a',
        '$' => 's',
        _ => null,
    };
}
