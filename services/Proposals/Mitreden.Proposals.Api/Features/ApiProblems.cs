using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Mitreden.ServiceDefaults.Auth;

namespace Mitreden.Proposals.Api.Features;

/// <summary>RFC 9457 answers with the status codes of our conventions (404 unknown, 409 state, 422 semantics).</summary>
internal static class ApiProblems
{
    public static ProblemHttpResult NotFound(string what) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"{what} does not exist.");

    /// <param name="code">Stable code (extension "code") for clients that say the problem in their own words.</param>
    public static ProblemHttpResult Conflict(string detail, string? code = null) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: detail, extensions: Code(code));

    /// <param name="code">Stable code (extension "code") for clients that say the problem in their own words.</param>
    public static ProblemHttpResult Forbidden(string detail, string? code = null) =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: detail, extensions: Code(code));

    private static Dictionary<string, object?>? Code(string? code) => code is null ? null : new() { ["code"] = code };

    public static ProblemHttpResult Unavailable(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Service unavailable", detail: detail);

    /// <param name="language">The language of the messages ("lang" extension when not English): clients show them only in a UI of that language.</param>
    public static ProblemHttpResult Invalid(string field, string message, string language = "en") =>
        Invalid(new Dictionary<string, string[]> { [field] = [message] }, language);

    /// <param name="language">The language of the messages ("lang" extension when not English): clients show them only in a UI of that language.</param>
    public static ProblemHttpResult Invalid(IDictionary<string, string[]> errors, string language = "en")
    {
        var problem = new HttpValidationProblemDetails(errors)
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = "Invalid input",
            Detail = "One or more values are not acceptable.",
        };
        if (language != "en")
        {
            problem.Extensions["lang"] = language;
        }
        return TypedResults.Problem(problem);
    }
}

internal static class Caller
{
    public static bool IsStaff(this ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true && user.IsInRoleAny(MitredenRoles.Staff, MitredenRoles.Admin);

    public static Guid? OptionalUserId(this ClaimsPrincipal user) => user.TryGetUserId(out var id) ? id : null;
}

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

    public ProblemHttpResult Problem() => ApiProblems.Invalid(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray()), Language);
}
