using System.Globalization;
using Mitreden.Proposals.Api.Data;
using Mitreden.Proposals.Contracts.Http;
using Mitreden.ServiceDefaults.Time;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Mitreden.Proposals.Api.Features.Monitoring;

/// <summary>
/// The yearly monitoring report as a PDF for the council and the public (A4, German): an overview, a bar chart of
/// each measure's progress (before the year and during it) and per measure its state, milestones and last note.
/// The same figures as the JSON and the spreadsheet formats: everything comes from <see cref="MonitoringReportDocument"/>.
/// </summary>
internal sealed class MonitoringReportPdf
{
    private const double Margin = 50;
    private const double PageWidth = 595; // A4 in points
    private const double PageHeight = 842;
    private const double ContentWidth = PageWidth - 2 * Margin;
    private const double Bottom = PageHeight - Margin - 20; // room for the footer

    private static readonly XColor Ink = XColor.FromArgb(0x1A, 0x1A, 0x1A);
    private static readonly XColor Muted = XColor.FromArgb(0x59, 0x59, 0x59);
    private static readonly XColor Before = XColor.FromArgb(0x00, 0x4B, 0x87); // progress before the year
    private static readonly XColor During = XColor.FromArgb(0x5B, 0x9B, 0xD5); // progress made during the year
    private static readonly XColor Track = XColor.FromArgb(0xE6, 0xE6, 0xE6);

    private readonly XFont title = new(ReportFonts.Family, 18, XFontStyleEx.Bold);
    private readonly XFont heading = new(ReportFonts.Family, 13, XFontStyleEx.Bold);
    private readonly XFont strong = new(ReportFonts.Family, 9.5, XFontStyleEx.Bold);
    private readonly XFont body = new(ReportFonts.Family, 9.5, XFontStyleEx.Regular);
    private readonly XFont small = new(ReportFonts.Family, 8, XFontStyleEx.Regular);

    private readonly PdfDocument document = new();
    private readonly MonitoringReportDocument report;
    private XGraphics gfx = null!;
    private double y;

    private MonitoringReportPdf(MonitoringReportDocument report) => this.report = report;

    public static byte[] Render(MonitoringReportDocument report, string? fontDirectory)
    {
        ReportFonts.Install(fontDirectory);
        return new MonitoringReportPdf(report).Write();
    }

    private byte[] Write()
    {
        document.Info.Title = $"Monitoringbericht {report.Year}: {report.ProcessTitle}";
        document.Info.Subject = $"Umsetzungsstand der Maßnahmen, {report.City}";
        document.Info.Creator = "Mitreden";
        document.Language = "de-DE";
        NewPage();

        Line($"Monitoringbericht {report.Year}", title, Ink, 24);
        foreach (var text in Wrap(report.ProcessTitle, heading, ContentWidth))
        {
            Line(text, heading, Ink, 17);
        }
        Line($"{report.City} · erstellt am {MonitoringReport.Date(CityTime.DateOf(report.GeneratedAt))}", body, Muted, 22);

        Overview();
        Chart();
        Measures();
        Footers();

        using var output = new MemoryStream();
        document.Save(output, closeStream: false);
        return output.ToArray();
    }

    private void Overview()
    {
        Heading("Überblick");
        var s = report.Summary;
        Paragraph($"Maßnahmen: {s.Measures} · durchschnittlicher Fortschritt: {Percent(s.AverageProgressPercent)}");
        Paragraph($"Meilensteine mit Fälligkeit {report.Year}: {s.MilestonesDue}, davon erreicht: {s.MilestonesReached}");
        if (s.ByStatus.Count > 0)
        {
            var byStatus = report.Measures.GroupBy(m => m.Status).OrderBy(g => g.Key)
                .Select(g => $"{MonitoringReport.GermanStatus[g.Key]}: {g.Count()}");
            Paragraph("Stand: " + string.Join(" · ", byStatus));
        }
        y += 8;
    }

    /// <summary>One bar per measure: dark up to the progress at 1 January, light for the progress made in the year.</summary>
    private void Chart()
    {
        if (report.Measures.Count == 0)
        {
            Heading("Maßnahmen");
            Paragraph($"Für {report.Year} sind keine Maßnahmen erfasst.");
            return;
        }
        Heading("Fortschritt je Maßnahme");
        const double labelWidth = 220, barWidth = ContentWidth - labelWidth - 45, rowHeight = 15, barHeight = 9;
        foreach (var m in report.Measures)
        {
            Ensure(rowHeight);
            var label = Fit(m.Title, small, labelWidth - 8);
            gfx.DrawString(label, small, new XSolidBrush(Ink), new XRect(Margin, y, labelWidth - 8, rowHeight), XStringFormats.CenterLeft);
            var x = Margin + labelWidth;
            var top = y + (rowHeight - barHeight) / 2;
            gfx.DrawRectangle(new XSolidBrush(Track), x, top, barWidth, barHeight);
            var start = Math.Clamp(Math.Min(m.ProgressAtStartOfYear, m.ProgressPercent), 0, 100);
            var end = Math.Clamp(m.ProgressPercent, 0, 100);
            if (start > 0)
            {
                gfx.DrawRectangle(new XSolidBrush(Before), x, top, barWidth * start / 100, barHeight);
            }
            if (end > start)
            {
                gfx.DrawRectangle(new XSolidBrush(During), x + barWidth * start / 100, top, barWidth * (end - start) / 100, barHeight);
            }
            gfx.DrawString($"{m.ProgressPercent} %", small, new XSolidBrush(Ink), new XRect(x + barWidth + 6, y, 40, rowHeight), XStringFormats.CenterLeft);
            y += rowHeight;
        }
        y += 4;
        Ensure(14);
        var legendX = Margin + labelWidth;
        gfx.DrawRectangle(new XSolidBrush(Before), legendX, y + 3, 9, 9);
        gfx.DrawString($"Stand am 1.1.{report.Year}", small, new XSolidBrush(Muted), legendX + 13, y + 11);
        gfx.DrawRectangle(new XSolidBrush(During), legendX + 110, y + 3, 9, 9);
        gfx.DrawString($"Fortschritt im Jahr {report.Year}", small, new XSolidBrush(Muted), legendX + 123, y + 11);
        y += 26;
    }

