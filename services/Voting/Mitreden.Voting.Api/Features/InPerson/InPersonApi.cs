using System.Security.Claims;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Mitreden.ServiceDefaults.Auth;
using Mitreden.ServiceDefaults.Messaging;
using Mitreden.Voting.Api.Data;
using Mitreden.Voting.Api.Features.Ballots;
using Mitreden.Voting.Api.Features.Closing;
using Mitreden.Voting.Api.Features.Results;
using Mitreden.Voting.Contracts;
using Npgsql;

namespace Mitreden.Voting.Api.Features.InPerson;

/// <param name="Source">Where the numbers come from, e.g. "Zukunftswerkstatt 12.05." or "Papierstimmzettel Bürgerbüro".</param>
/// <param name="Supersedes">The entry this one corrects; the old one stays in the history.</param>
public sealed record InPersonInput(string Source, IReadOnlyList<InPersonLine> Results, string? Note = null, int? Participants = null,
    Guid? Supersedes = null);

public sealed record InPersonView(Guid Id, string Source, string? Note, int? Participants, IReadOnlyList<InPersonLine> Results,
    Guid? Supersedes, Guid? SupersededBy, bool Active, Guid CreatedBy, DateTimeOffset CreatedAt);

/// <summary>
/// In-person results (workshop dots, paper ballots) per option. Entries are never edited or deleted: a correction is a
/// new entry that supersedes an old one. Results show online, in person and combined.
/// </summary>
public static class InPersonApi
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IEndpointRouteBuilder MapInPersonApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/ballots/{id:guid}/in-person-results").WithTags("In-person results").RequireAuthorization(AuthPolicies.Staff);
        group.MapPost("", ImportAsync);
        group.MapGet("", ListAsync);
        return app;
    }

    private static async Task<IResult> ImportAsync(Guid id, InPersonInput input, ClaimsPrincipal user, VotingDb db, BallotCache cache,
        TimeProvider time, ILoggerFactory loggers, CancellationToken ct)
    {
        var ballot = await cache.GetAsync(id, ct);
        if (ballot is null || ballot.Status == BallotStatus.Draft)
        {
            return Problems.NotFound();
        }
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(input.Source) || input.Source.Length > 200)
        {
            errors.Add("Bitte geben Sie die Herkunft an (höchstens 200 Zeichen), z. B. \"Zukunftswerkstatt 12.05.\".");
        }
        if (input.Note is { Length: > 2000 })
        {
            errors.Add("Die Notiz ist länger als 2.000 Zeichen.");
        }
        if (input.Participants is < 0)
        {
            errors.Add("Die Zahl der Teilnehmenden darf nicht negativ sein.");
        }
        if (input.Results.Count == 0 || input.Results.Select(r => r.OptionId).Distinct().Count() != input.Results.Count)
        {
            errors.Add("Bitte geben Sie je Option höchstens einen Wert an (mindestens einen insgesamt).");
        }
        foreach (var line in input.Results)
        {
            if (!ballot.Rules.HasOption(line.OptionId))
            {
                errors.Add($"Die Option {line.OptionId} gehört nicht zu dieser Abstimmung.");
            }
            if (line.Value < 0 || line.Value > 10_000_000)
            {
                errors.Add($"Der Wert für Option {line.OptionId} muss zwischen 0 und 10.000.000 liegen.");
            }
        }
        if (errors.Count > 0)
        {
            return Problems.Invalid("results", errors);
        }

        // EF's retrying execution strategy needs the whole transaction as one retriable unit.
        var strategy = db.Database.CreateExecutionStrategy();
        var (failure, created) = await strategy.ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            InPersonEntry? superseded = null;
            if (input.Supersedes is { } oldId)
            {
                superseded = await db.InPersonEntries.FirstOrDefaultAsync(e => e.Id == oldId && e.BallotId == id, ct);
                if (superseded is null)
                {
                    return ((IResult?)Problems.NotFound("Der zu korrigierende Eintrag gehört nicht zu dieser Abstimmung."), (InPersonEntry?)null);
                }
                if (superseded.SupersededById is not null)
                {
                    return ((IResult?)Problems.Conflict("Dieser Eintrag wurde bereits korrigiert; bitte korrigieren Sie den neuesten Eintrag.", "already-superseded"), (InPersonEntry?)null);
                }
            }
            var entry = new InPersonEntry
            {
                Id = Guid.CreateVersion7(), BallotId = id, Source = input.Source.Trim(), Note = input.Note, Participants = input.Participants,
                Lines = JsonSerializer.Serialize(input.Results, Json), SupersedesId = superseded?.Id, CreatedBy = user.UserId(),
                CreatedAt = time.GetUtcNow(),
            };
            db.InPersonEntries.Add(entry);
            if (superseded is not null)
            {
                superseded.SupersededById = entry.Id;
            }
            await db.SaveChangesAsync(ct);

            if (ballot.Status == BallotStatus.Closed)
            {
                // The published result changes: publish it again with the same digest of the online vote set.
                var connection = (NpgsqlConnection)db.Database.GetDbConnection();
                var npgsqlTx = (NpgsqlTransaction)tx.GetDbTransaction();
                var online = await ResultsReader.ReadTallyAsync(connection, npgsqlTx, id);
                var (inPerson, participants) = await ResultsReader.ReadInPersonAsync(connection, npgsqlTx, id);
                var view = BallotResults.Compute(ballot, online, inPerson, participants, time.GetUtcNow());
                db.AddOutboxMessage(new ResultPublished(id, ballot.ProcessId, view.Method, BallotCloser.ToContract(view),
                    ballot.FinalDigest ?? "", time.GetUtcNow()));
                await db.SaveChangesAsync(ct);
            }
            await tx.CommitAsync(ct);
            return ((IResult?)null, (InPersonEntry?)entry);
        });
        if (failure is not null)
        {
            return failure;
        }
        loggers.CreateLogger(typeof(InPersonApi)).LogInformation(
            "Audit: in-person results {EntryId} for ballot {BallotId} imported by {UserId} (source {Source}, supersedes {Supersedes})",
            created!.Id, id, created.CreatedBy, created.Source, created.SupersedesId);
        return TypedResults.Created($"/ballots/{id}/in-person-results", View(created));
    }

    private static async Task<IResult> ListAsync(Guid id, VotingDb db, BallotCache cache, CancellationToken ct)
    {
        if (await cache.GetAsync(id, ct) is null)
        {
            return Problems.NotFound();
        }
        var entries = await db.InPersonEntries.AsNoTracking().Where(e => e.BallotId == id).OrderBy(e => e.CreatedAt).ToListAsync(ct);
        return TypedResults.Ok(entries.Select(View).ToList());
    }

    private static InPersonView View(InPersonEntry e) => new(e.Id, e.Source, e.Note, e.Participants,
        JsonSerializer.Deserialize<List<InPersonLine>>(e.Lines, Json) ?? [], e.SupersedesId, e.SupersededById,
        e.SupersededById is null, e.CreatedBy, e.CreatedAt);
}
