using System.Security.Claims;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Mitreden.ServiceDefaults.Http;
using Mitreden.Voting.Api.Data;
using Mitreden.Voting.Api.Domain;
using Mitreden.Voting.Contracts;
using Mitreden.Voting.Contracts.Http;

namespace Mitreden.Voting.Api.Features.Results;

/// <summary>Every published version of a closed ballot's result (1 = the close, then one per correction), readable like the results.</summary>
public static class ResultVersionsApi
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IEndpointRouteBuilder MapResultVersionsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/ballots/{id:guid}/results/versions").WithTags("Results");
        // Anonymous callers may ask; ResultAccess decides per ballot, as for the results themselves.
        group.MapGet("", ListAsync).AllowAnonymous();
        group.MapGet("/{version:int}", GetAsync).AllowAnonymous();
        return app;
    }

    internal static ResultVersionView View(ResultVersion v, bool current) => new(v.Version, v.Kind, current, v.Digest, v.PreviousDigest,
        v.CreatedAt, v.Reason, v.Votes, v.InPersonParticipants, JsonSerializer.Deserialize<List<OptionResult>>(v.Result, Json) ?? []);

    private static async Task<IResult> ListAsync(Guid id, ClaimsPrincipal user, BallotCache ballots, ProcessGate gate, ResultAccess access, VotingDb db,
        CancellationToken ct)
    {
        if (await VisibleAsync(id, user, ballots, gate, access, ct) is { } denied)
        {
            return denied;
        }
        var rows = await db.ResultVersions.AsNoTracking().Where(v => v.BallotId == id).OrderByDescending(v => v.Version).ToListAsync(ct);
        return TypedResults.Ok(rows.Select((v, i) => View(v, current: i == 0)).ToList());
    }

    private static async Task<IResult> GetAsync(Guid id, int version, ClaimsPrincipal user, BallotCache ballots, ProcessGate gate, ResultAccess access,
        VotingDb db, CancellationToken ct)
    {
        if (await VisibleAsync(id, user, ballots, gate, access, ct) is { } denied)
        {
            return denied;
        }
        var row = await db.ResultVersions.AsNoTracking().FirstOrDefaultAsync(v => v.BallotId == id && v.Version == version, ct);
        if (row is null)
        {
            return Problems.NotFound("Diese Ergebnisversion gibt es nicht.");
        }
        var latest = await db.ResultVersions.Where(v => v.BallotId == id).MaxAsync(v => v.Version, ct);
        return TypedResults.Ok(View(row, current: row.Version == latest));
    }

    private static async Task<IResult?> VisibleAsync(Guid id, ClaimsPrincipal user, BallotCache ballots, ProcessGate gate, ResultAccess access, CancellationToken ct)
    {
        var ballot = await ballots.GetCheckedAsync(id, b => b is null || b.Status == BallotStatus.Draft, ct);
        if (ballot is null || ballot.Status == BallotStatus.Draft || !await gate.MaySeeAsync(ballot.ProcessId, ballot.PhaseId, user, ct))
        {
            return Problems.NotFound("Diese Abstimmung gibt es nicht.");
        }
        return await access.CheckAsync(ballot, user, ct) is { } denial ? Problems.Forbidden(denial.Message, denial.Reason) : null;
    }
}
