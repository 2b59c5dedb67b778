using System.Xml.Linq;
using FluentAssertions;
using Microsoft.Playwright;

namespace Mitreden.Browser.Tests;

/// <summary>News of a process (issue #18 part 3): staff write and change posts, citizens read them and subscribe to the feed.</summary>
[Collection(BrowserCollection.Name)]
public sealed class NewsJourneyTests(BrowserFixture fixture)
{
    [Fact]
    public async Task StaffWriteNews_CitizensReadItOnTheProcessPageAndInTheFeed()
    {
        var api = fixture.Api;
        var staff = await api.NewUserAsync("Stadt", "staff");
        var process = await api.NewProcessAsync(await api.TokenAsync(staff.Email, staff.Password), measures: 1);
        await using var ui = await fixture.NewUiAsync("staff");
        await ui.SignInAsync(staff, $"/prozesse/{process.Id}/neuigkeiten");
        (await ui.Main.InnerTextAsync()).Should().Contain("noch keine Neuigkeiten");

        await ui.Main.GetByRole(AriaRole.Link, new() { Name = "Neuigkeit schreiben" }).ClickAsync();
        await ui.CheckAsync("neuigkeit-schreiben");
        // Nothing typed: Proposals refuses, the page names both fields.
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Veröffentlichen" }), "neuigkeit-fehler");
        (await ui.Page.Locator("#NewsTitle").GetAttributeAsync("aria-invalid")).Should().Be("true");
        (await ui.Page.Locator("#NewsBody").GetAttributeAsync("aria-invalid")).Should().Be("true");

        await ui.Main.GetByLabel("Titel").FillAsync("Einladung zur Zukunftswerkstatt");
        await ui.Main.GetByLabel("Text").FillAsync(
            "Am **14. März** entwickeln wir Szenarien.\n\n## Ablauf\n\n- Begrüßung\n- Arbeit in Gruppen\n\n<script>alert(1)</script>");
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Veröffentlichen" }), "neuigkeit-veroeffentlicht");
        (await ui.Page.Locator("body").InnerTextAsync()).Should().Contain("Die Neuigkeit ist veröffentlicht");
        var article = ui.Main.Locator("article.news-post").First;
        (await article.Locator("h2").InnerTextAsync()).Should().Be("Einladung zur Zukunftswerkstatt");
        (await article.Locator("strong").InnerTextAsync()).Should().Be("14. März");
        (await article.Locator("h3").InnerTextAsync()).Should().Be("Ablauf", "a post's headings sit below its title");
        (await article.Locator("script").CountAsync()).Should().Be(0);
        (await article.InnerTextAsync()).Should().Contain("<script>alert(1)</script>", "raw HTML is shown as text");

        // Change it.
        await ui.Main.GetByRole(AriaRole.Link, new() { Name = "Neuigkeit bearbeiten: Einladung zur Zukunftswerkstatt" }).ClickAsync();
        await ui.CheckAsync("neuigkeit-bearbeiten");
        await ui.Main.GetByLabel("Titel").FillAsync("Einladung zur Zukunftswerkstatt am 14. März");
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Speichern" }), "neuigkeit-gespeichert");
        (await ui.Main.Locator("article.news-post h2").First.InnerTextAsync()).Should().Be("Einladung zur Zukunftswerkstatt am 14. März");
        (await ui.Main.Locator("article.news-post .card-meta").First.InnerTextAsync()).Should().Contain("geändert am");

        // A citizen without an account: the process page lists it, the feed carries it.
        await using var visitor = await fixture.NewUiAsync("visitor");
        await visitor.VisitAsync($"/prozesse/{process.Id}", "prozess-mit-neuigkeiten");
        var latest = visitor.Main.Locator("section.news");
        (await latest.InnerTextAsync()).Should().Contain("Einladung zur Zukunftswerkstatt am 14. März").And.Contain("Alle Neuigkeiten (1)");
        (await visitor.Page.Locator("head link[rel=alternate][type='application/atom+xml']").GetAttributeAsync("href"))
            .Should().Be($"/prozesse/{process.Id}/neuigkeiten.atom");

        var feed = await visitor.Page.APIRequest.GetAsync($"/prozesse/{process.Id}/neuigkeiten.atom");
        feed.Status.Should().Be(200);
        feed.Headers["content-type"].Should().StartWith("application/atom+xml");
        var xml = XDocument.Parse(await feed.TextAsync());
        XNamespace atom = "http://www.w3.org/2005/Atom";
        xml.Root!.Name.Should().Be(atom + "feed");
        var entry = xml.Root.Elements(atom + "entry").Should().ContainSingle().Subject;
        entry.Element(atom + "title")!.Value.Should().Be("Einladung zur Zukunftswerkstatt am 14. März");
        entry.Element(atom + "link")!.Attribute("href")!.Value.Should().EndWith($"/prozesse/{process.Id}/neuigkeiten#news-{entry.Element(atom + "id")!.Value["urn:uuid:".Length..]}");
        entry.Element(atom + "content")!.Value.Should().Contain("<strong>14. März</strong>").And.NotContain("<script>");

        // Staff remove it again: gone from the page and the feed.
        await ui.VisitAsync($"/prozesse/{process.Id}/neuigkeiten", "neuigkeiten-staff");
        await ui.Main.GetByRole(AriaRole.Link, new() { Name = "Neuigkeit bearbeiten: Einladung zur Zukunftswerkstatt am 14. März" }).ClickAsync();
        await ui.CheckAsync("neuigkeit-loeschen");
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Neuigkeit löschen" }), "neuigkeit-geloescht");
        (await ui.Page.Locator("body").InnerTextAsync()).Should().Contain("Die Neuigkeit ist gelöscht").And.Contain("noch keine Neuigkeiten");
        var after = XDocument.Parse(await (await visitor.Page.APIRequest.GetAsync($"/prozesse/{process.Id}/neuigkeiten.atom")).TextAsync());
        after.Root!.Elements(atom + "entry").Should().BeEmpty();
    }
}

