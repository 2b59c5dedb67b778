using System.Net.Http.Json;
using Mitreden.ServiceDefaults.Http;
using Mitreden.Web.Infrastructure;

namespace Mitreden.Web.Api;

/// <summary>
/// Base of the per-service clients: JSON in and out, problems as values, and an unreachable or failing
/// service (network error, timeout, 5xx) as <see cref="BackendUnavailableException"/> that pages turn into a friendly notice.
/// </summary>
public abstract class ApiClient(HttpClient http, string service)
{
    protected HttpClient Http => http;

    /// <summary>The language of the service's problem texts (see <see cref="ApiProblem.TextLanguage"/>).</summary>
    protected virtual string ProblemLanguage => "en";

    private ApiProblem Problem(int status, string? body)
    {
        var problem = ApiProblem.FromJson(status, body);
        return problem with { TextLanguage = problem.DeclaredLanguage ?? ProblemLanguage };
    }

    protected Task<ApiResult<T>> GetAsync<T>(string path, CancellationToken ct) =>
        SendAsync<T>(new HttpRequestMessage(HttpMethod.Get, path), ct);

    protected Task<ApiResult<T>> PostAsync<T>(string path, object? body, CancellationToken ct) =>
        SendAsync<T>(WithJson(HttpMethod.Post, path, body), ct);

    protected Task<ApiResult<T>> PutAsync<T>(string path, object? body, CancellationToken ct) =>
        SendAsync<T>(WithJson(HttpMethod.Put, path, body), ct);

    protected Task<ApiResult<T>> DeleteAsync<T>(string path, CancellationToken ct) =>
        SendAsync<T>(new HttpRequestMessage(HttpMethod.Delete, path), ct);

    /// <summary>
    /// Everything this service keeps about the signed-in person (GDPR Art. 15/20), as the service answers it; the web
    /// only puts the five answers together (Pages/Account/PersonalData).
    /// </summary>
    public Task<ApiResult<System.Text.Json.JsonElement>> PersonalDataAsync(CancellationToken ct) =>
        SendAsync<System.Text.Json.JsonElement>(Slow(new HttpRequestMessage(HttpMethod.Get, PersonalDataPath)), ct);

    /// <summary>Where the service answers <see cref="PersonalDataAsync"/>.</summary>
    protected virtual string PersonalDataPath => "/me/export";

    /// <summary>For operations that legitimately take longer than a page render (closing a ballot, imports, exports).</summary>
    protected static HttpRequestMessage Slow(HttpRequestMessage request)
    {
        request.Options.Set(BackendResilience.RequestTimeout, SlowRequestTimeout);
        return request;
    }

    /// <summary>Above Voting's own wait for a close (Voting:CloseRequestWait, 20 s).</summary>
    public static readonly TimeSpan SlowRequestTimeout = TimeSpan.FromSeconds(45);

    protected static HttpRequestMessage WithJson(HttpMethod method, string path, object? body) => new(method, path)
    {
        Content = body is null ? null : JsonContent.Create(body, body.GetType(), options: ApiJson.Options),
    };

    protected async Task<ApiResult<T>> SendAsync<T>(HttpRequestMessage request, CancellationToken ct)
    {
        using var response = await SendRawAsync(request, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            return ApiResult<T>.Failure(Problem((int)response.StatusCode, body));
        }
        if (typeof(T) == typeof(Done) || string.IsNullOrWhiteSpace(body))
        {
            return ApiResult<T>.Success(default!, (int)response.StatusCode);
        }
        try
        {
            return ApiResult<T>.Success(System.Text.Json.JsonSerializer.Deserialize<T>(body, ApiJson.Options)!, (int)response.StatusCode);
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new BackendUnavailableException(service, $"unexpected answer to {request.Method} {request.RequestUri}", ex);
        }
    }

    /// <summary>Downloads a file; null with the problem when the service refused.</summary>
    protected async Task<(ApiFile? File, ApiProblem? Problem)> DownloadAsync(HttpRequestMessage request, CancellationToken ct)
    {
        using var response = await SendRawAsync(request, ct);
        if (!response.IsSuccessStatusCode)
        {
            return (null, Problem((int)response.StatusCode, await response.Content.ReadAsStringAsync(ct)));
        }
        var bytes = await response.Content.ReadAsByteArrayAsync(ct);
        var type = response.Content.Headers.ContentType?.ToString() ?? "application/octet-stream";
        var name = response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName?.Trim('"');
        return (new ApiFile(bytes, type, name), null);
    }

    protected async Task<HttpResponseMessage> SendRawAsync(HttpRequestMessage request, CancellationToken ct,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, completion, ct);
        }
        catch (HttpRequestException ex)
        {
            throw new BackendUnavailableException(service, $"{request.Method} {request.RequestUri} failed", ex);
        }
        catch (TaskCanceledException ex) when (!ct.IsCancellationRequested)
        {
            throw new BackendUnavailableException(service, $"{request.Method} {request.RequestUri} timed out", ex);
        }
        catch (Polly.ExecutionRejectedException ex)
        {
            // The resilience handler's timeout or open circuit breaker.
            throw new BackendUnavailableException(service, $"{request.Method} {request.RequestUri} refused by the resilience handler ({ex.GetType().Name})", ex);
        }
        if ((int)response.StatusCode >= 500)
        {
            var status = (int)response.StatusCode;
            response.Dispose();
            throw new BackendUnavailableException(service, $"{request.Method} {request.RequestUri} answered {status}");
        }
        return response;
    }

    protected static string Query(string path, params (string Name, object? Value)[] parameters)
    {
        var parts = parameters
            .Where(p => p.Value is not null && !(p.Value is string s && string.IsNullOrWhiteSpace(s)))
            .Select(p => $"{Uri.EscapeDataString(p.Name)}={Uri.EscapeDataString(Convert.ToString(p.Value, System.Globalization.CultureInfo.InvariantCulture)!)}");
        var query = string.Join("&", parts);
        return query.Length == 0 ? path : $"{path}?{query}";
    }
}
