namespace Mitreden.Proposals.Api.Features.Monitoring;

/// <summary>Proposals:Reports — where the report PDF finds its font.</summary>
public sealed class MonitoringReportOptions
{
    public string FontDirectory { get; set; } = ReportFonts.DefaultDirectory;
}