/// <summary>Documents of a process (issue #18 part 2): staff upload through the web and the gateway, citizens download.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DocumentJourneyTests(BrowserFixture fixture)
{
    private static readonly byte[] Pdf = System.Text.Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n");

    [Fact]
    public async Task StaffUploadMinutes_CitizensDownloadThem_AndAFileThatIsNotWhatItsNameSaysIsRefused()
    {
        var api = fixture.Api;
        var staff = await api.NewUserAsync("Stadt", "staff");
        var process = await api.NewProcessAsync(await api.TokenAsync(staff.Email, staff.Password), measures: 1);
        await using var ui = await fixture.NewUiAsync("staff");
        await ui.SignInAsync(staff, $"/prozesse/{process.Id}");
        await ui.Main.GetByRole(AriaRole.Link, new() { Name = "Dokumente verwalten" }).ClickAsync();
        await ui.CheckAsync("dokumente-verwalten");
        (await ui.Main.InnerTextAsync()).Should().Contain("noch keine Dokumente");

        // No file: Proposals' rule, shown at the file field.
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Hochladen" }), "dokument-ohne-datei");
        (await ui.Page.Locator("#Upload").GetAttributeAsync("aria-invalid")).Should().Be("true");
        (await ui.Page.Locator("[data-error-summary]").InnerTextAsync()).Should().Contain("Bitte eine Datei auswählen");

        // A PNG named .pdf: Proposals looks at the bytes and says what they are, at the file field.
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13];
        await ui.Main.GetByLabel("Datei").SetInputFilesAsync(new FilePayload { Name = "Protokoll.pdf", MimeType = "application/pdf", Buffer = png });
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Hochladen" }), "dokument-falscher-inhalt");
        (await ui.Page.Locator("#Upload").GetAttributeAsync("aria-invalid")).Should().Be("true");
        (await ui.Page.Locator("[data-error-summary]").InnerTextAsync()).Should().Contain("PNG-Bild");

        // A real PDF (a few MB, so the gateway's and the web's upload limits are exercised), attached to the phase.
        var big = new byte[3 * 1024 * 1024];
        Pdf.CopyTo(big, 0);
        await ui.Main.GetByLabel("Datei").SetInputFilesAsync(new FilePayload { Name = "Protokoll Auftakt.pdf", MimeType = "application/pdf", Buffer = big });
        await ui.Main.GetByLabel("Titel").FillAsync("Protokoll der Auftaktveranstaltung");
        await ui.Main.GetByLabel("Gehört zu").SelectOptionAsync(new SelectOptionValue { Label = "Online-Beteiligung" });
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Hochladen" }), "dokument-hochgeladen");
        (await ui.Page.Locator("body").InnerTextAsync()).Should().Contain("„Protokoll der Auftaktveranstaltung“ ist hochgeladen");
        (await ui.Main.Locator("tbody tr").InnerTextAsync()).Should().Contain("Protokoll Auftakt.pdf").And.Contain("PDF").And.Contain("3,1 MB");

        await using var visitor = await fixture.NewUiAsync("visitor");
        await visitor.VisitAsync($"/prozesse/{process.Id}", "prozess-mit-dokument");
        var link = visitor.Main.GetByRole(AriaRole.Link, new() { Name = "Protokoll der Auftaktveranstaltung" });
        (await visitor.Main.Locator("#documents-heading").InnerTextAsync()).Should().Be("Dokumente");
        var download = await visitor.Page.APIRequest.GetAsync((await link.GetAttributeAsync("href"))!);
        download.Status.Should().Be(200);
        download.Headers["content-type"].Should().Be("application/pdf");
        download.Headers["content-disposition"].Should().StartWith("attachment").And.Contain("Protokoll%20Auftakt.pdf");
        download.Headers["x-content-type-options"].Should().Be("nosniff");
        (await download.BodyAsync()).Should().Equal(big);

        // Removed by staff: gone for everyone.
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Entfernen: Protokoll der Auftaktveranstaltung" }), "dokument-entfernt");
        (await ui.Page.Locator("body").InnerTextAsync()).Should().Contain("Das Dokument ist entfernt");
        (await visitor.Page.APIRequest.GetAsync((await link.GetAttributeAsync("href"))!)).Status.Should().Be(404);
    }
}
