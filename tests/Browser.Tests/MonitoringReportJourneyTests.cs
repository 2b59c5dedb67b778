using System.Text;
using FluentAssertions;
using Microsoft.Playwright;

namespace Mitreden.Browser.Tests;

/// <summary>
/// The yearly monitoring report (issue #16 item 9): a citizen or a council member opens it from the implementation
/// page, picks a year and downloads it as PDF and Excel file; everything comes from Proposals' report.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class MonitoringReportJourneyTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Visitor_OpensYearlyReport_PicksYearAndDownloadsPdfAndXlsx()
    {
        var api = fixture.Api;
        var staff = await api.NewUserAsync("Stadt", "staff");
        var token = await api.TokenAsync(staff.Email, staff.Password);
        var process = await api.NewProcessAsync(token, measures: 2);
        var year = DateTime.UtcNow.Year;
        var (measureId, measureTitle) = process.Items[0];
        (await api.SendAsync(HttpMethod.Put, $"/api/proposals/items/{measureId}/monitoring", token, new
        {
            status = "in-progress", progressPercent = 60, responsibleOffice = "Fachdienst Stadtplanung", note = "Bauabschnitt 1 fertig",
            milestones = new[]
            {
                new { title = "Ausschreibung", dueOn = $"{year}-01-31", doneOn = (string?)$"{year}-01-20" },
                new { title = "Bauabschnitt 2", dueOn = $"{year}-12-31", doneOn = (string?)null },
            },
        })).EnsureSuccessStatusCode();

        await using var ui = await fixture.NewUiAsync("visitor");
        await ui.VisitAsync($"/prozesse/{process.Id}/umsetzung", "umsetzung-mit-bericht");
        await ui.Main.GetByRole(AriaRole.Link, new() { Name = "Jahresbericht zum Umsetzungsstand" }).ClickAsync();
        await ui.CheckAsync("monitoringbericht");
        (await ui.Main.Locator("h1").InnerTextAsync()).Should().Be($"Monitoringbericht {year}");
        (await ui.Main.GetByLabel("Berichtsjahr").InputValueAsync()).Should().Be(year.ToString());
        var row = await ui.Main.Locator("table.report-table tbody tr").Filter(new() { HasText = measureTitle }).InnerTextAsync();
        row.Should().Contain("In Umsetzung").And.Contain("60").And.Contain("+60 Prozentpunkte im Jahr")
            .And.Contain("Fachdienst Stadtplanung").And.Contain("Ausschreibung (erledigt am 20.01.").And.Contain("Bauabschnitt 2 (geplant bis 31.12.")
            .And.Contain("Bauabschnitt 1 fertig");
        (await ui.Main.Locator("svg.report-bars[role=img] rect.bar-during").CountAsync()).Should().Be(1, "one measure made progress");
        (await ui.Main.InnerTextAsync()).Should().Contain("1 / 2").And.Contain($"für {year} fällige Meilensteine erreicht");

        // Downloads: the web passes Proposals' files on.
        var pdfHref = await ui.Main.GetByRole(AriaRole.Link, new() { Name = "PDF herunterladen" }).GetAttributeAsync("href");
        var pdf = await ui.Page.APIRequest.GetAsync(pdfHref!.Replace("&amp;", "&"));
        pdf.Status.Should().Be(200);
        pdf.Headers["content-type"].Should().Be("application/pdf");
        pdf.Headers["content-disposition"].Should().Contain($"-{year}.pdf");
        Encoding.ASCII.GetString(await pdf.BodyAsync(), 0, 5).Should().Be("%PDF-");
        var xlsxHref = await ui.Main.GetByRole(AriaRole.Link, new() { Name = "Excel-Datei (XLSX)" }).GetAttributeAsync("href");
        var xlsx = await ui.Page.APIRequest.GetAsync(xlsxHref!.Replace("&amp;", "&"));
        xlsx.Headers["content-type"].Should().Be("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        (await xlsx.BodyAsync()).Take(2).Should().Equal((byte)'P', (byte)'K');

        // The picker offers the years since the process began (this year only); an earlier year shows an empty report.
        (await ui.Main.Locator("#jahr option").AllInnerTextsAsync()).Should().Equal(year.ToString());
        await ui.VisitAsync($"/prozesse/{process.Id}/umsetzung/bericht?jahr={year - 1}", "monitoringbericht-vorjahr");
        (await ui.Main.Locator("h1").InnerTextAsync()).Should().Be($"Monitoringbericht {year - 1}");
        (await ui.Main.InnerTextAsync()).Should().Contain($"Für {year - 1} sind keine Maßnahmen erfasst.");

        // A year that has not begun: Proposals refuses it, the page says why and shows the newest report.
        await ui.VisitAsync($"/prozesse/{process.Id}/umsetzung/bericht?jahr={year + 1}", "monitoringbericht-zukunft");
        (await ui.Main.Locator(".error-summary").InnerTextAsync()).Should().NotBeEmpty();
        (await ui.Main.Locator("h1").InnerTextAsync()).Should().Be($"Monitoringbericht {year}");
    }
}
