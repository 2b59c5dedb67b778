using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Mitreden.ServiceDefaults.Http;
using Mitreden.Voting.Api.Features.Ballots;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;
using Mitreden.Voting.Api.Domain;
using Mitreden.Voting.Api.Pipeline;

namespace Mitreden.Voting.Api.Features.Results;

public static class ResultsApi
{
    public static IEndpointRouteBuilder MapResultsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/ballots/{id:guid}/results").WithTags("Results");
        // Anonymous callers may ask; ResultAccess decides per ballot (live / after own vote / after close).
        group.MapGet("", GetAsync).AllowAnonymous();
        group.MapGet("/stream", StreamAsync).AllowAnonymous();
        return app;
    }

    private static async Task<IResult> GetAsync(Guid id, ClaimsPrincipal user, BallotCache ballots, ProcessGate gate, ResultAccess access,
        ResultsReader results, CancellationToken ct)
    {
        var ballot = await ballots.GetCheckedAsync(id, b => b is null || b.Status == Data.BallotStatus.Draft, ct);
        if (ballot is null || ballot.Status == Data.BallotStatus.Draft || !await gate.MaySeeAsync(ballot.ProcessId, ballot.PhaseId, user, ct))
        {
            return Problems.NotFound("Diese Abstimmung gibt es nicht.");
        }
        if (await access.CheckAsync(ballot, user, ct) is { } denial)
        {
            return Problems.Forbidden(denial.Message, denial.Reason);
        }
        return TypedResults.Ok(await results.GetAsync(ballot, ct));
    }

    /// <summary>
    /// Server-sent events: "tally" with the full results at once and after every change (within about a second of the
    /// vote being consumed), a comment line every 15 s to keep proxies from closing the stream.
    /// </summary>
    private static async Task<IResult> StreamAsync(Guid id, HttpContext http, ClaimsPrincipal user, BallotCache ballots, ProcessGate gate,
        ResultAccess access, ResultsReader results, TallyNotifier notifier, IOptions<HttpJsonOptions> json)
    {
        var ct = http.RequestAborted;
        var ballot = await ballots.GetCheckedAsync(id, b => b is null || b.Status == Data.BallotStatus.Draft, ct);
        if (ballot is null || ballot.Status == Data.BallotStatus.Draft || !await gate.MaySeeAsync(ballot.ProcessId, ballot.PhaseId, user, ct))
        {
            return Problems.NotFound("Diese Abstimmung gibt es nicht.");
        }
        if (await access.CheckAsync(ballot, user, ct) is { } denial)
        {
            return Problems.Forbidden(denial.Message, denial.Reason);
        }

        using var listener = notifier.Listen(id);
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        await http.Response.Body.FlushAsync(ct);
        string? last = null;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                ballot = await ballots.GetAsync(id, ct) ?? ballot;
                var view = await results.GetAsync(ballot, ct);
                var data = JsonSerializer.Serialize(view with { ComputedAt = default }, json.Value.SerializerOptions);
                if (data != last)
                {
                    last = data;
                    await http.Response.WriteAsync($"event: tally\ndata: {JsonSerializer.Serialize(view, json.Value.SerializerOptions)}\n\n", Encoding.UTF8, ct);
                    await http.Response.Body.FlushAsync(ct);
                }
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
                wait.CancelAfter(TimeSpan.FromSeconds(15));
                try
                {
                    await listener.Reader.ReadAsync(wait.Token);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    await http.Response.WriteAsync(": keep-alive\n\n", ct);
                    await http.Response.Body.FlushAsync(ct);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // the client went away
        }
        return TypedResults.Empty;
    }
}
