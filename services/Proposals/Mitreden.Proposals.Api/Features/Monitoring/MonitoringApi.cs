using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Mitreden.Proposals.Api.Data;
using Mitreden.Proposals.Api.Features.Items;
using Mitreden.Proposals.Api.Features.Processes;
using Mitreden.Proposals.Contracts;
using Mitreden.ServiceDefaults.Auth;

namespace Mitreden.Proposals.Api.Features.Monitoring;

public static class MonitoringApi
{
    public static IEndpointRouteBuilder MapMonitoringApi(this IEndpointRouteBuilder app)
    {
        app.MapPut("/items/{itemId:guid}/monitoring", Update).WithTags("Monitoring").RequireAuthorization(AuthPolicies.Staff);
        var group = app.MapGroup("/processes/{processId:guid}/monitoring").WithTags("Monitoring");
        group.MapGet("/", Overview).AllowAnonymous();
        // Public like the overview: the yearly report is published for council and open data; it holds no internal notes.
        group.MapGet("/report", Report).AllowAnonymous();
        return app;
    }

    private static async Task<Results<Ok<ItemResponse>, ProblemHttpResult>> Update(Guid itemId, MonitoringRequest request, ProposalsDb db,
        ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        var item = await ItemsApi.LoadAsync(db, itemId, tracking: true, ct);
        var process = item is null ? null : await db.Processes.AsNoTracking().SingleOrDefaultAsync(p => p.Id == item.ProcessId, ct);
        if (item is null || process is null)
        {
            return ApiProblems.NotFound("The item");
        }
        if (process.Status == ProcessStatus.Archived)
        {
            return ApiProblems.Conflict("The process is archived and can no longer change.");
        }
        var errors = MonitoringRules.Check(item, request);
        if (errors.Count > 0)
        {
            return ApiProblems.Invalid(errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()));
        }
        MonitoringRules.Apply(db, item, request, user.OptionalUserId(), clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(await ItemsApi.RespondAsync(db, item, user, ct));
    }

    private static async Task<Results<Ok<MonitoringOverview>, ProblemHttpResult>> Overview(Guid processId, ProposalsDb db,
        ClaimsPrincipal user, CancellationToken ct)
    {
        var process = await db.FindVisibleAsync(processId, user, ct);
        if (process is null)
        {
            return ApiProblems.NotFound("The process");
        }
        var measures = await db.Items.AsNoTracking().Include(i => i.FieldsOfAction).Include(i => i.Milestones).AsSplitQuery()
            .Where(i => i.ProcessId == processId && i.Kind == ItemKinds.Measure).OrderBy(i => i.Title).ToListAsync(ct);
        var fieldTitles = await db.FieldsOfAction.AsNoTracking().Where(f => f.ProcessId == processId).ToDictionaryAsync(f => f.Id, f => f.Title, ct);
        var rows = measures.Select(m => new MonitoredMeasure(m.Id, m.Title,
            m.FieldsOfAction.Select(f => fieldTitles.GetValueOrDefault(f.FieldOfActionId) ?? "").Order().ToList(),
            m.Priority, MonitoringResponse.From(m))).ToList();
        return TypedResults.Ok(new MonitoringOverview(process.Id, process.Title, process.City, rows.Count,
            rows.GroupBy(r => KebabEnum.ToText(r.Monitoring.Status)).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Count()),
            rows.Count == 0 ? 0 : Math.Round(rows.Average(r => r.Monitoring.ProgressPercent), 1),
            rows));
    }

    private static async Task<Results<FileContentHttpResult, Ok<MonitoringReportDocument>, ProblemHttpResult>> Report(Guid processId,
        int? year, string? format, ProposalsDb db, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        var process = await db.FindVisibleAsync(processId, user, ct);
        if (process is null)
        {
            return ApiProblems.NotFound("The process");
        }
        var now = clock.GetUtcNow();
        var reportYear = year ?? GermanTime.Of(now).Year;
        var v = new Validator();
        v.Check(reportYear is >= 2000 and <= 2100, "year", "Must be between 2000 and 2100.");
        v.Check(format is null or "csv" or "json", "format", "Must be 'csv' or 'json' (PDF is not offered).");
        if (v.Failed)
        {
            return v.Problem();
        }
        var report = await MonitoringReport.BuildAsync(db, process, reportYear, now, ct);
        if (format == "csv")
        {
            return TypedResults.File(MonitoringReport.ToCsv(report), "text/csv; charset=utf-8",
                $"monitoring-{Slug(process.City)}-{reportYear}.csv");
        }
        return TypedResults.Ok(report);
    }

    private static string Slug(string text) =>
        new(text.ToLowerInvariant().Replace("ü", "ue").Replace("ö", "oe").Replace("ä", "ae").Replace("ß", "ss")
            .Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray());
}