    private void Measures()
    {
        if (report.Measures.Count == 0)
        {
            return;
        }
        Heading("Maßnahmen im Einzelnen");
        foreach (var m in report.Measures)
        {
            Ensure(48); // title and the state line stay together
            foreach (var text in Wrap(m.Title, strong, ContentWidth))
            {
                Line(text, strong, Ink, 13);
            }
            var change = m.ProgressPercent - m.ProgressAtStartOfYear;
            Paragraph($"{MonitoringReport.GermanStatus[m.Status]} · Fortschritt {m.ProgressPercent} % " +
                $"({(change >= 0 ? "+" : "−")}{Math.Abs(change)} Prozentpunkte im Jahr)" +
                (m.Priority is null ? "" : $" · Priorität {MonitoringReport.GermanPriorityOf(m.Priority)}"));
            if (!string.IsNullOrEmpty(m.ResponsibleOffice))
            {
                Paragraph($"Zuständig: {m.ResponsibleOffice}");
            }
            if (!string.IsNullOrEmpty(m.FieldsOfAction))
            {
                Paragraph($"Handlungsfelder: {m.FieldsOfAction}", Muted);
            }
            if (m.MilestonesDue.Count > 0)
            {
                Paragraph($"Meilensteine {report.Year} ({m.MilestonesReached} von {m.MilestonesDue.Count} erreicht):");
                foreach (var milestone in m.MilestonesDue)
                {
                    Paragraph($"{(milestone.DoneOn is null ? "○ offen" : "✓ erreicht")}: {MonitoringReport.MilestoneText(milestone)}", indent: 12);
                }
            }
            if (!string.IsNullOrEmpty(m.LastNote))
            {
                Paragraph($"Anmerkung: {m.LastNote}", Muted);
            }
            y += 8;
        }
    }

    /// <summary>"Seite n von m" on every page, once the number of pages is known.</summary>
    private void Footers()
    {
        gfx.Dispose();
        for (var i = 0; i < document.PageCount; i++)
        {
            using var page = XGraphics.FromPdfPage(document.Pages[i], XGraphicsPdfPageOptions.Append);
            page.DrawString($"{report.City} · Monitoringbericht {report.Year} · Seite {i + 1} von {document.PageCount}", small,
                new XSolidBrush(Muted), new XRect(Margin, PageHeight - Margin, ContentWidth, 12), XStringFormats.CenterLeft);
        }
    }

    private void NewPage()
    {
        gfx?.Dispose();
        var page = document.AddPage();
        page.Width = XUnit.FromPoint(PageWidth);
        page.Height = XUnit.FromPoint(PageHeight);
        gfx = XGraphics.FromPdfPage(page);
        y = Margin;
    }

    private void Ensure(double height)
    {
        if (y + height > Bottom)
        {
            NewPage();
        }
    }

    private void Heading(string text)
    {
        Ensure(40);
        y += 6;
        Line(text, heading, Ink, 20);
    }

    private void Paragraph(string text, XColor? color = null, double indent = 0)
    {
        foreach (var line in Wrap(text, body, ContentWidth - indent))
        {
            Line(line, body, color ?? Ink, 13, indent);
        }
    }

    private void Line(string text, XFont font, XColor color, double height, double indent = 0)
    {
        Ensure(height);
        gfx.DrawString(text, font, new XSolidBrush(color), new XRect(Margin + indent, y, ContentWidth - indent, height), XStringFormats.TopLeft);
        y += height;
    }

    /// <summary>Word wrap by measured width; a word longer than a line is cut where it no longer fits.</summary>
    private List<string> Wrap(string text, XFont font, double width)
    {
        var lines = new List<string>();
        foreach (var paragraph in text.Replace("\r", "", StringComparison.Ordinal).Split('\n'))
        {
            var current = "";
            foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = current.Length == 0 ? word : current + " " + word;
                if (gfx.MeasureString(candidate, font).Width <= width)
                {
                    current = candidate;
                    continue;
                }
                if (current.Length > 0)
                {
                    lines.Add(current);
                }
                current = word;
                while (current.Length > 1 && gfx.MeasureString(current, font).Width > width)
                {
                    var cut = current.Length - 1;
                    while (cut > 1 && gfx.MeasureString(current[..cut], font).Width > width)
                    {
                        cut--;
                    }
                    lines.Add(current[..cut]);
                    current = current[cut..];
                }
            }
            lines.Add(current);
        }
        return lines;
    }

    /// <summary>The text cut to one line with an ellipsis.</summary>
    private string Fit(string text, XFont font, double width)
    {
        if (gfx.MeasureString(text, font).Width <= width)
        {
            return text;
        }
        var cut = text.Length;
        while (cut > 1 && gfx.MeasureString(text[..cut] + "…", font).Width > width)
        {
            cut--;
        }
        return text[..cut].TrimEnd() + "…";
    }

    private static string Percent(double value) => value.ToString("0.#", CultureInfo.GetCultureInfo("de-DE")) + " %";
}
