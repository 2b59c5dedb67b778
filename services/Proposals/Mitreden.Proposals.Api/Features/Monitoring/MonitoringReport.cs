using System.Globalization;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Mitreden.Proposals.Api.Data;
using Mitreden.Proposals.Api.Domain;
using Mitreden.Proposals.Contracts;
using Mitreden.Proposals.Contracts.Http;
using Mitreden.ServiceDefaults.Exports;
using Mitreden.ServiceDefaults.Time;

namespace Mitreden.Proposals.Api.Features.Monitoring;

/// <summary>
/// The yearly monitoring report (what the city presents to the council and the public): every measure with its state
/// at the end of the year, the progress made during the year and the milestones that were due.
/// </summary>
internal static class MonitoringReport
{
    /// <param name="user">Measures of phases the caller may not see are left out.</param>
    public static async Task<MonitoringReportDocument> BuildAsync(ProposalsDb db, Process process, int year, DateTimeOffset now,
        ClaimsPrincipal user, CancellationToken ct)
    {
        var yearStart = CityTime.StartOfYear(year);
        var yearEnd = CityTime.StartOfYear(year + 1);
        var measures = await db.Items.AsNoTracking().Include(i => i.FieldsOfAction).Include(i => i.Milestones).AsSplitQuery()
            .Where(i => i.ProcessId == process.Id && i.Kind == ItemKinds.Measure && i.CreatedAt < yearEnd).VisibleTo(db, user)
            .OrderBy(i => i.Title).ToListAsync(ct);
        var ids = measures.Select(m => m.Id).ToList();
        var entries = (await db.MonitoringEntries.AsNoTracking().Where(e => ids.Contains(e.ItemId) && e.RecordedAt < yearEnd)
                .OrderBy(e => e.RecordedAt).ToListAsync(ct))
            .ToLookup(e => e.ItemId);
        var fieldTitles = await db.FieldsOfAction.AsNoTracking().Where(f => f.ProcessId == process.Id).ToDictionaryAsync(f => f.Id, f => f.Title, ct);

        var firstDay = new DateOnly(year, 1, 1);
        var lastDay = new DateOnly(year, 12, 31);
        var rows = measures.Select(m =>
        {
            var history = entries[m.Id].ToList();
            var atEnd = history.LastOrDefault();
            var atStart = history.LastOrDefault(e => e.RecordedAt < yearStart);
            var inYear = history.Where(e => e.RecordedAt >= yearStart).ToList();
            var due = m.Milestones.Where(x => x.DueOn >= firstDay && x.DueOn <= lastDay).OrderBy(x => x.DueOn)
                .Select(x => new ReportMilestone(x.Title, x.DueOn, x.DoneOn is { } done && done <= lastDay ? done : null)).ToList();
            return new ReportRow(m.Id, m.Title,
                string.Join(", ", m.FieldsOfAction.Select(f => fieldTitles.GetValueOrDefault(f.FieldOfActionId)).Where(t => t is not null).Order()),
                m.Priority, atEnd?.ResponsibleOffice ?? m.ResponsibleOffice,
                atEnd?.Status ?? MonitoringStatus.NotStarted, atEnd?.ProgressPercent ?? 0, atStart?.ProgressPercent ?? 0,
                due, due.Count(x => x.DoneOn is not null), inYear.Count, inYear.LastOrDefault(e => e.Note is not null)?.Note, atEnd?.RecordedAt);
        }).ToList();

        var summary = new ReportSummary(rows.Count,
            rows.GroupBy(r => KebabEnum.ToText(r.Status)).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Count()),
            rows.Count == 0 ? 0 : Math.Round(rows.Average(r => r.ProgressPercent), 1),
            rows.Sum(r => r.MilestonesDue.Count), rows.Sum(r => r.MilestonesReached));
        return new MonitoringReportDocument(process.Id, process.Title, process.City, year, now, summary, rows);
    }

    /// <summary>The words of the web's German status labels (MonitoringStatus_* in its resources), lower case inside sentences.</summary>
    public static readonly IReadOnlyDictionary<MonitoringStatus, string> GermanStatus = new Dictionary<MonitoringStatus, string>
    {
        [MonitoringStatus.NotStarted] = "nicht begonnen",
        [MonitoringStatus.Planned] = "geplant",
        [MonitoringStatus.InProgress] = "in Umsetzung",
        [MonitoringStatus.Completed] = "abgeschlossen",
        [MonitoringStatus.Delayed] = "verzögert",
        [MonitoringStatus.Dropped] = "aufgegeben",
    };

    private static readonly IReadOnlyDictionary<Priority, string> GermanPriority = new Dictionary<Priority, string>
    {
        [Priority.High] = "hoch",
        [Priority.Medium] = "mittel",
        [Priority.Low] = "niedrig",
    };

    /// <summary>The priority as the report writes it.</summary>
    public static string GermanPriorityOf(Priority? priority) => priority is { } p ? GermanPriority[p] : "";

    /// <summary>A date as the report writes it (German, the city's calendar).</summary>
    public static string Date(DateOnly date) => date.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture);

    /// <summary>A milestone as one line: "Bauabschnitt 3 (fällig 31.10.2024, erreicht 15.10.2024)".</summary>
    public static string MilestoneText(ReportMilestone m) =>
        $"{m.Title} (fällig {Date(m.DueOn)}{(m.DoneOn is { } d ? ", erreicht " + Date(d) : "")})";

    /// <summary>
    /// The report as one table for the spreadsheet formats (csv, csv-de, xlsx): the shared writers neutralise formula
    /// text and keep numbers numbers. Column names and values are German, the language of the report.
    /// </summary>
    public static ExportTable Table(MonitoringReportDocument report) => new($"Monitoring {report.Year}",
        [
            "Maßnahme", "Handlungsfelder", "Priorität", "Zuständigkeit", $"Status Ende {report.Year}", "Fortschritt %",
            $"Fortschritt % am 1.1.{report.Year}", "Fortschritt im Jahr (Prozentpunkte)", "Fällige Meilensteine",
            "Erreichte Meilensteine", "Meilensteine", "Aktualisierungen im Jahr", "Letzte Anmerkung", "Letzte Aktualisierung", "ID",
        ],
        report.Measures.Select(r => new object?[]
        {
            r.Title, r.FieldsOfAction, r.Priority is null ? null : GermanPriorityOf(r.Priority), r.ResponsibleOffice, GermanStatus[r.Status],
            r.ProgressPercent, r.ProgressAtStartOfYear, r.ProgressPercent - r.ProgressAtStartOfYear, r.MilestonesDue.Count,
            r.MilestonesReached, string.Join(" | ", r.MilestonesDue.Select(MilestoneText)), r.UpdatesInYear, r.LastNote,
            r.LastUpdate is { } at ? Date(CityTime.DateOf(at)) : null, r.ItemId.ToString(),
        }).ToAsyncEnumerable());
}
