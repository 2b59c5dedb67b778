using Microsoft.AspNetCore.Http.HttpResults;
using Mitreden.ServiceDefaults.Http;

namespace Mitreden.Proposals.Api.Features;

/// <summary>Collects field errors for one 422 answer.</summary>
internal sealed class Validator
{
    private readonly Dictionary<string, List<string>> _errors = new();

    public bool Failed => _errors.Count > 0;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }
        list.Add(message);
    }

    public void Check(bool ok, string field, string message)
    {
        if (!ok)
        {
            Add(field, message);
        }
    }

    public string Text(string? value, string field, int max, bool required = true)
    {
        var trimmed = value?.Trim() ?? "";
        var german = Language == "de";
        if (required && trimmed.Length == 0)
        {
            Add(field, german ? "Bitte ausfüllen." : "Must not be empty.");
        }
        else if (trimmed.Length > max)
        {
            Add(field, german ? $"Höchstens {max} Zeichen." : $"At most {max} characters.");
        }
        return trimmed;
    }

    public string? OptionalText(string? value, string field, int max)
    {
        var trimmed = Text(value, field, max, required: false);
        return trimmed.Length == 0 ? null : trimmed;
    }

    /// <summary>The language of the messages added (English unless a feature writes German ones).</summary>
    public string Language { get; init; } = "en";

    public ProblemHttpResult Problem() => Problems.Invalid(_errors, language: Language == "en" ? null : Language);
}
