namespace Mitreden.Web.Api;

/// <summary>
/// Live results for the results page: the browser's EventSource talks to the web app (same origin, CSP connect-src
/// 'self'), which relays Voting's server-sent events with the visitor's own token (results shown after one's own vote
/// need it). Closed by the browser when the page is hidden.
/// </summary>
public static class ResultsStream
{
    public const string ClientName = "voting-stream";

    public static IEndpointRouteBuilder MapResultsStream(this IEndpointRouteBuilder app)
    {
        app.MapGet("/abstimmungen/{id:guid}/ergebnis/live", RelayAsync).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static async Task RelayAsync(Guid id, HttpContext context, IHttpClientFactory clients, ILoggerFactory loggers)
    {
        var ct = context.RequestAborted;
        var client = clients.CreateClient(ClientName);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/ballots/{id}/results/stream");
        request.Headers.Accept.ParseAdd("text/event-stream");
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        }
        catch (HttpRequestException ex)
        {
            loggers.CreateLogger(typeof(ResultsStream)).LogWarning(ex, "Results stream of ballot {BallotId} unavailable", id);
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                context.Response.StatusCode = (int)response.StatusCode >= 500 ? StatusCodes.Status503ServiceUnavailable : (int)response.StatusCode;
                return;
            }
            context.Response.ContentType = "text/event-stream";
            context.Response.Headers.CacheControl = "no-cache";
            context.Response.Headers["X-Accel-Buffering"] = "no";
            await context.Response.Body.FlushAsync(ct);
            try
            {
                await using var upstream = await response.Content.ReadAsStreamAsync(ct);
                var buffer = new byte[8192];
                int read;
                while ((read = await upstream.ReadAsync(buffer, ct)) > 0)
                {
                    await context.Response.Body.WriteAsync(buffer.AsMemory(0, read), ct);
                    await context.Response.Body.FlushAsync(ct);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or HttpRequestException)
            {
                // The browser left or the service restarted; EventSource reconnects by itself.
            }
        }
    }
}
