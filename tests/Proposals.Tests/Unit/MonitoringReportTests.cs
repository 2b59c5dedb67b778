using System.Text;
using Mitreden.Proposals.Api.Data;
using Mitreden.Proposals.Api.Features.Monitoring;

namespace Mitreden.Proposals.Tests.Unit;

public sealed class MonitoringReportTests
{
    [Fact]
    public void ToCsv_Report_IsUtf8WithBomSemicolonsAndGermanFormats()
    {
        var report = new MonitoringReportDocument(Guid.NewGuid(), "ISEK", "Delmenhorst", 2024, DateTimeOffset.UtcNow,
            new ReportSummary(1, new Dictionary<string, int> { ["in-progress"] = 1 }, 85, 1, 1),
            [
                new ReportRow(Guid.NewGuid(), "Umbau; Rathausplatz", "Innenstadt", Priority.High, "Fachdienst Stadtplanung",
                    MonitoringStatus.InProgress, 85, 60, [new ReportMilestone("Bauabschnitt 3", new DateOnly(2024, 10, 31), new DateOnly(2024, 10, 15))],
                    1, 2, "Läuft \"gut\"", new DateTimeOffset(2024, 11, 15, 0, 0, 0, TimeSpan.Zero)),
            ]);
        var bytes = MonitoringReport.ToCsv(report);
        bytes.Take(3).Should().Equal(0xEF, 0xBB, 0xBF);
        var lines = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3).Split("\r\n");
        lines[0].Should().Be("Maßnahme;Handlungsfelder;Priorität;Zuständigkeit;Status Ende 2024;Fortschritt %;Fortschritt % am 1.1.2024;" +
            "Fortschritt im Jahr (Prozentpunkte);Fällige Meilensteine;Erreichte Meilensteine;Meilensteine;Aktualisierungen im Jahr;" +
            "Letzte Anmerkung;Letzte Aktualisierung;ID");
        lines[1].Should().StartWith("\"Umbau; Rathausplatz\";Innenstadt;hoch;Fachdienst Stadtplanung;in Umsetzung;85;60;25;1;1;" +
            "Bauabschnitt 3 (fällig 31.10.2024, erreicht 15.10.2024);2;\"Läuft \"\"gut\"\"\";15.11.2024;");
    }

    [Fact]
    public void ToCsv_FormulaText_NeutralisedWhileNegativeProgressStaysANumber()
    {
        var report = new MonitoringReportDocument(Guid.NewGuid(), "ISEK", "Delmenhorst", 2024, DateTimeOffset.UtcNow,
            new ReportSummary(1, new Dictionary<string, int> { ["in-progress"] = 1 }, 40, 0, 0),
            [
                new ReportRow(Guid.NewGuid(), "=HYPERLINK(\"http://evil\")", "@Innenstadt", Priority.Low, "+49 Amt",
                    MonitoringStatus.InProgress, 40, 55, [new ReportMilestone("-Abschnitt", new DateOnly(2024, 10, 31), null)],
                    0, 1, "-1+1", null),
            ]);

        var lines = Encoding.UTF8.GetString(MonitoringReport.ToCsv(report)).TrimStart('\uFEFF').Split("\r\n");

        lines[1].Should().StartWith("\"'=HYPERLINK(\"\"http://evil\"\")\";'@Innenstadt;niedrig;'+49 Amt;in Umsetzung;40;55;-15;1;0;" +
            "'-Abschnitt (fällig 31.10.2024);1;'-1+1;;", "text is neutralised; the progress difference -15 is a number and stays one");
    }

    [Fact]
    public void KebabEnum_RoundTrips_AndRejectsUnknown()
    {
        KebabEnum.ToText(MonitoringStatus.InProgress).Should().Be("in-progress");
        KebabEnum.Parse<MonitoringStatus>("not-started").Should().Be(MonitoringStatus.NotStarted);
        KebabEnum.TryParse<Priority>("urgent", out _).Should().BeFalse();
    }
}
