using System.Data;
using System.Security.Claims;
using Dapper;
using Microsoft.EntityFrameworkCore;
using Mitreden.ServiceDefaults.Auth;
using Mitreden.ServiceDefaults.Http;
using Mitreden.Voting.Api.Data;
using Mitreden.Voting.Api.Domain;
using Mitreden.Voting.Api.Features.Ballots;
using Mitreden.Voting.Api.Features.Results;
using Mitreden.Voting.Contracts.Http;
using Npgsql;

namespace Mitreden.Voting.Api.Features.Closing;

public static class ClosingApi
{
    public static IEndpointRouteBuilder MapClosingApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/ballots/{id:guid}").WithTags("Closing").RequireAuthorization(AuthPolicies.Staff);
        group.MapPost("/close", CloseAsync);
        group.MapPost("/recount", RecountAsync);
        group.MapGet("/recounts", ListRecountsAsync);
        return app;
    }

    private static async Task<IResult> CloseAsync(Guid id, VotingDb db, BallotCache cache, BallotCloser closer, TimeProvider time,
        VotingOptions options, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var ballot = await db.Ballots.FirstOrDefaultAsync(b => b.Id == id, ct);
        if (ballot is null)
        {
            return Problems.NotFound("Diese Abstimmung gibt es nicht.");
        }
        switch (ballot.Status)
        {
            case BallotStatus.Draft:
                return Problems.Conflict("Ein Entwurf wurde nie geöffnet und kann nicht beendet werden.", "draft");
            case BallotStatus.Closed:
                return Problems.Conflict("Die Abstimmung ist bereits beendet.", "already-closed");
            case BallotStatus.Published when ballot.ClosesAt is null || ballot.ClosesAt > now:
                // Stop accepting now; every instance sees the new end within a moment (and the consumer checks it).
                ballot.ClosesAt = now;
                ballot.OpensAt ??= now;
                ballot.FollowsPhase = false;
                ballot.UpdatedAt = now;
                await db.SaveChangesAsync(ct);
                await cache.ChangedAsync(id, ct);
                break;
        }
        closer.Wake();
        // Below the gateway's 30 s activity timeout for Voting (gateway appsettings, cluster "voting"): a close that
        // takes longer answers 202 with the ballot still closing instead of the gateway answering 504.
        var deadline = time.GetUtcNow() + options.CloseRequestWait;
        while (time.GetUtcNow() < deadline)
        {
            if (await cache.ReloadAsync(id, ct) is { Status: BallotStatus.Closed } closed)
            {
                return TypedResults.Ok(BallotViews.From(closed, time.GetUtcNow()));
            }
            await Task.Delay(200, ct);
        }
        return TypedResults.Accepted($"/ballots/{id}", BallotViews.From((await cache.GetAsync(id, ct))!, time.GetUtcNow()));
    }

    private static async Task<IResult> RecountAsync(Guid id, ClaimsPrincipal user, BallotCache cache, NpgsqlDataSource dataSource,
        VotingDb db, TimeProvider time, ILoggerFactory loggers, CancellationToken ct)
    {
        var ballot = await cache.GetAsync(id, ct);
        if (ballot is null || ballot.Status == BallotStatus.Draft)
        {
            return Problems.NotFound("Diese Abstimmung gibt es nicht.");
        }
        var started = time.GetUtcNow();
        RecountResult recount;
        IReadOnlyList<string> differences;
        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        // One snapshot for both sides: the consumer commits a batch atomically, so they are comparable.
        await using (var tx = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct))
        {
            var live = await ResultsReader.ReadTallyAsync(connection, tx, id);
            recount = await Recounter.RecountAsync(connection, tx, ballot, ct);
            differences = recount.Tally.Differences(live, ballot.Rules.OptionIds);
            await tx.CommitAsync(ct);
        }
        if (differences.Count > 0)
        {
            loggers.CreateLogger(typeof(ClosingApi)).LogError(
                "ALARM: recount of ballot {BallotId} differs from the live tally in {Count} places", id, differences.Count);
        }
        var run = new RecountRun
        {
            Id = Guid.CreateVersion7(), BallotId = id, Kind = "manual", StartedAt = started, FinishedAt = time.GetUtcNow(),
            Votes = recount.Votes, Matches = differences.Count == 0, Digest = recount.Digest,
            Differences = differences.Count == 0 ? null : string.Join('\n', differences.Take(200)), RequestedBy = user.UserId(),
        };
        db.RecountRuns.Add(run);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(View(run, ResultAccess.PubliclyVisible(ballot, time.GetUtcNow())));
    }

    private static async Task<IResult> ListRecountsAsync(Guid id, BallotCache cache, VotingDb db, TimeProvider time, CancellationToken ct)
    {
        var ballot = await cache.GetAsync(id, ct);
        if (ballot is null)
        {
            return Problems.NotFound("Diese Abstimmung gibt es nicht.");
        }
        var visible = ResultAccess.PubliclyVisible(ballot, time.GetUtcNow());
        var runs = await db.RecountRuns.AsNoTracking().Where(r => r.BallotId == id).OrderByDescending(r => r.StartedAt).ToListAsync(ct);
        return TypedResults.Ok(runs.Select(r => View(r, visible)).ToList());
    }

    private static RecountView View(RecountRun run, bool visible) => visible
        ? new RecountView(run.Id, run.Kind, run.StartedAt, run.FinishedAt, run.Matches, run.Votes, run.Digest, run.Differences)
        : new RecountView(run.Id, run.Kind, run.StartedAt, run.FinishedAt, run.Matches, null, null, null);
}
