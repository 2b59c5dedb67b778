using System.Security.Claims;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Mitreden.ServiceDefaults.Auth;
using Mitreden.ServiceDefaults.Http;
using Mitreden.Voting.Api.Counting;
using Mitreden.Voting.Api.Data;
using Mitreden.Voting.Api.Domain;
using Mitreden.Voting.Api.Pipeline;
using Mitreden.Voting.Contracts.Http;

namespace Mitreden.Voting.Api.Features.InPerson;

/// <summary>
/// In-person results (workshop dots, paper ballots) per option. Entries are never edited or deleted: a correction is a
/// new entry that supersedes an old one. Results show online, in person and combined.
/// </summary>
public static class InPersonApi
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IEndpointRouteBuilder MapInPersonApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/ballots/{id:guid}/in-person-results").WithTags("In-person results").RequireAuthorization(AuthPolicies.Staff);
        group.MapPost("", ImportAsync);
        group.MapGet("", ListAsync);
        return app;
    }

    private static async Task<IResult> ImportAsync(Guid id, InPersonInput input, ClaimsPrincipal user, VotingDb db, BallotCache cache,
        ResultsReader results, TallyNotifier notifier, TimeProvider time, ILoggerFactory loggers, CancellationToken ct)
    {
        var ballot = await cache.GetCheckedAsync(id, b => b is null || b.Status == BallotStatus.Draft, ct);
        if (ballot is null || ballot.Status == BallotStatus.Draft)
        {
            return Problems.NotFound("Diese Abstimmung gibt es nicht.");
        }
        if (InPersonEntries.Validate(ballot, input) is { Count: > 0 } errors)
        {
            return Problems.Invalid(errors, "Die Präsenzergebnisse passen nicht zu dieser Abstimmung.");
        }

        // EF's retrying execution strategy needs the whole transaction as one retriable unit.
        var strategy = db.Database.CreateExecutionStrategy();
        var (failure, created) = await strategy.ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            // Shares the row lock the close takes for its final count: an import lands before the final result or not at all.
            var status = (await db.Database.SqlQuery<string>($"SELECT status AS \"Value\" FROM ballots WHERE id = {id} FOR SHARE")
                .ToListAsync(ct)).Single();
            if (status == nameof(BallotStatus.Closed))
            {
                return ((IResult?)Problems.Conflict(
                    "Das Endergebnis ist veröffentlicht und steht fest. Eine Änderung ist nur als Berichtigung mit Begründung möglich.",
                    "result-final"), (InPersonEntry?)null);
            }
            var (problem, entry) = await InPersonEntries.AddAsync(db, id, input, user.UserId(), time.GetUtcNow(), ct);
            if (problem is not null)
            {
                return (problem, null);
            }
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return ((IResult?)null, entry);
        });
        if (failure is not null)
        {
            return failure;
        }
        results.Invalidate(id);
        notifier.Wake(id);
        loggers.CreateLogger(typeof(InPersonApi)).LogInformation(
            "Audit: in-person results {EntryId} for ballot {BallotId} imported by {UserId} (supersedes {Supersedes})",
            created!.Id, id, created.CreatedBy, created.SupersedesId);
        return TypedResults.Created($"/ballots/{id}/in-person-results", View(created));
    }

    private static async Task<IResult> ListAsync(Guid id, VotingDb db, BallotCache cache, CancellationToken ct)
    {
        if (await cache.GetAsync(id, ct) is null)
        {
            return Problems.NotFound("Diese Abstimmung gibt es nicht.");
        }
        var entries = await db.InPersonEntries.AsNoTracking().Where(e => e.BallotId == id).OrderBy(e => e.CreatedAt).ToListAsync(ct);
        return TypedResults.Ok(entries.Select(View).ToList());
    }

    internal static InPersonView View(InPersonEntry e) => new(e.Id, e.Source, e.Note, e.Participants,
        JsonSerializer.Deserialize<List<InPersonLine>>(e.Lines, Json) ?? [], e.SupersedesId, e.SupersededById,
        e.SupersededById is null, e.CreatedBy, e.CreatedAt);
}

/// <summary>Validation and storage of one in-person entry, shared by the import (before close) and the correction (after).</summary>
internal static class InPersonEntries
{
    public static List<FieldError> Validate(BallotSnapshot ballot, InPersonInput input)
    {
        var errors = InPersonRules.Validate(ballot.Rules, input.Participants, input.Results);
        if (string.IsNullOrWhiteSpace(input.Source) || input.Source.Length > 200)
        {
            errors.Add(new FieldError("source", "in-person-source-missing", "Bitte geben Sie die Herkunft an (höchstens 200 Zeichen), z. B. \"Zukunftswerkstatt 12.05.\"."));
        }
        if (input.Note is { Length: > 2000 })
        {
            errors.Add(new FieldError("note", "in-person-note-too-long", "Die Notiz ist länger als 2.000 Zeichen."));
        }
        return errors;
    }

    /// <summary>Adds the entry (and marks the one it supersedes) to the context; the caller saves in its transaction.</summary>
    public static async Task<(IResult? Problem, InPersonEntry? Entry)> AddAsync(VotingDb db, Guid ballotId, InPersonInput input, Guid userId,
        DateTimeOffset now, CancellationToken ct)
    {
        InPersonEntry? superseded = null;
        if (input.Supersedes is { } oldId)
        {
            superseded = await db.InPersonEntries.FirstOrDefaultAsync(e => e.Id == oldId && e.BallotId == ballotId, ct);
            if (superseded is null)
            {
                return (Problems.NotFound("Der zu korrigierende Eintrag gehört nicht zu dieser Abstimmung."), null);
            }
            if (superseded.SupersededById is not null)
            {
                return (Problems.Conflict("Dieser Eintrag wurde bereits korrigiert; bitte korrigieren Sie den neuesten Eintrag.", "already-superseded"), null);
            }
        }
        var entry = new InPersonEntry
        {
            Id = Guid.CreateVersion7(), BallotId = ballotId, Source = input.Source.Trim(), Note = input.Note, Participants = input.Participants,
            Lines = JsonSerializer.Serialize(input.Results, InPersonApi.Json), SupersedesId = superseded?.Id, CreatedBy = userId, CreatedAt = now,
        };
        db.InPersonEntries.Add(entry);
        if (superseded is not null)
        {
            superseded.SupersededById = entry.Id;
        }
        return (null, entry);
    }
}
