using Mitreden.Proposals.Api.Data;

namespace Mitreden.Proposals.Api.Features.Monitoring;

public sealed record MilestoneDto(string Title, DateOnly DueOn, DateOnly? DoneOn = null);

/// <param name="Milestones">Null keeps the current milestones; a list replaces them.</param>
/// <param name="Note">Goes into the monitoring history and the yearly report (public).</param>
public sealed record MonitoringRequest(MonitoringStatus Status, int ProgressPercent, string? ResponsibleOffice = null,
    IReadOnlyList<MilestoneDto>? Milestones = null, string? Note = null);

public sealed record MonitoringResponse(MonitoringStatus Status, int ProgressPercent, string? ResponsibleOffice,
    IReadOnlyList<MilestoneDto> Milestones, DateTimeOffset? UpdatedAt)
{
    public static MonitoringResponse From(Item item) => new(item.MonitoringStatus ?? MonitoringStatus.NotStarted, item.ProgressPercent ?? 0,
        item.ResponsibleOffice,
        item.Milestones.OrderBy(m => m.Position).ThenBy(m => m.DueOn).Select(m => new MilestoneDto(m.Title, m.DueOn, m.DoneOn)).ToList(),
        item.MonitoringUpdatedAt);
}

public sealed record MonitoredMeasure(Guid ItemId, string Title, IReadOnlyList<string> FieldsOfAction, Priority? Priority,
    MonitoringResponse Monitoring);

/// <param name="ReportYears">The years a yearly report exists for, newest first (see GET …/monitoring/report).</param>
public sealed record MonitoringOverview(Guid ProcessId, string ProcessTitle, string City, int Measures,
    IReadOnlyDictionary<string, int> ByStatus, double AverageProgressPercent, IReadOnlyList<MonitoredMeasure> Items,
    IReadOnlyList<int> ReportYears);

/// <summary>Proposals:Reports — where the report PDF finds its font.</summary>
public sealed class MonitoringReportOptions
{
    public string FontDirectory { get; set; } = ReportFonts.DefaultDirectory;
}
