using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Mitreden.Proposals.Api.Data;
using Mitreden.Proposals.Api.Domain;
using Mitreden.Proposals.Api.Features.Items;
using Mitreden.Proposals.Contracts;
using Mitreden.Proposals.Contracts.Http;
using Mitreden.ServiceDefaults.Auth;
using Mitreden.ServiceDefaults.Exports;
using Mitreden.ServiceDefaults.Http;
using Mitreden.ServiceDefaults.Time;

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
            return Problems.NotFound("The item does not exist.");
        }
        if (process.Status == ProcessStatus.Archived)
        {
            return Problems.Conflict("The process is archived and can no longer change.", "process-archived");
        }
        var errors = MonitoringRules.Check(item, request);
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()));
        }
        MonitoringRules.Apply(db, item, request, user.OptionalUserId(), clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(await ItemsApi.RespondAsync(db, item, user, ct));
    }

    private static async Task<Results<Ok<MonitoringOverview>, ProblemHttpResult>> Overview(Guid processId, ProposalsDb db,
        ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        var process = await db.FindVisibleAsync(processId, user, ct);
        if (process is null)
        {
            return Problems.NotFound("The process does not exist.");
        }
        var measures = await db.Items.AsNoTracking().Include(i => i.FieldsOfAction).Include(i => i.Milestones).AsSplitQuery()
            .Where(i => i.ProcessId == processId && i.Kind == ItemKinds.Measure).VisibleTo(db, user).OrderBy(i => i.Title).ToListAsync(ct);
        var fieldTitles = await db.FieldsOfAction.AsNoTracking().Where(f => f.ProcessId == processId).ToDictionaryAsync(f => f.Id, f => f.Title, ct);
        var rows = measures.Select(m => new MonitoredMeasure(m.Id, m.Title,
            m.FieldsOfAction.Select(f => fieldTitles.GetValueOrDefault(f.FieldOfActionId) ?? "").Order().ToList(),
            m.Priority, MonitoringResponses.From(m))).ToList();
        return TypedResults.Ok(new MonitoringOverview(process.Id, process.Title, process.City, rows.Count,
            rows.GroupBy(r => KebabEnum.ToText(r.Monitoring.Status)).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Count()),
            rows.Count == 0 ? 0 : Math.Round(rows.Average(r => r.Monitoring.ProgressPercent), 1),
            rows, await ReportYearsAsync(db, process, clock.GetUtcNow(), ct)));
    }

    /// <summary>The formats of the yearly report: JSON (default), CSV (RFC 4180), CSV for German Excel, XLSX and PDF.</summary>
    public static readonly IReadOnlyList<string> ReportFormats = ["json", "csv", "csv-de", "xlsx", "pdf"];

    private static async Task<Results<FileContentHttpResult, Ok<MonitoringReportDocument>, ProblemHttpResult>> Report(Guid processId,
        int? year, string? format, ProposalsDb db, ClaimsPrincipal user, TimeProvider clock, IOptions<MonitoringReportOptions> options,
        CancellationToken ct)
    {
        var process = await db.FindVisibleAsync(processId, user, ct);
        if (process is null)
        {
            return Problems.NotFound("The process does not exist.");
        }
        var now = clock.GetUtcNow();
        var years = await ReportYearsAsync(db, process, now, ct);
        var reportYear = year ?? years[0];
        var v = new Validator();
        v.Check(reportYear >= 2000 && reportYear <= years[0], "year", $"Must be between 2000 and {years[0]}.");
        v.Check(format is null || ReportFormats.Contains(format), "format", $"Must be one of: {string.Join(", ", ReportFormats)}.");
        if (v.Failed)
        {
            return v.Problem();
        }
        var fontDirectory = options.Value.FontDirectory;
        if (format == "pdf" && !ReportFonts.Available(fontDirectory))
        {
            return Problems.Unavailable("The PDF report needs the DejaVu fonts (Debian package fonts-dejavu-core); the other formats work.");
        }
        var report = await MonitoringReport.BuildAsync(db, process, reportYear, now, user, ct);
        var name = $"monitoring-{Slug(process.City)}-{reportYear}";
        switch (format)
        {
            case "csv" or "csv-de":
            {
                using var output = new MemoryStream();
                await CsvExport.WriteAsync(output, MonitoringReport.Table(report), german: format == "csv-de", ct);
                return TypedResults.File(output.ToArray(), "text/csv; charset=utf-8", $"{name}.csv");
            }
            case "xlsx":
            {
                using var output = new MemoryStream();
                await XlsxExport.WriteAsync(output, MonitoringReport.Table(report), ct);
                return TypedResults.File(output.ToArray(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"{name}.xlsx");
            }
            case "pdf":
                return TypedResults.File(MonitoringReportPdf.Render(report, fontDirectory), "application/pdf", $"{name}.pdf");
            default:
                return TypedResults.Ok(report);
        }
    }

    /// <summary>
    /// The years a report can be asked for, newest first: from the year the process was set up (or its first measure,
    /// if measures were taken over from before) to the current year, Europe/Berlin.
    /// </summary>
    public static async Task<IReadOnlyList<int>> ReportYearsAsync(ProposalsDb db, Process process, DateTimeOffset now, CancellationToken ct)
    {
        var firstMeasure = await db.Items.Where(i => i.ProcessId == process.Id && i.Kind == ItemKinds.Measure)
            .MinAsync(i => (DateTimeOffset?)i.CreatedAt, ct);
        var first = CityTime.ToLocal(firstMeasure < process.CreatedAt ? firstMeasure.Value : process.CreatedAt).Year;
        var last = Math.Max(first, CityTime.ToLocal(now).Year);
        return Enumerable.Range(first, last - first + 1).Reverse().ToList();
    }

    private static string Slug(string text) =>
        new(text.ToLowerInvariant().Replace("ü", "ue").Replace("ö", "oe").Replace("ä", "ae").Replace("ß", "ss")
            .Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray());
}
