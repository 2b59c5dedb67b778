using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mitreden.Moderation.Api.Features.Screening;

/// <summary>Whether a flag only puts the comment into the queue or also hides it until a moderator decides.</summary>
public enum FlagSeverity
{
    Queue,
    Hold,
}

/// <summary>Rule names as they appear on flags.</summary>
public static class ScreeningRuleNames
{
    public const string BadWords = "bad-words";
    public const string Links = "links";
    public const string RepeatedText = "repeated-text";
    public const string RepeatedTextByAuthor = "repeated-text-author";
    public const string PostingRate = "posting-rate";
}

/// <summary>Whole-word match (case-insensitive, umlaut and leetspeak normalised) against German and English lists.</summary>
public sealed record WordRule(bool Enabled, FlagSeverity Severity, IReadOnlyList<string> German, IReadOnlyList<string> English);

/// <summary>More than <paramref name="MaxLinks"/> links in one comment.</summary>
public sealed record LinkRule(bool Enabled, FlagSeverity Severity, int MaxLinks);

/// <summary>
/// The same normalised text posted more than <paramref name="MaxRepeatsByAnyone"/> times by anyone, or more than
/// <paramref name="MaxRepeatsByAuthor"/> times by the same author, within the window. Texts shorter than
/// <paramref name="MinLength"/> normalised characters ("Danke!", "+1") are not counted.
/// </summary>
public sealed record RepeatedTextRule(bool Enabled, FlagSeverity Severity, int MaxRepeatsByAnyone, int MaxRepeatsByAuthor,
    int WindowMinutes, int MinLength);

/// <summary>An author posting more than <paramref name="MaxComments"/> comments in <paramref name="WindowMinutes"/> minutes.</summary>
public sealed record PostingRateRule(bool Enabled, FlagSeverity Severity, int MaxComments, int WindowMinutes);

public sealed record ScreeningRules(WordRule Words, LinkRule Links, RepeatedTextRule RepeatedText, PostingRateRule PostingRate)
{
    public const int MaxWordsPerList = 2000;
    public const int MaxWordLength = 64;

    /// <summary>How the rules are stored in the database (tolerant reading, so later additions do not break old rows).</summary>
    public static readonly JsonSerializerOptions StorageJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public string ToJson() => JsonSerializer.Serialize(this, StorageJson);

    public static ScreeningRules FromJson(string json) =>
        JsonSerializer.Deserialize<ScreeningRules>(json, StorageJson)
        ?? throw new InvalidOperationException("Stored screening rules are empty.");

    /// <summary>Semantic checks (422 on the API, a failed start for configuration); an empty result means valid.</summary>
    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        void Check(bool ok, string key, string message)
        {
            if (!ok)
            {
                errors[key] = [message];
            }
        }

        // Missing sections and nulls are already rejected by the strict JSON reader (400).
        CheckWords(Words.German, "words.german", errors);
        CheckWords(Words.English, "words.english", errors);
        Check(Links.MaxLinks is >= 0 and <= 100, "links.maxLinks", "Muss zwischen 0 und 100 liegen.");
        Check(RepeatedText.MaxRepeatsByAnyone is >= 1 and <= 10_000, "repeatedText.maxRepeatsByAnyone", "Muss zwischen 1 und 10000 liegen.");
        Check(RepeatedText.MaxRepeatsByAuthor is >= 1 and <= 10_000, "repeatedText.maxRepeatsByAuthor", "Muss zwischen 1 und 10000 liegen.");
        Check(RepeatedText.WindowMinutes is >= 1 and <= 10_080, "repeatedText.windowMinutes", "Muss zwischen 1 und 10080 (einer Woche) liegen.");
        Check(RepeatedText.MinLength is >= 0 and <= 1000, "repeatedText.minLength", "Muss zwischen 0 und 1000 liegen.");
        Check(PostingRate.MaxComments is >= 1 and <= 10_000, "postingRate.maxComments", "Muss zwischen 1 und 10000 liegen.");
        Check(PostingRate.WindowMinutes is >= 1 and <= 1440, "postingRate.windowMinutes", "Muss zwischen 1 und 1440 (einem Tag) liegen.");
        return errors;
    }

    private static void CheckWords(IReadOnlyList<string> words, string key, Dictionary<string, string[]> errors)
    {
        if (words.Count > MaxWordsPerList)
        {
            errors[key] = [$"Höchstens {MaxWordsPerList} Einträge."];
            return;
        }
        var bad = words.Where(w => string.IsNullOrEmpty(w) || w.Length > MaxWordLength || TextNormalizer.Tokens(w).Count == 0).Take(5).ToList();
        if (bad.Count > 0)
        {
            errors[key] = [$"Einträge haben 1 bis {MaxWordLength} Zeichen und mindestens einen Buchstaben oder eine Ziffer: {string.Join(", ", bad.Select(b => $"„{b}“"))}."];
        }
    }
}
