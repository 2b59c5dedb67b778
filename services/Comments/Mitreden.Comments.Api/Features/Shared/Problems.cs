using Microsoft.AspNetCore.Http.HttpResults;

namespace Mitreden.Comments.Api.Features.Shared;

/// <summary>
/// ProblemDetails (RFC 9457) for this service. Titles and details are German (the product is German first);
/// the "code" extension is stable and lets clients show their own (e.g. English) text.
/// </summary>
internal static class Problems
{
    public static ProblemHttpResult NotFound(string detail = "Diesen Beitrag gibt es nicht.") =>
        Make(StatusCodes.Status404NotFound, "Nicht gefunden", detail, "not-found");

    public static ProblemHttpResult Conflict(string code, string detail) =>
        Make(StatusCodes.Status409Conflict, "Nicht möglich", detail, code);

    public static ProblemHttpResult Forbidden(string code, string detail, IDictionary<string, object?>? extensions = null) =>
        Make(StatusCodes.Status403Forbidden, "Nicht erlaubt", detail, code, extensions);

    public static ProblemHttpResult BadRequest(string detail, string field) =>
        TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [detail] })
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "Ungültige Anfrage",
            Detail = detail,
        });

    /// <summary>422: well-formed but semantically invalid input, with the offending fields.</summary>
    public static ProblemHttpResult Invalid(IDictionary<string, string[]> errors) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors)
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = "Eingabe ungültig",
            Detail = string.Join(" ", errors.SelectMany(e => e.Value)),
        });

    public static ProblemHttpResult Invalid(string field, string message) =>
        Invalid(new Dictionary<string, string[]> { [field] = [message] });

    private static ProblemHttpResult Make(int status, string title, string detail, string code,
        IDictionary<string, object?>? extensions = null)
    {
        var ext = new Dictionary<string, object?>(extensions ?? new Dictionary<string, object?>()) { ["code"] = code };
        return TypedResults.Problem(detail: detail, statusCode: status, title: title, extensions: ext);
    }
}
