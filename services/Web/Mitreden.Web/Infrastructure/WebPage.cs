using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Mitreden.Web.Api;

namespace Mitreden.Web.Infrastructure;

/// <summary>Shared helpers of the page models: localized texts, problems from services shown as form errors, sign-in checks.</summary>
public abstract class WebPage : PageModel
{
    private IStringLocalizer? _text;

    protected IStringLocalizer T => _text ??= HttpContext.RequestServices.GetRequiredService<IStringLocalizer<SharedResource>>();

    public bool SignedIn => User.Identity?.IsAuthenticated == true;

    public bool IsStaff => User.IsInRole("staff") || User.IsInRole("admin");

    public bool IsModerator => IsStaff || User.IsInRole("moderator");

    /// <summary>
    /// Puts a service's problem into the model state: field errors on the mapped fields, errors of file lines on
    /// <paramref name="linesField"/>, everything else on top. A service's own wording is shown only in a UI of the
    /// language the service writes in; otherwise the page says it in its own words, by code, field and status.
    /// </summary>
    /// <param name="serviceWordsFirst">In a UI of the service's language its field messages win over the page's texts for
    /// their codes (they name the ballot's own limits and sums); the page's texts serve the other language.</param>
    protected void AddProblem(ApiProblem problem, IReadOnlyDictionary<string, string>? fields = null, string linesField = "",
        bool serviceWordsFirst = false)
    {
        var placed = false;
        var ownWords = SpeaksUiLanguage(problem);
        foreach (var (field, messages) in problem.Errors)
        {
            var key = fields is not null && fields.TryGetValue(field, out var mapped) ? mapped
                : fields?.FirstOrDefault(f => string.Equals(f.Key, field, StringComparison.OrdinalIgnoreCase)).Value ?? "";
            var coded = !(serviceWordsFirst && ownWords) && problem.ErrorCodes.TryGetValue(field, out var code) && T[$"FieldError_{code}"] is { ResourceNotFound: false } c ? c.Value : null;
            var shown = coded is not null ? [key.Length > 0 ? coded : $"{FieldLabel(field)}: {coded}"]
                : ownWords ? messages
                : [key.Length > 0 ? T["Problem_FieldInvalid"].Value : T["Problem_FieldNamed", FieldLabel(field)].Value];
            foreach (var message in shown)
            {
                ModelState.AddModelError(key, message);
                placed = true;
            }
        }
        foreach (var line in problem.Lines ?? [])
        {
            ModelState.AddModelError(linesField, LineMessage(line, ownWords));
            placed = true;
        }
        if (!placed || problem.Status is 401 or 403 or 409 or 429 || problem.Lines is { Count: > 0 })
        {
            ModelState.AddModelError("", ProblemMessage(problem));
        }
    }

    /// <summary>
    /// The problem in the UI's language: the page's text for the service's code where it has one, else its text for the
    /// status, followed by the service's detail when the service writes in the UI's language.
    /// </summary>
    protected string ProblemMessage(ApiProblem problem)
    {
        if (problem.Code is { Length: > 0 } code && T[$"Problem_{code}"] is { ResourceNotFound: false } coded)
        {
            return coded;
        }
        var general = problem.Status switch
        {
            401 => T["Problem_401"],
            403 => T["Problem_403"],
            404 => T["Problem_404"],
            409 => T["Problem_409"],
            413 => T["Problem_413"],
            429 => T["Problem_429"],
            _ => T["Problem_422"],
        };
        // A 429 may come from the gateway (its words are English whatever service was asked).
        return string.IsNullOrWhiteSpace(problem.Detail) || problem.Status == 429 || !SpeaksUiLanguage(problem)
            ? general
            : $"{general} {problem.Detail}";
    }

    /// <summary>True when the service wrote its texts in the language of this request's UI.</summary>
    protected static bool SpeaksUiLanguage(ApiProblem problem) =>
        string.Equals(problem.TextLanguage, System.Globalization.CultureInfo.CurrentUICulture.TwoLetterISOLanguageName, StringComparison.OrdinalIgnoreCase);

    /// <summary>A field's name as the pages call it (DataField_&lt;name&gt;, Field_&lt;Name&gt;), or the service's name when they have none.</summary>
    protected string FieldLabel(string field)
    {
        var name = field.Length > 0 ? char.ToUpperInvariant(field[0]) + field[1..] : field;
        foreach (var key in new[] { $"DataField_{field}", $"Field_{name}" })
        {
            if (T[key] is { ResourceNotFound: false } label)
            {
                return label.Value;
            }
        }
        return field;
    }

    /// <summary>"Zeile 3, Spalte „Art“: …" for one error of an uploaded file, by the service's code.</summary>
    protected string LineMessage(ApiLineError line, bool ownWords)
    {
        var text = T[$"Import_{line.Code}", line.Value ?? ""];
        var message = !text.ResourceNotFound ? text.Value : ownWords ? line.Message : T["Import_invalid"].Value;
        var column = line.Field.Length == 0 ? null : T[$"Import_Column_{line.Field}"] is { ResourceNotFound: false } c ? c.Value : line.Field;
        return (line.Line, column) switch
        {
            ( > 0, not null) => T["Import_LineColumn", line.Line, column, message],
            ( > 0, null) => T["Import_Line", line.Line, message],
            (_, not null) => T["Import_Column", column, message],
            _ => message,
        };
    }

    /// <summary>A POST that needs an account: anonymous visitors are sent to sign in and back.</summary>
    protected IActionResult? RequireSignIn() => SignedIn ? null : Challenge();

    protected void Flash(string message) => TempData["Flash"] = message;

    /// <summary>Only local return URLs, so the sign-in page cannot be used to send visitors elsewhere.</summary>
    protected string SafeReturnUrl(string? returnUrl, string fallback = "/") =>
        !string.IsNullOrEmpty(returnUrl) && Url.IsLocalUrl(returnUrl) ? returnUrl : fallback;
}
