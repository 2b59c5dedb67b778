using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mitreden.Web.Api;

/// <summary>JSON as the services speak it (camelCase, kebab-case enums); reading is lenient so additive API changes do not break pages.</summary>
public static class ApiJson
{
    public static readonly JsonSerializerOptions Options = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower));
        return options;
    }
}

/// <summary>One error of a file the service read line by line (an import), with its stable code.</summary>
/// <param name="Value">The text of the cell the error is about, where the service names it.</param>
public sealed record ApiLineError(int Line, string Field, string Code, string? Value, string Message);

/// <summary>An RFC 9457 problem from a service, reduced to what a page shows.</summary>
/// <param name="Code">The service's stable code for the problem (extension "code").</param>
/// <param name="Lines">Errors per line of an uploaded file (an "errors" list instead of the per-field object).</param>
public sealed record ApiProblem(int Status, string? Title, string? Detail, IReadOnlyDictionary<string, string[]> Errors, string? Code = null,
    IReadOnlyList<ApiLineError>? Lines = null)
{
    /// <summary>
    /// The language the service writes its titles, details and field messages in ("de" or "en"): a page shows them
    /// only in a UI of that language and falls back to its own texts (by code, field and status) otherwise.
    /// </summary>
    public string TextLanguage { get; init; } = "en";

    /// <summary>The language the problem itself names (extension "lang"), which wins over the service's usual one.</summary>
    public string? DeclaredLanguage { get; init; }

    /// <summary>A stable code per field (extension "errorCodes"), where the service gives one.</summary>
    public IReadOnlyDictionary<string, string> ErrorCodes { get; init; } = new Dictionary<string, string>();

    public static ApiProblem FromJson(int status, string? body)
    {
        string? title = null, detail = null, code = null, language = null;
        var errors = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
        var lines = new List<ApiLineError>();
        var codes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (!string.IsNullOrWhiteSpace(body))
        {
            try
            {
                using var doc = JsonDocument.Parse(body);
                var root = doc.RootElement;
                if (root.ValueKind == JsonValueKind.Object)
                {
                    title = Text(root, "title") ?? Text(root, "error");
                    detail = Text(root, "detail") ?? Text(root, "error_description");
                    code = Text(root, "code");
                    language = Text(root, "lang");
                    if (root.TryGetProperty("errorCodes", out var c) && c.ValueKind == JsonValueKind.Object)
                    {
                        foreach (var field in c.EnumerateObject().Where(f => f.Value.ValueKind == JsonValueKind.String))
                        {
                            codes[field.Name] = field.Value.GetString()!;
                        }
                    }
                    if (root.TryGetProperty("errors", out var list) && list.ValueKind == JsonValueKind.Array)
                    {
                        foreach (var line in list.EnumerateArray().Where(l => l.ValueKind == JsonValueKind.Object))
                        {
                            lines.Add(new ApiLineError(
                                line.TryGetProperty("line", out var n) && n.TryGetInt32(out var number) ? number : 0,
                                Text(line, "field") ?? "", Text(line, "code") ?? "", Text(line, "value"), Text(line, "message") ?? ""));
                        }
                    }
                    if (root.TryGetProperty("errors", out var e) && e.ValueKind == JsonValueKind.Object)
                    {
                        foreach (var field in e.EnumerateObject())
                        {
                            errors[field.Name] = field.Value.ValueKind == JsonValueKind.Array
                                ? field.Value.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String ? v.GetString() ?? "" : v.ToString()).ToArray()
                                : [field.Value.ToString()];
                        }
                    }
                }
            }
            catch (JsonException)
            {
                // Not JSON: keep the status only; the page shows its own message.
            }
        }
        return new ApiProblem(status, title, detail, errors, code, lines) { ErrorCodes = codes, DeclaredLanguage = language };
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>All messages in one list (detail first), for an error summary.</summary>
    public IEnumerable<string> Messages()
    {
        if (!string.IsNullOrWhiteSpace(Detail))
        {
            yield return Detail;
        }
        else if (Errors.Count == 0 && !string.IsNullOrWhiteSpace(Title))
        {
            yield return Title;
        }
        foreach (var message in Errors.SelectMany(e => e.Value))
        {
            yield return message;
        }
    }
}

/// <summary>Either the value or the problem of one service call.</summary>
public sealed class ApiResult<T>
{
    private ApiResult(T? value, ApiProblem? problem, int status)
    {
        Value = value;
        Problem = problem;
        Status = status;
    }

    public T? Value { get; }
    public ApiProblem? Problem { get; }
    public int Status { get; }
    public bool Ok => Problem is null;
    public bool NotFound => Status == 404;

    public static ApiResult<T> Success(T value, int status = 200) => new(value, null, status);
    public static ApiResult<T> Failure(ApiProblem problem) => new(default, problem, problem.Status);
}

/// <summary>A file from a service (exports, CSV downloads), passed through to the browser.</summary>
public sealed record ApiFile(byte[] Content, string ContentType, string? FileName);

/// <summary>Marker for calls without a response body.</summary>
public readonly record struct Done;
