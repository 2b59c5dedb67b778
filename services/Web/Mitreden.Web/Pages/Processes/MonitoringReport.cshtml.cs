using Microsoft.AspNetCore.Mvc;
using Mitreden.Proposals.Contracts.Http;
using Mitreden.Web.Api;
using Mitreden.Web.Infrastructure;

namespace Mitreden.Web.Pages.Processes;

/// <summary>
/// The yearly monitoring report for council and public: a year picker, the figures, a chart and a table per measure,
/// printable, with the PDF and spreadsheet downloads Proposals makes.
/// </summary>
public sealed class MonitoringReportModel(ProposalsApi proposals) : WebPage
{
    /// <summary>The downloads offered, in the order shown (Proposals refuses any other format).</summary>
    public static readonly IReadOnlyList<string> Downloads = ["pdf", "xlsx", "csv-de"];

    public ProcessResponse Process { get; private set; } = null!;
    public MonitoringReportDocument Report { get; private set; } = null!;
    public IReadOnlyList<int> Years { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, [FromQuery(Name = "jahr")] int? year, CancellationToken ct)
    {
        var process = await proposals.ProcessAsync(id, ct);
        if (!process.Ok)
        {
            return StatusCode(process.Status == 404 ? 404 : 400);
        }
        Process = process.Value!;
        var overview = await proposals.MonitoringAsync(id, ct);
        Years = overview.Value?.ReportYears ?? [];
        var report = await proposals.MonitoringReportAsync(id, year, ct);
        if (!report.Ok)
        {
            // An unknown or future year: the service says which years exist; show the newest report with the message.
            AddProblem(report.Problem!);
            report = await proposals.MonitoringReportAsync(id, null, ct);
            if (!report.Ok)
            {
                return StatusCode(report.Status == 404 ? 404 : 400);
            }
        }
        Report = report.Value!;
        return Page();
    }

    public async Task<IActionResult> OnGetDownloadAsync(Guid id, [FromQuery(Name = "jahr")] int year, string format, CancellationToken ct)
    {
        var (file, problem) = await proposals.MonitoringReportFileAsync(id, year, format, ct);
        if (file is null)
        {
            return StatusCode(problem!.Status is 404 or 503 ? problem.Status : 400);
        }
        return File(file.Content, file.ContentType, file.FileName ?? $"monitoring-{year}");
    }
}
