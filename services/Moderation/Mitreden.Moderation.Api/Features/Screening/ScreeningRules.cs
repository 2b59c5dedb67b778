using System.Text.Json;
using System.Text.Json.Serialization;
using Mitreden.Moderation.Contracts.Http;

namespace Mitreden.Moderation.Api.Features.Screening;

/// <summary>Rule names as they appear on flags.</summary>
public static class ScreeningRuleNames
{
    public const string BadWords = "bad-words";
    public const string Links = "links";
    public const string RepeatedText = "repeated-text";
    public const string RepeatedTextByAuthor = "repeated-text-author";
    public const string PostingRate = "posting-rate";
}

/// <summary>How rules are stored and checked (the records are Moderation's HTTP contract).</summary>
public static class ScreeningRulesChecks
{
    /// <summary>How the rules are stored in the database (tolerant reading, so later additions do not break old rows).</summary>
    public static readonly JsonSerializerOptions StorageJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public static string ToJson(this ScreeningRules rules) => JsonSerializer.Serialize(rules, StorageJson);

    public static ScreeningRules FromJson(string json) =>
        JsonSerializer.Deserialize<ScreeningRules>(json, StorageJson)
        ?? throw new InvalidOperationException("Stored screening rules are empty.");

    /// <summary>Semantic checks (422 on the API, a failed start for configuration); an empty result means valid.</summary>
    public static Dictionary<string, string[]> Validate(this ScreeningRules rules)
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
        CheckWords(rules.Words.German, "words.german", errors);
        CheckWords(rules.Words.English, "words.english", errors);
        Check(rules.Links.MaxLinks is >= 0 and <= 100, "links.maxLinks", "Muss zwischen 0 und 100 liegen.");
        Check(rules.RepeatedText.MaxRepeatsByAnyone is >= 1 and <= 10_000, "repeatedText.maxRepeatsByAnyone", "Muss zwischen 1 und 10000 liegen.");
        Check(rules.RepeatedText.MaxRepeatsByAuthor is >= 1 and <= 10_000, "repeatedText.maxRepeatsByAuthor", "Muss zwischen 1 und 10000 liegen.");
        Check(rules.RepeatedText.WindowMinutes is >= 1 and <= 10_080, "repeatedText.windowMinutes", "Muss zwischen 1 und 10080 (einer Woche) liegen.");
        Check(rules.RepeatedText.MinLength is >= 0 and <= 1000, "repeatedText.minLength", "Muss zwischen 0 und 1000 liegen.");
        Check(rules.PostingRate.MaxComments is >= 1 and <= 10_000, "postingRate.maxComments", "Muss zwischen 1 und 10000 liegen.");
        Check(rules.PostingRate.WindowMinutes is >= 1 and <= 1440, "postingRate.windowMinutes", "Muss zwischen 1 und 1440 (einem Tag) liegen.");
        return errors;
    }

    private static void CheckWords(IReadOnlyList<string> words, string key, Dictionary<string, string[]> errors)
    {
        if (words.Count > ScreeningRules.MaxWordsPerList)
        {
            errors[key] = [$"Höchstens {ScreeningRules.MaxWordsPerList} Einträge."];
            return;
        }
        var bad = words.Where(w => string.IsNullOrEmpty(w) || w.Length > ScreeningRules.MaxWordLength || TextNormalizer.Tokens(w).Count == 0).Take(5).ToList();
        if (bad.Count > 0)
        {
            errors[key] = [$"Einträge haben 1 bis {ScreeningRules.MaxWordLength} Zeichen und mindestens einen Buchstaben oder eine Ziffer: {string.Join(", ", bad.Select(b => $"„{b}“"))}."];
        }
    }
}
