using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Mitreden.ServiceDefaults.Http;

/// <summary>
/// The one shape of every 4xx (and 503) a service answers: RFC 9457 ProblemDetails with a stable, machine-readable
/// <c>code</c> extension, field errors in <c>errors</c> (field → messages) and, where a client has its own words for a
/// field, <c>errorCodes</c> (field → code). Details and messages are for API users in the service's language; a
/// client that shows a problem to a person says it by code in the person's language. Titles are the status's
/// standard phrase unless given. Parameters are always (detail, code), the code required for every refusal.
/// </summary>
public static class Problems
{
    /// <summary>The extension that carries the stable code.</summary>
    public const string CodeExtension = "code";

    /// <summary>The extension naming the language of a problem's texts, where it is not the service's usual one.</summary>
    public const string LanguageExtension = "lang";

    /// <summary>The code of a 422 whose meaning lies in its field errors.</summary>
    public const string InvalidInput = "invalid-input";

    /// <summary>The code of a problem that names none of its own: the status in words.</summary>
    public static string CodeFor(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "bad-request",
        StatusCodes.Status401Unauthorized => "unauthorized",
        StatusCodes.Status403Forbidden => "forbidden",
        StatusCodes.Status404NotFound => "not-found",
        StatusCodes.Status405MethodNotAllowed => "method-not-allowed",
        StatusCodes.Status409Conflict => "conflict",
        StatusCodes.Status413PayloadTooLarge => "body-too-large",
        StatusCodes.Status415UnsupportedMediaType => "unsupported-media-type",
        StatusCodes.Status422UnprocessableEntity => InvalidInput,
        StatusCodes.Status429TooManyRequests => "too-many-requests",
        StatusCodes.Status503ServiceUnavailable => "try-again",
        >= 500 => "internal-error",
        _ => "problem",
    };

    /// <param name="language">The language of the detail ("lang" extension) when a service writes it in another language
    /// than its usual one: clients show it only in a UI of that language.</param>
    public static ProblemHttpResult Problem(int status, string detail, string code, string? title = null,
        IEnumerable<KeyValuePair<string, object?>>? extensions = null, string? language = null)
    {
        var all = new Dictionary<string, object?>(extensions ?? []) { [CodeExtension] = code };
        if (language is not null)
        {
            all[LanguageExtension] = language;
        }
        return TypedResults.Problem(detail, statusCode: status, title: title, extensions: all);
    }

    /// <param name="field">The query or route parameter at fault, given as a field error too.</param>
    public static ProblemHttpResult BadRequest(string detail, string code, string? field = null, string? language = null)
    {
        if (field is null)
        {
            return Problem(StatusCodes.Status400BadRequest, detail, code, language: language);
        }
        var problem = new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [detail] })
        {
            Status = StatusCodes.Status400BadRequest,
            Detail = detail,
            Extensions = { [CodeExtension] = code },
        };
        if (language is not null)
        {
            problem.Extensions[LanguageExtension] = language;
        }
        return TypedResults.Problem(problem);
    }

    public static ProblemHttpResult Forbidden(string detail, string code, IEnumerable<KeyValuePair<string, object?>>? extensions = null,
        string? language = null) =>
        Problem(StatusCodes.Status403Forbidden, detail, code, extensions: extensions, language: language);

    public static ProblemHttpResult NotFound(string detail, string code = "not-found", string? language = null) =>
        Problem(StatusCodes.Status404NotFound, detail, code, language: language);

    public static ProblemHttpResult Conflict(string detail, string code, string? language = null) =>
        Problem(StatusCodes.Status409Conflict, detail, code, language: language);

    /// <summary>503 with code "try-again": not the caller's mistake; the same request may succeed in a moment.</summary>
    public static ProblemHttpResult Unavailable(string detail, string code = "try-again", string? language = null) =>
        Problem(StatusCodes.Status503ServiceUnavailable, detail, code, language: language);

    /// <summary>422 for one field.</summary>
    public static ProblemHttpResult Invalid(string field, string message, string? detail = null, string? language = null) =>
        Invalid([new KeyValuePair<string, string[]>(field, [message])], detail, language: language);

    /// <summary>422 for one field with several messages.</summary>
    public static ProblemHttpResult Invalid(string field, IEnumerable<string> messages, string? detail = null, string? language = null) =>
        Invalid([new KeyValuePair<string, string[]>(field, messages.ToArray())], detail, language: language);

    /// <summary>
    /// 422 for refused fields, each with its code: the messages grouped by field, <c>errorCodes</c> holding each field's
    /// first code.
    /// </summary>
    public static ProblemHttpResult Invalid(IReadOnlyCollection<FieldError> errors, string? detail = null, string? language = null) =>
        Invalid(errors.GroupBy(e => e.Field).Select(g => new KeyValuePair<string, string[]>(g.Key, g.Select(e => e.Message).ToArray())),
            detail, errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.First().Code), language);

    /// <summary>
    /// 422: well-formed but not acceptable input, with the messages per field (a path like <c>results[2].value</c>).
    /// </summary>
    /// <param name="errorCodes">A stable code per field, where clients have their own text for it.</param>
    /// <param name="language">The language of the messages ("lang" extension) when a service writes them in another
    /// language than its usual one: clients show them only in a UI of that language.</param>
    /// <param name="code">The code of the whole problem, when it means more than "see the fields".</param>
    public static ProblemHttpResult Invalid<TMessages>(IEnumerable<KeyValuePair<string, TMessages>> errors, string? detail = null,
        IReadOnlyDictionary<string, string>? errorCodes = null, string? language = null, string code = InvalidInput)
        where TMessages : IEnumerable<string>
    {
        var problem = new HttpValidationProblemDetails(errors.ToDictionary(e => e.Key, e => e.Value.ToArray()))
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Detail = detail,
            Extensions = { [CodeExtension] = code },
        };
        if (errorCodes is { Count: > 0 })
        {
            problem.Extensions["errorCodes"] = errorCodes;
        }
        if (language is not null)
        {
            problem.Extensions[LanguageExtension] = language;
        }
        return TypedResults.Problem(problem);
    }
}

/// <summary>
/// A refusal of one field of a request: the field's path (<c>options[2].title</c>, <c>results[1].value</c>), a stable
/// code (clients have their own words for it) and the message in the service's language.
/// </summary>
public sealed record FieldError(string Field, string Code, string Message);

public static class ProblemMetadata
{
    /// <summary>
    /// States the refusals an endpoint answers (RFC 9457 problems; 400 and 422 with field errors), so the OpenAPI
    /// document lists the real answers next to the success of its typed result.
    /// </summary>
    public static TBuilder ProducesProblems<TBuilder>(this TBuilder builder, params int[] statuses) where TBuilder : IEndpointConventionBuilder
    {
        foreach (var status in statuses)
        {
            if (status is StatusCodes.Status400BadRequest or StatusCodes.Status422UnprocessableEntity)
            {
                builder.ProducesValidationProblem(status);
            }
            else
            {
                builder.ProducesProblem(status);
            }
        }
        return builder;
    }
}
