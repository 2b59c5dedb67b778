using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using Mitreden.ServiceDefaults.Exports;
using Microsoft.EntityFrameworkCore;
using Mitreden.Proposals.Api.Data;
using Mitreden.Proposals.Contracts;

namespace Mitreden.Proposals.Api.Features.Monitoring;

public sealed record ReportMilestone(string Title, DateOnly DueOn, DateOnly? DoneOn);

/// <param name="ProgressAtStartOfYear">Progress recorded before 1 January of the year (0 when none).</param>
/// <param name="Status">State at the end of the year (or today for the running year), from the monitoring history.</param>
public sealed record ReportRow(Guid ItemId, string Title, string FieldsOfAction, Priority? Priority, string? ResponsibleOffice,
    MonitoringStatus Status, int ProgressPercent, int ProgressAtStartOfYear, IReadOnlyList<ReportMilestone> MilestonesDue,
    int MilestonesReached, int UpdatesInYear, string? LastNote, DateTimeOffset? LastUpdate);

public sealed record ReportSummary(int Measures, IReadOnlyDictionary<string, int> ByStatus, double AverageProgressPercent,
    int MilestonesDue, int MilestonesReached);

public sealed record MonitoringReportDocument(Guid ProcessId, string ProcessTitle, string City, int Year, DateTimeOffset GeneratedAt,
    ReportSummary Summary, IReadOnlyList<ReportRow> Measures);

/// <summary>
/// The yearly monitoring report (what the city presents to the council and the public): every measure with its state
/// at the end of the year, the progress made during the year and the milestones that were due.
/// </summary>
internal static class MonitoringReport
{
    public static async Task<MonitoringReportDocument> BuildAsync(ProposalsDb db, Process process, int year, DateTimeOffset now,
        CancellationToken ct)
    {
        var yearStart = GermanTime.StartOfYear(year);
        var yearEnd = GermanTime.StartOfYear(year + 1);
        var measures = await db.Items.AsNoTracking().Include(i => i.FieldsOfAction).Include(i => i.Milestones).AsSplitQuery()
            .Where(i => i.ProcessId == process.Id && i.Kind == ItemKinds.Measure && i.CreatedAt < yearEnd)
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

    public static readonly IReadOnlyDictionary<MonitoringStatus, string> GermanStatus = new Dictionary<MonitoringStatus, string>
    {
        [MonitoringStatus.NotStarted] = "nicht begonnen",
        [MonitoringStatus.Planned] = "in Planung",
        [MonitoringStatus.InProgress] = "in Umsetzung",
        [MonitoringStatus.Completed] = "umgesetzt",
        [MonitoringStatus.Delayed] = "verzögert",
        [MonitoringStatus.Dropped] = "nicht weiterverfolgt",
    };

    private static readonly IReadOnlyDictionary<Priority, string> GermanPriority = new Dictionary<Priority, string>
    {
        [Priority.High] = "hoch",
        [Priority.Medium] = "mittel",
        [Priority.Low] = "niedrig",
    };

    /// <summary>CSV for German Excel: UTF-8 with BOM, ';' between fields, German number and date formats.</summary>
    public static byte[] ToCsv(MonitoringReportDocument report)
    {
        var german = CultureInfo.GetCultureInfo("de-DE");
        using var buffer = new MemoryStream();
        using (var writer = new StreamWriter(buffer, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), leaveOpen: true))
        using (var csv = new CsvWriter(writer, new CsvConfiguration(german) { Delimiter = ";", NewLine = "\r\n" }))
        {
            foreach (var header in new[]
                     {
                         "Maßnahme", "Handlungsfelder", "Priorität", "Zuständigkeit", $"Status Ende {report.Year}", "Fortschritt %",
                         $"Fortschritt % am 1.1.{report.Year}", "Fortschritt im Jahr (Prozentpunkte)", "Fällige Meilensteine",
                         "Erreichte Meilensteine", "Meilensteine", "Aktualisierungen im Jahr", "Letzte Anmerkung", "Letzte Aktualisierung", "ID",
                     })
            {
                csv.WriteField(header);
            }
            csv.NextRecord();
            foreach (var r in report.Measures)
            {
                // Text cells go through the one CSV text rule (formula neutralising); numbers are written as they are.
                csv.WriteField(CsvText.Cell(r.Title));
                csv.WriteField(CsvText.Cell(r.FieldsOfAction));
                csv.WriteField(r.Priority is { } p ? GermanPriority[p] : "");
                csv.WriteField(CsvText.Cell(r.ResponsibleOffice));
                csv.WriteField(GermanStatus[r.Status]);
                csv.WriteField(r.ProgressPercent.ToString(german));
                csv.WriteField(r.ProgressAtStartOfYear.ToString(german));
                csv.WriteField((r.ProgressPercent - r.ProgressAtStartOfYear).ToString(german));
                csv.WriteField(r.MilestonesDue.Count.ToString(german));
                csv.WriteField(r.MilestonesReached.ToString(german));
                csv.WriteField(CsvText.Cell(string.Join(" | ", r.MilestonesDue.Select(m =>
                    $"{m.Title} (fällig {m.DueOn.ToString("dd.MM.yyyy", german)}{(m.DoneOn is { } d ? ", erreicht " + d.ToString("dd.MM.yyyy", german) : "")})"))));
                csv.WriteField(r.UpdatesInYear.ToString(german));
                csv.WriteField(CsvText.Cell(r.LastNote));
                csv.WriteField(r.LastUpdate is { } at ? GermanTime.Of(at).ToString("dd.MM.yyyy", german) : "");
                csv.WriteField(r.ItemId.ToString());
                csv.NextRecord();
            }
        }
        return buffer.ToArray();
    }
}

/// <summary>Years and dates of the report follow the city's clock (Europe/Berlin), not UTC.</summary>
internal static class GermanTime
{
    private static readonly TimeZoneInfo Zone = Find();

    public static DateTimeOffset Of(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, Zone);

    public static DateTimeOffset StartOfYear(int year)
    {
        var local = new DateTime(year, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, Zone.GetUtcOffset(local)).ToUniversalTime();
    }

    private static TimeZoneInfo Find()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            // Without tz data (minimal containers) fall back to CET; only daylight saving time is lost.
            return TimeZoneInfo.CreateCustomTimeZone("CET", TimeSpan.FromHours(1), "CET", "CET");
        }
    }
}
