using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Mitreden.ServiceDefaults.Http;

/// <summary>
/// Turns exceptions into RFC 9457 ProblemDetails. Client mistakes (unreadable JSON, oversize bodies, bad
/// parameters) keep their 4xx status; only real faults become 500, and they never echo internals.
/// </summary>
public sealed class ProblemDetailsExceptionHandler(
    IProblemDetailsService problemDetails, ILogger<ProblemDetailsExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail, code) = Classify(exception);
        if (status >= 500)
        {
            logger.LogError(exception, "Unhandled exception on {Method} {Path}", context.Request.Method, context.Request.Path);
        }
        else
        {
            logger.LogInformation("Rejected request on {Method} {Path}: {Status} {Title}",
                context.Request.Method, context.Request.Path, status, title);
        }

        if (context.Response.HasStarted)
        {
            return false;
        }
        context.Response.StatusCode = status;
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            context.Response.Headers.RetryAfter = "2";
        }
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = ControlCharacterIn(exception) is { } field
                ? ControlCharacters.Problem(field)
                : new ProblemDetails { Status = status, Title = title, Detail = detail, Extensions = { [Problems.CodeExtension] = code } },
        });
    }

    private static string? ControlCharacterIn(Exception exception) => exception switch
    {
        ControlCharacterException c => c.Field,
        BadHttpRequestException { InnerException: ControlCharacterException c } => c.Field,
        _ => null,
    };

    public static (int Status, string Title, string? Detail, string Code) Classify(Exception exception) => exception switch
    {
        ControlCharacterException or BadHttpRequestException { InnerException: ControlCharacterException } =>
            (422, "Eingabe ungültig", "A text field contains a control character.", ControlCharacters.Code),
        // The form reader's limits (FormOptions): too many fields is a malformed request, a too long part a too large one.
        InvalidDataException form when form.Message.Contains("length limit", StringComparison.OrdinalIgnoreCase) =>
            (413, "Request body too large", "A form field or part exceeds the allowed size.", "body-too-large"),
        InvalidDataException or BadHttpRequestException { InnerException: InvalidDataException } =>
            (400, "Bad request", "The form has too many fields or is malformed.", "malformed-form"),
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
            (413, "Request body too large", "The request body exceeds the allowed size.", "body-too-large"),
        BadHttpRequestException { InnerException: JsonException json } =>
            (400, "Malformed JSON", Describe(json), "malformed-json"),
        BadHttpRequestException bad =>
            (bad.StatusCode, bad.StatusCode == 415 ? "Unsupported media type" : "Bad request", bad.Message,
                bad.StatusCode == 415 ? "unsupported-media-type" : "bad-request"),
        JsonException json => (400, "Malformed JSON", Describe(json), "malformed-json"),
        OperationCanceledException => (499, "Request cancelled", null, "cancelled"),
        // Not the caller's mistake, but not a bug either: the database is overloaded or restarting. Retry later.
        PostgresException { SqlState: "53300" or "57P03" or "57P01" } or NpgsqlException { IsTransient: true } =>
            (503, "Service temporarily unavailable", "The service is busy or restarting. Please try again in a moment.", "try-again"),
        Microsoft.EntityFrameworkCore.DbUpdateException { InnerException: NpgsqlException { IsTransient: true } } or
        InvalidOperationException { InnerException: NpgsqlException { IsTransient: true } } =>
            (503, "Service temporarily unavailable", "The service is busy or restarting. Please try again in a moment.", "try-again"),
        Microsoft.EntityFrameworkCore.DbUpdateException { InnerException: PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } } =>
            (409, "Conflict", "The resource already exists or was changed at the same time.", "conflict"),
        _ => (500, "Internal error", "An unexpected error occurred. It has been logged.", "internal-error"),
    };

    private static string Describe(JsonException json) =>
        json.Path is { Length: > 0 } path ? $"The JSON body is invalid at '{path}'." : "The JSON body is invalid.";
}
