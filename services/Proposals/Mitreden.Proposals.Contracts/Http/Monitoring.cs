namespace Mitreden.Proposals.Contracts.Http;

// Monitoring of measures (after the process) and the yearly report, owned by Proposals and read by the web
// (additive changes only). Enums travel as kebab-case strings ("not-started", "in-progress").

public enum MonitoringStatus { NotStarted, Planned, InProgress, Completed, Delayed, Dropped }

public sealed record MilestoneDto(string Title, DateOnly DueOn, DateOnly? DoneOn = null);

/// <param name="Milestones">Null keeps the current milestones; a list replaces them.</param>
/// <param name="Note">Goes into the monitoring history and the yearly report (public).</param>
public sealed record MonitoringRequest(MonitoringStatus Status, int ProgressPercent, string? ResponsibleOffice = null,
    IReadOnlyList<MilestoneDto>? Milestones = null, string? Note = null);

public sealed record MonitoringResponse(MonitoringStatus Status, int ProgressPercent, string? ResponsibleOffice,
    IReadOnlyList<MilestoneDto> Milestones, DateTimeOffset? UpdatedAt);

public sealed record MonitoredMeasure(Guid ItemId, string Title, IReadOnlyList<string> FieldsOfAction, Priority? Priority,
    MonitoringResponse Monitoring);

/// <param name="ByStatus">Measures per monitoring status code ("in-progress").</param>
/// <param name="ReportYears">The years a yearly report exists for, newest first (see GET …/monitoring/report).</param>
public sealed record MonitoringOverview(Guid ProcessId, string ProcessTitle, string City, int Measures,
    IReadOnlyDictionary<string, int> ByStatus, double AverageProgressPercent, IReadOnlyList<MonitoredMeasure> Items,
    IReadOnlyList<int> ReportYears);

/// <param name="DoneOn">Only when it was reached by the end of the report's year.</param>
public sealed record ReportMilestone(string Title, DateOnly DueOn, DateOnly? DoneOn);

/// <param name="ProgressAtStartOfYear">Progress recorded before 1 January of the year (0 when none).</param>
/// <param name="Status">State at the end of the year (or today for the running year), from the monitoring history.</param>
public sealed record ReportRow(Guid ItemId, string Title, string FieldsOfAction, Priority? Priority, string? ResponsibleOffice,
    MonitoringStatus Status, int ProgressPercent, int ProgressAtStartOfYear, IReadOnlyList<ReportMilestone> MilestonesDue,
    int MilestonesReached, int UpdatesInYear, string? LastNote, DateTimeOffset? LastUpdate);

public sealed record ReportSummary(int Measures, IReadOnlyDictionary<string, int> ByStatus, double AverageProgressPercent,
    int MilestonesDue, int MilestonesReached);

/// <summary>The yearly monitoring report as JSON (the same content as its PDF, spreadsheet and CSV forms).</summary>
public sealed record MonitoringReportDocument(Guid ProcessId, string ProcessTitle, string City, int Year, DateTimeOffset GeneratedAt,
    ReportSummary Summary, IReadOnlyList<ReportRow> Measures);
