using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Mitreden.Moderation.Api.Data;
using Mitreden.ServiceDefaults.Auth;

namespace Mitreden.Moderation.Api.Features.Audit;

public sealed record AuditRecord(long Id, DateTimeOffset At, Guid? ActorId, string Action, Guid? ProcessId, Guid? CommentId,
    Guid? DecisionId, string? Reason, string? Note, string? PreviousState, string? NewState, string? Details);

/// <summary>Export of the append-only audit log. There is deliberately no endpoint that changes or deletes entries.</summary>
public static class AuditApi
{
    private static readonly string[] Header =
        ["id", "at", "actorId", "action", "processId", "commentId", "decisionId", "reason", "note", "previousState", "newState", "details"];

    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/audit", Export)
            .WithTags("Audit")
            .WithSummary("Export the audit log in [from, to) as JSON or CSV (UTF-8 with BOM, ';' separated).")
            .RequireAuthorization(AuthPolicies.Staff);
        return app;
    }

    private static Results<Ok<IAsyncEnumerable<AuditRecord>>, PushStreamHttpResult, ProblemHttpResult> Export(
        DateTimeOffset? from, DateTimeOffset? to, string? format, Guid? processId, ModerationDb db)
    {
        format = format?.ToLowerInvariant() ?? "json";
        if (format is not ("json" or "csv"))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Unknown format", detail: "format is json or csv.");
        }
        if (from is not null && to is not null && from > to)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Invalid range", detail: "from is after to.");
        }

        var query = db.AuditLog.AsNoTracking();
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
        var records = query.OrderBy(a => a.Id)
            .Select(a => new AuditRecord(a.Id, a.At, a.ActorId, a.Action, a.ProcessId, a.CommentId, a.DecisionId, a.Reason, a.Note,
                a.PreviousState, a.NewState, a.Details))
            .AsAsyncEnumerable();

        if (format == "json")
        {
            return TypedResults.Ok(records);
        }
        var fileName = string.Create(CultureInfo.InvariantCulture, $"moderation-audit-{DateTimeOffset.UtcNow:yyyyMMdd-HHmmss}.csv");
        return TypedResults.Stream(stream => WriteCsvAsync(stream, records), "text/csv; charset=utf-8", fileName);
    }

    private static async Task WriteCsvAsync(Stream stream, IAsyncEnumerable<AuditRecord> records)
    {
        // The BOM makes spreadsheet programs read umlauts correctly; ';' is the separator German Excel expects.
        await using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), leaveOpen: true);
        await using var csv = new CsvWriter(writer, new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            Delimiter = ";",
            // Notes are free text; a leading '=' must not become a spreadsheet formula.
            InjectionOptions = InjectionOptions.Escape,
        });
        foreach (var name in Header)
        {
            csv.WriteField(name);
        }
        await csv.NextRecordAsync();
        await foreach (var r in records)
        {
            csv.WriteField(r.Id.ToString(CultureInfo.InvariantCulture));
            csv.WriteField(r.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
            csv.WriteField(r.ActorId?.ToString() ?? "");
            csv.WriteField(r.Action);
            csv.WriteField(r.ProcessId?.ToString() ?? "");
            csv.WriteField(r.CommentId?.ToString() ?? "");
            csv.WriteField(r.DecisionId?.ToString() ?? "");
            csv.WriteField(r.Reason ?? "");
            csv.WriteField(r.Note ?? "");
            csv.WriteField(r.PreviousState ?? "");
            csv.WriteField(r.NewState ?? "");
            csv.WriteField(r.Details ?? "");
            await csv.NextRecordAsync();
        }
        await csv.FlushAsync();
    }
}
