using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Mitreden.ServiceDefaults.Http;

/// <summary>
/// The one rule for text from outside: no control characters except tab, CR and LF. NUL in particular cannot be
/// stored by PostgreSQL (22021), and the others have no place in comments, titles or search terms. Applied to JSON
/// string values (<see cref="ControlCharacterJsonConverter"/>) and to query strings, route values and form fields
/// (<see cref="TextInputGuardMiddleware"/>); a refusal is 422 naming the field.
/// </summary>
public static class ControlCharacters
{
    private static readonly SearchValues<char> Forbidden = SearchValues.Create(
        Enumerable.Range(0, 0xA0).Select(i => (char)i).Where(c => char.IsControl(c) && c is not ('\t' or '\r' or '\n')).ToArray());

    public static bool Contains(ReadOnlySpan<char> text) => text.ContainsAny(Forbidden);

    public const string Code = "control-character";
    public const string Message = "Enthält ein unzulässiges Steuerzeichen (erlaubt sind nur Tabulator und Zeilenumbruch). / Contains a control character (only tab and line breaks are allowed).";

    /// <summary>422 with the field under "errors", as the services' own validation answers.</summary>
    public static HttpValidationProblemDetails Problem(string field) =>
        new(new Dictionary<string, string[]> { [field] = [Message] })
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = "Eingabe ungültig",
            Detail = $"Das Feld '{field}' enthält ein unzulässiges Steuerzeichen.",
            Extensions = { ["code"] = Code },
        };
}

/// <summary>A JSON string value with a forbidden control character; the serializer fills in <see cref="JsonException.Path"/>.</summary>
public sealed class ControlCharacterException : JsonException
{
    /// <summary>The field as the client named it: "$.text" becomes "text", "$.options[0].title" stays a path.</summary>
    public string Field => Path is { Length: > 0 } path ? path.TrimStart('$').TrimStart('.') : "body";
}

/// <summary>Refuses string values with control characters while the body is read, so no endpoint ever sees one.</summary>
public sealed class ControlCharacterJsonConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var value = reader.GetString();
        if (value is not null && ControlCharacters.Contains(value))
        {
            throw new ControlCharacterException();
        }
        return value;
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}

public sealed class InputGuardOptions
{
    /// <summary>Off in the gateway: the services check their own input, and reading a form there would consume the body it forwards.</summary>
    public bool Enabled { get; set; } = true;
}

/// <summary>
/// Query strings, route values and form fields (after authorization, so an anonymous caller of a protected route still
/// gets 401). Form limits (field count, key and value length) are client errors: 400, or 413 for a too long value.
/// </summary>
public sealed class TextInputGuardMiddleware(RequestDelegate next, IOptions<InputGuardOptions> options)
{
    public async Task InvokeAsync(HttpContext context, IProblemDetailsService problems)
    {
        if (!options.Value.Enabled)
        {
            await next(context);
            return;
        }
        if (await FindAsync(context) is { } field)
        {
            var problem = ControlCharacters.Problem(field);
            problem.Instance = context.Request.Path;
            context.Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            await problems.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
            return;
        }
        await next(context);
    }

    private static async Task<string?> FindAsync(HttpContext context)
    {
        foreach (var (key, values) in context.Request.Query)
        {
            if (ControlCharacters.Contains(key) || values.Any(v => v is not null && ControlCharacters.Contains(v)))
            {
                return key;
            }
        }
        foreach (var (key, value) in context.Request.RouteValues)
        {
            if (value is string text && ControlCharacters.Contains(text))
            {
                return key;
            }
        }
        if (context.Request.HasFormContentType && context.GetEndpoint() is not null)
        {
            return await FindInFormAsync(context);
        }
        return null;
    }

    private static async Task<string?> FindInFormAsync(HttpContext context)
    {
        // Buffered, so the form can be read again when the form reader refuses it (below); forms are small (body limit).
        context.Request.EnableBuffering();
        IFormCollection form;
        try
        {
            form = await context.Request.ReadFormAsync(context.RequestAborted);
        }
        catch (InvalidDataException) when (context.Request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true)
        {
            // The form reader itself refuses NUL ("The form value contains invalid characters") without naming the field.
            if (await FindInRawFormAsync(context) is { } field)
            {
                return field;
            }
            throw;
        }
        // Other form limits (field count, key and value length) throw InvalidDataException: the exception handler answers 400/413.
        foreach (var (key, values) in form)
        {
            if (ControlCharacters.Contains(key) || values.Any(v => v is not null && ControlCharacters.Contains(v)))
            {
                return key;
            }
        }
        return null;
    }

    private static async Task<string?> FindInRawFormAsync(HttpContext context)
    {
        context.Request.Body.Position = 0;
        using var reader = new StreamReader(context.Request.Body, System.Text.Encoding.UTF8, leaveOpen: true);
        var raw = await reader.ReadToEndAsync(context.RequestAborted);
        foreach (var pair in raw.Split('&'))
        {
            var parts = pair.Split('=', 2);
            var key = Decode(parts[0]);
            if (ControlCharacters.Contains(key) || (parts.Length == 2 && ControlCharacters.Contains(Decode(parts[1]))))
            {
                return key;
            }
        }
        return null;
    }

    private static string Decode(string encoded) => Uri.UnescapeDataString(encoded.Replace('+', ' '));
}
