using System.Text;
using Mitreden.Proposals.Api.Data;
using Mitreden.Proposals.Api.Features.Monitoring;
using Mitreden.Proposals.Contracts.Http;
using Mitreden.ServiceDefaults.Exports;
using PdfSharp.Pdf.IO;

namespace Mitreden.Proposals.Tests.Unit;

public sealed class MonitoringReportTests
{
    private static async Task<byte[]> GermanCsvAsync(MonitoringReportDocument report)
    {
        using var output = new MemoryStream();
        await CsvExport.WriteAsync(output, MonitoringReport.Table(report), german: true, CancellationToken.None);
        return output.ToArray();
    }

    [Fact]
    public async Task GermanCsv_Report_IsUtf8WithBomSemicolonsAndGermanFormats()
    {
        var report = new MonitoringReportDocument(Guid.NewGuid(), "ISEK", "Delmenhorst", 2024, DateTimeOffset.UtcNow,
            new ReportSummary(1, new Dictionary<string, int> { ["in-progress"] = 1 }, 85, 1, 1),
            [
                new ReportRow(Guid.NewGuid(), "Umbau; Rathausplatz", "Innenstadt", Priority.High, "Fachdienst Stadtplanung",
                    MonitoringStatus.InProgress, 85, 60, [new ReportMilestone("Bauabschnitt 3", new DateOnly(2024, 10, 31), new DateOnly(2024, 10, 15))],
                    1, 2, "Läuft \"gut\"", new DateTimeOffset(2024, 11, 15, 0, 0, 0, TimeSpan.Zero)),
            ]);
        var bytes = await GermanCsvAsync(report);
        bytes.Take(3).Should().Equal(0xEF, 0xBB, 0xBF);
        var lines = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3).Split("\r\n");
        lines[0].Should().Be("Maßnahme;Handlungsfelder;Priorität;Zuständigkeit;Status Ende 2024;Fortschritt %;Fortschritt % am 1.1.2024;" +
            "Fortschritt im Jahr (Prozentpunkte);Fällige Meilensteine;Erreichte Meilensteine;Meilensteine;Aktualisierungen im Jahr;" +
            "Letzte Anmerkung;Letzte Aktualisierung;ID");
        lines[1].Should().StartWith("\"Umbau; Rathausplatz\";Innenstadt;hoch;Fachdienst Stadtplanung;in Umsetzung;85;60;25;1;1;" +
            "Bauabschnitt 3 (fällig 31.10.2024, erreicht 15.10.2024);2;\"Läuft \"\"gut\"\"\";15.11.2024;");
    }

    [Fact]
    public async Task GermanCsv_FormulaText_NeutralisedWhileNegativeProgressStaysANumber()
    {
        var report = new MonitoringReportDocument(Guid.NewGuid(), "ISEK", "Delmenhorst", 2024, DateTimeOffset.UtcNow,
            new ReportSummary(1, new Dictionary<string, int> { ["in-progress"] = 1 }, 40, 0, 0),
            [
                new ReportRow(Guid.NewGuid(), "=HYPERLINK(\"http://evil\")", "@Innenstadt", Priority.Low, "+49 Amt",
                    MonitoringStatus.InProgress, 40, 55, [new ReportMilestone("-Abschnitt", new DateOnly(2024, 10, 31), null)],
                    0, 1, "-1+1", null),
            ]);

        var lines = Encoding.UTF8.GetString(await GermanCsvAsync(report)).TrimStart('\uFEFF').Split("\r\n");

        lines[1].Should().StartWith("\"'=HYPERLINK(\"\"http://evil\"\")\";'@Innenstadt;niedrig;'+49 Amt;in Umsetzung;40;55;-15;1;0;" +
            "'-Abschnitt (fällig 31.10.2024);1;'-1+1;;", "text is neutralised; the progress difference -15 is a number and stays one");
    }

    [Fact]
    public void Pdf_FortyMeasuresWithLongTexts_SeveralA4PagesWithTitleAndGermanLanguage()
    {
        var rows = Enumerable.Range(1, 40).Select(i => new ReportRow(Guid.NewGuid(),
            $"Maßnahme {i}: " + string.Concat(Enumerable.Repeat("Umgestaltung des Bahnhofsumfelds ", i % 4 + 1)),
            "Innenstadt, Mobilität", i % 2 == 0 ? Priority.High : null, "Fachdienst Stadtplanung",
            (MonitoringStatus)(i % 6), i * 2 % 101, i % 101, [new ReportMilestone("Bauabschnitt ✓ Ü", new DateOnly(2024, 10, 31), i % 3 == 0 ? new DateOnly(2024, 9, 1) : null)],
            i % 3 == 0 ? 1 : 0, 2, i % 5 == 0 ? "Eine lange Anmerkung ohne Leerzeichen:" + new string('x', 400) : null, DateTimeOffset.UtcNow)).ToList();
        var report = new MonitoringReportDocument(Guid.NewGuid(), "Integriertes Stadtentwicklungskonzept Delmenhorst", "Delmenhorst", 2024,
            DateTimeOffset.UtcNow, new ReportSummary(rows.Count, new Dictionary<string, int> { ["in-progress"] = 40 }, 40, 40, 13), rows);

        var bytes = MonitoringReportPdf.Render(report, ReportFonts.DefaultDirectory);

        Encoding.ASCII.GetString(bytes, 0, 5).Should().Be("%PDF-");
        using var pdf = PdfReader.Open(new MemoryStream(bytes), PdfDocumentOpenMode.Import);
        pdf.PageCount.Should().BeGreaterThan(2, "40 measures with chart and details do not fit on two pages");
        pdf.Info.Title.Should().Be("Monitoringbericht 2024: Integriertes Stadtentwicklungskonzept Delmenhorst");
        pdf.Pages[0].Width.Point.Should().BeApproximately(595, 1);
        Encoding.ASCII.GetString(bytes).Should().Contain("/Lang(de-DE)").And.Contain("+DejaVu", "the font is embedded (as a subset)");
    }

    [Fact]
    public void Pdf_NoMeasures_OnePageSayingSo()
    {
        var report = new MonitoringReportDocument(Guid.NewGuid(), "Leitbild", "Bergkamen", 2025, DateTimeOffset.UtcNow,
            new ReportSummary(0, new Dictionary<string, int>(), 0, 0, 0), []);

        using var pdf = PdfReader.Open(new MemoryStream(MonitoringReportPdf.Render(report, null)), PdfDocumentOpenMode.Import);

        pdf.PageCount.Should().Be(1);
    }

    [Fact]
    public void KebabEnum_RoundTrips_AndRejectsUnknown()
    {
        KebabEnum.ToText(MonitoringStatus.InProgress).Should().Be("in-progress");
        KebabEnum.Parse<MonitoringStatus>("not-started").Should().Be(MonitoringStatus.NotStarted);
        KebabEnum.TryParse<Priority>("urgent", out _).Should().BeFalse();
    }
}
