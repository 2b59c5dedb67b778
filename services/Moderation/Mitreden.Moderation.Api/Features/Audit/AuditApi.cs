using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using Mitreden.ServiceDefaults.Exports;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Mitreden.Moderation.Api.Data;
using Mitreden.ServiceDefaults.Auth;
using Mitreden.ServiceDefaults.Http;
using Mitreden.Moderation.Contracts.Http;

namespace Mitreden.Moderation.Api.Features.Audit;

/// <summary>
/// The append-only audit log: moderators read it page by page (newest first, filtered), staff export all of it as JSON
/// or CSV. Entries hold pseudonymous ids only (the moderation database knows no names or emails). There is deliberately
/// no endpoint that changes or deletes entries.
/// </summary>
public static class AuditApi
{
    private static readonly string[] Header =
        ["id", "at", "actorId", "action", "processId", "commentId", "decisionId", "reason", "note", "previousState", "newState", "details"];

    /// <summary>The same columns for people reading the file in German Excel (format csv-de).</summary>
    private static readonly string[] GermanHeader =
        ["Nr.", "Zeitpunkt (Ortszeit)", "Handelnde Person (Kennung)", "Aktion", "Prozess", "Beitrag", "Entscheidung", "Grund", "Notiz",
            "Zustand vorher", "Zustand nachher", "Einzelheiten"];

    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/audit", Export)
            .WithTags("Audit")
            .WithSummary("Export the audit log in [from, to) as JSON, CSV (stable English column names and codes, UTF-8 with BOM, ';' separated) or csv-de (German column names and values, local time, for people).")
            .RequireAuthorization(AuthPolicies.Staff).ProducesProblems(400, 401, 403, 422);
        app.MapGet("/audit/entries", ListAsync)
            .WithTags("Audit")
            .WithSummary("Read the audit log, newest first, a page at a time; filter by process, action and time range [from, to).")
            .RequireAuthorization(AuthPolicies.Moderator).ProducesProblems(400, 401, 403, 422);
        return app;
    }

    private const string RangeReversed = "Der Beginn (from) liegt nach dem Ende (to).";

    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    private static async Task<Results<Ok<AuditPage>, ProblemHttpResult>> ListAsync(DateTimeOffset? from, DateTimeOffset? to, Guid? processId,
        string? action, string? cursor, int? pageSize, ModerationDb db, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var errorCodes = new Dictionary<string, string>();
        long? before = null;
        if (!string.IsNullOrEmpty(cursor))
        {
            if (long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0)
            {
                before = id;
            }
            else
            {
                errors["cursor"] = ["Das ist kein Cursor dieser Liste."];
                errorCodes["cursor"] = "audit-cursor-invalid";
            }
        }
        var size = pageSize ?? DefaultPageSize;
        if (size is < 1 or > MaxPageSize)
        {
            errors["pageSize"] = [$"Die Seitengröße muss zwischen 1 und {MaxPageSize} liegen."];
            errorCodes["pageSize"] = "audit-page-size";
        }
        if (action is { Length: > 64 })
        {
            errors["action"] = ["Höchstens 64 Zeichen."];
            errorCodes["action"] = "audit-action-length";
        }
        if (from is not null && to is not null && from > to)
        {
            errors["from"] = [RangeReversed];
            errorCodes["from"] = "range-reversed";
        }
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors, "Die Abfrage des Prüfprotokolls ist ungültig.", errorCodes);
        }

        var query = Filter(db.AuditLog.AsNoTracking(), from, to, processId);
        if (!string.IsNullOrWhiteSpace(action))
        {
            var wanted = action.Trim().ToLowerInvariant();
            query = query.Where(a => a.Action == wanted);
        }
        if (before is { } b)
        {
            query = query.Where(a => a.Id < b);
        }
        var rows = await query.OrderByDescending(a => a.Id).Take(size + 1)
            .Select(a => new AuditRecord(a.Id, a.At, a.ActorId, a.Action, a.ProcessId, a.CommentId, a.DecisionId, a.Reason, a.Note,
                a.PreviousState, a.NewState, a.Details))
            .ToListAsync(ct);
        var next = rows.Count > size ? rows[size - 1].Id.ToString(CultureInfo.InvariantCulture) : null;
        return TypedResults.Ok(new AuditPage(rows.Take(size).ToList(), next));
    }

    private static IQueryable<Data.AuditEntry> Filter(IQueryable<Data.AuditEntry> query, DateTimeOffset? from, DateTimeOffset? to, Guid? processId)
    {
        if (from is { } f)
        {
            query = query.Where(a => a.At >= f);
        }
        if (to is { } t)
        {
            query = query.Where(a => a.At < t);
        }
        if (processId is { } p)
        {
            query = query.Where(a => a.ProcessId == p);
        }
        return query;
    }

    private static Results<Ok<IAsyncEnumerable<AuditRecord>>, PushStreamHttpResult, ProblemHttpResult> Export(
        DateTimeOffset? from, DateTimeOffset? to, string? format, Guid? processId, ModerationDb db)
    {
        format = format?.ToLowerInvariant() ?? "json";
        if (format is not ("json" or "csv" or "csv-de"))
        {
            return Problems.BadRequest("Das Format ist json, csv oder csv-de.", "unknown-format", "format");
        }
        if (from is not null && to is not null && from > to)
        {
            return Problems.Invalid([new KeyValuePair<string, string[]>("from", [RangeReversed])], RangeReversed,
                new Dictionary<string, string> { ["from"] = "range-reversed" }, code: "range-reversed");
        }

        var records = Filter(db.AuditLog.AsNoTracking(), from, to, processId).OrderBy(a => a.Id)
            .Select(a => new AuditRecord(a.Id, a.At, a.ActorId, a.Action, a.ProcessId, a.CommentId, a.DecisionId, a.Reason, a.Note,
                a.PreviousState, a.NewState, a.Details))
            .AsAsyncEnumerable();

        if (format == "json")
        {
            return TypedResults.Ok(records);
        }
        var german = format == "csv-de";
        var fileName = string.Create(CultureInfo.InvariantCulture,
            $"{(german ? "moderationsprotokoll" : "moderation-audit")}-{DateTimeOffset.UtcNow:yyyyMMdd-HHmmss}.csv");
        return TypedResults.Stream(stream => WriteCsvAsync(stream, records, german), "text/csv; charset=utf-8", fileName);
    }

    private static async Task WriteCsvAsync(Stream stream, IAsyncEnumerable<AuditRecord> records, bool german)
    {
        // The BOM makes spreadsheet programs read umlauts correctly; ';' is the separator German Excel expects.
        await using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), leaveOpen: true);
        await using var csv = new CsvWriter(writer, new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            Delimiter = ";",
        });
        foreach (var name in german ? GermanHeader : Header)
        {
            csv.WriteField(name);
        }
        await csv.NextRecordAsync();
        await foreach (var r in records)
        {
            csv.WriteField(r.Id.ToString(CultureInfo.InvariantCulture));
            csv.WriteField(german
                ? AuditGerman.LocalTime(r.At)
                : r.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
            csv.WriteField(r.ActorId?.ToString() ?? (german ? AuditGerman.Automatic : ""));
            // Text cells go through the one CSV text rule: notes and details are free text.
            csv.WriteField(CsvText.Cell(german ? AuditGerman.Action(r.Action) : r.Action));
            csv.WriteField(r.ProcessId?.ToString() ?? "");
            csv.WriteField(r.CommentId?.ToString() ?? "");
            csv.WriteField(r.DecisionId?.ToString() ?? "");
            csv.WriteField(CsvText.Cell(german ? AuditGerman.Reason(r.Reason) : r.Reason));
            csv.WriteField(CsvText.Cell(r.Note));
            csv.WriteField(CsvText.Cell(german ? AuditGerman.State(r.PreviousState) : r.PreviousState));
            csv.WriteField(CsvText.Cell(german ? AuditGerman.State(r.NewState) : r.NewState));
            csv.WriteField(CsvText.Cell(r.Details));
            await csv.NextRecordAsync();
        }
        await csv.FlushAsync();
    }
}
