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
