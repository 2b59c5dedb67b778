using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Mitreden.ServiceDefaults.Auth;
using Mitreden.ServiceDefaults.Http;
using Mitreden.ServiceDefaults.Messaging;
using Mitreden.Voting.Api.Counting;
using Mitreden.Voting.Api.Data;
using Mitreden.Voting.Api.Domain;
using Mitreden.Voting.Api.Features.Closing;
using Mitreden.Voting.Api.Features.InPerson;
using Mitreden.Voting.Api.Features.Results;
using Mitreden.Voting.Api.Pipeline;
using Mitreden.Voting.Contracts;
using Mitreden.Voting.Contracts.Http;
using Npgsql;

namespace Mitreden.Voting.Api.Features.Corrections;

/// <summary>
/// Corrections of a published final result. Once a ballot is closed its result is fixed: in-person imports are refused
/// (409), and the only way to change it is this explicit staff action with a reason. It adds an in-person entry and
/// publishes the next result version with a new digest; every version stays readable (<see cref="ResultVersionsApi"/>).
/// </summary>
public static class CorrectionsApi
{
    public const int MinReason = 10;
    public const int MaxReason = 2000;
    private static readonly CultureInfo German = CultureInfo.GetCultureInfo("de-DE");

    public static IEndpointRouteBuilder MapCorrectionsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/ballots/{id:guid}/results/corrections").WithTags("Result corrections").RequireAuthorization(AuthPolicies.Staff);
        group.MapPost("", CorrectAsync);
        group.MapGet("", AuditAsync);
        return app;
    }

    /// <summary>The digest of a corrected version: chained to the one before, over the published options and the reason.</summary>
    public static string Digest(string? previousDigest, int version, string resultJson, string reason) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            $"mitreden-result-correction\n{previousDigest}\n{version}\n{resultJson}\n{reason}")));

    private static async Task<IResult> CorrectAsync(Guid id, ResultCorrectionInput input, ClaimsPrincipal user, VotingDb db, BallotCache cache,
        ResultsReader results, TallyNotifier notifier, TimeProvider time, ILoggerFactory loggers, CancellationToken ct)
    {
        var ballot = await cache.GetCheckedAsync(id, b => b is null || b.Status == BallotStatus.Draft, ct);
        if (ballot is null || ballot.Status == BallotStatus.Draft)
        {
            return Problems.NotFound("Diese Abstimmung gibt es nicht.");
        }
        var inPerson = new InPersonInput(input.Source, input.Results, input.Note, input.Participants, input.Supersedes);
        var errors = InPersonEntries.Validate(ballot, inPerson);
        var reason = input.Reason?.Trim() ?? "";
        if (reason.Length is < MinReason or > MaxReason)
        {
            errors.Add(new FieldError("reason", "correction-reason-length", $"Bitte begründen Sie die Berichtigung ({MinReason} bis {MaxReason.ToString("#,0", German)} Zeichen)."));
        }
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors, "Die Berichtigung ist nicht vollständig.");
        }

        var userId = user.UserId();
        var strategy = db.Database.CreateExecutionStrategy();
        var (failure, version) = await strategy.ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            var npgsqlTx = (NpgsqlTransaction)tx.GetDbTransaction();
            await connection.ExecuteAsync("SELECT pg_advisory_xact_lock(@key)", new { key = VoteBatchWriter.LockKey(id) }, npgsqlTx);
            await connection.ExecuteAsync("SELECT 1 FROM ballots WHERE id = @id FOR UPDATE", new { id }, npgsqlTx);
            var row = await db.Ballots.Include(b => b.Options).SingleAsync(b => b.Id == id, ct);
            if (row.Status != BallotStatus.Closed)
            {
                return ((IResult?)Problems.Conflict(
                    "Berichtigt wird nur ein veröffentlichtes Endergebnis. Solange die Abstimmung nicht geschlossen ist, erfassen Sie Präsenzergebnisse direkt.",
                    "not-closed"), (ResultVersion?)null);
            }
            var now = time.GetUtcNow();
            var (problem, entry) = await InPersonEntries.AddAsync(db, id, inPerson, userId, now, ct);
            if (problem is not null)
            {
                return (problem, null);
            }
            await db.SaveChangesAsync(ct);

            var online = await ResultsReader.ReadTallyAsync(connection, npgsqlTx, id);
            var (totals, participants) = await ResultsReader.ReadInPersonAsync(connection, npgsqlTx, id);
            var previousDigest = row.FinalDigest;
            var number = (row.ResultVersion ?? 1) + 1;
            row.ResultVersion = number;
            row.ResultCorrectedAt = now;
            row.UpdatedAt = now;
            var view = BallotResults.Compute(BallotSnapshot.From(row), online, totals, participants, now);
            var options = BallotCloser.ToContract(view);
            var json = JsonSerializer.Serialize(options);
            var digest = Digest(previousDigest, number, json, reason);
            row.FinalResult = json;
            row.FinalDigest = digest;
            var added = new ResultVersion
            {
                BallotId = id, Version = number, Kind = "correction", Digest = digest, PreviousDigest = previousDigest, Result = json,
                Votes = row.FinalVotes ?? online.Voters, InPersonParticipants = participants, CreatedAt = now, CreatedBy = userId,
                Reason = reason, InPersonEntryId = entry!.Id,
            };
            db.ResultVersions.Add(added);
            db.AddOutboxMessage(new ResultPublished(id, row.ProcessId, BallotResults.Kebab(view.Method.ToString()), options, digest, now, row.PhaseId));
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return ((IResult?)null, added);
        });
        if (failure is not null)
        {
            return failure;
        }
        await cache.ChangedAsync(id, ct);
        results.Invalidate(id);
        notifier.Wake(id);
        loggers.CreateLogger(typeof(CorrectionsApi)).LogInformation(
            "Audit: result of ballot {BallotId} corrected to version {Version} by {UserId} (digest {PreviousDigest} -> {Digest})",
            id, version!.Version, userId, version.PreviousDigest, version.Digest);
        return TypedResults.Created($"/ballots/{id}/results/versions/{version.Version}", ResultVersionsApi.View(version, current: true));
    }

    private static async Task<IResult> AuditAsync(Guid id, VotingDb db, BallotCache cache, CancellationToken ct)
    {
        if (await cache.GetCheckedAsync(id, b => b is null, ct) is null)
        {
            return Problems.NotFound("Diese Abstimmung gibt es nicht.");
        }
        var rows = await db.ResultVersions.AsNoTracking().Where(v => v.BallotId == id && v.Kind == "correction")
            .OrderBy(v => v.Version).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(v => new CorrectionAuditView(v.Version, v.CreatedBy, v.CreatedAt, v.Reason, v.PreviousDigest,
            v.Digest, v.InPersonEntryId)).ToList());
    }
}
