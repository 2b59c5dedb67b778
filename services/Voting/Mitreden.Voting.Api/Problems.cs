using Microsoft.AspNetCore.Http.HttpResults;

namespace Mitreden.Voting.Api;

/// <summary>ProblemDetails (RFC 9457) of this service; <c>reason</c> is a stable code for clients, detail is German text.</summary>
public static class Problems
{
    public static ProblemHttpResult Status(int status, string title, string detail, string? reason = null,
        IDictionary<string, object?>? extra = null)
    {
        var extensions = new Dictionary<string, object?>(extra ?? new Dictionary<string, object?>());
        if (reason is not null)
        {
            extensions["reason"] = reason;
        }
        return TypedResults.Problem(detail, statusCode: status, title: title, extensions: extensions);
    }

    public static ProblemHttpResult NotFound(string detail = "Diese Abstimmung gibt es nicht.") =>
        Status(StatusCodes.Status404NotFound, "Nicht gefunden", detail, "not-found");

    public static ProblemHttpResult Conflict(string detail, string reason) =>
        Status(StatusCodes.Status409Conflict, "Konflikt", detail, reason);

    public static ProblemHttpResult Forbidden(string detail, string reason) =>
        Status(StatusCodes.Status403Forbidden, "Nicht erlaubt", detail, reason);

    public static ProblemHttpResult BadRequest(string detail, string reason) =>
        Status(StatusCodes.Status400BadRequest, "Ungültige Anfrage", detail, reason);

    /// <summary>422 with the error list per field.</summary>
    public static ProblemHttpResult Invalid(string field, IEnumerable<string> errors, string detail = "Die Eingabe ist nicht gültig.") =>
        TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = errors.ToArray() })
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = "Ungültige Eingabe",
            Detail = detail,
        });

    /// <summary>422 with errors keyed by field path (e.g. <c>results[2].value</c>).</summary>
    public static ProblemHttpResult Invalid(IReadOnlyDictionary<string, List<string>> errors, string detail = "Die Eingabe ist nicht gültig.") =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors.ToDictionary(e => e.Key, e => e.Value.ToArray()))
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = "Ungültige Eingabe",
            Detail = detail,
        });

    public static ProblemHttpResult Unavailable(string detail) =>
        Status(StatusCodes.Status503ServiceUnavailable, "Vorübergehend nicht möglich", detail, "try-again");

}
