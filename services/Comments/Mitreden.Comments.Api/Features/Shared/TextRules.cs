using Mitreden.Comments.Api.Data;

namespace Mitreden.Comments.Api.Features.Shared;

internal static class TextRules
{
    /// <summary>The trimmed text, or an error message when it is empty or longer than 5000 characters.</summary>
    public static (string Text, string? Error) Check(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            return (trimmed, "Der Text darf nicht leer sein.");
        }
        if (trimmed.Length > Comment.MaxTextLength)
        {
            return (trimmed, $"Der Text darf höchstens {Comment.MaxTextLength} Zeichen lang sein (jetzt {trimmed.Length}).");
        }
        return (trimmed, null);
    }
}
