using FluentAssertions;
using Microsoft.Playwright;

namespace Mitreden.Browser.Tests;

/// <summary>Pages everyone reads, the language switch, the friendly error pages and voting without JavaScript.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PublicPagesTests(BrowserFixture fixture)
{
    [Fact]
    public async Task LanguageSwitch_ToEnglishAndBack_ChangesTextsAndLangAttribute()
    {
        await using var ui = await fixture.NewUiAsync("visitor");
        await ui.VisitAsync("/", "start-de");
        (await ui.Page.GetAttributeAsync("html", "lang")).Should().Be("de");
        (await ui.Page.Locator("h1").InnerTextAsync()).Should().Be("Beteiligungsprozesse");
        await ui.SubmitAsync(ui.Page.GetByRole(AriaRole.Button, new() { Name = "English" }), "start-en");
        (await ui.Page.GetAttributeAsync("html", "lang")).Should().Be("en");
        (await ui.Page.Locator("h1").InnerTextAsync()).Should().Be("Participation processes");
        await ui.VisitAsync("/konto/anmelden", "signin-en");
        (await ui.Main.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).CountAsync()).Should().Be(1);
        await ui.SubmitAsync(ui.Page.GetByRole(AriaRole.Button, new() { Name = "Deutsch" }), "anmelden-de");
        (await ui.Page.GetAttributeAsync("html", "lang")).Should().Be("de");
        ui.Page.Url.Should().Contain(Ui.IdentitySignInPage, "the switch returns to Identity's sign-in page of the same request");
    }

    [Fact]
    public async Task Pages_OnKern_StylesAndFontComeFromTheWebItself_InTheWebAndOnIdentitysPages()
    {
        await using var ui = await fixture.NewUiAsync("visitor");
        var kern = new List<(string Url, int Status, string? Type)>();
        ui.Page.Response += (_, response) =>
        {
            if (response.Url.Contains("/lib/kern/", StringComparison.Ordinal))
            {
                kern.Add((response.Url, response.Status, response.Headers.GetValueOrDefault("content-type")));
            }
        };
        foreach (var (path, name) in new[] { ("/", "start-kern"), ("/konto/anmelden", "anmelden-kern"), ("/konto/registrieren", "registrieren-kern") })
        {
            await ui.VisitAsync(path, name);
            var gateway = new Uri(ui.Page.Url).GetLeftPart(UriPartial.Authority);
            var sheets = await ui.Page.EvaluateAsync<string[]>("() => [...document.styleSheets].map(s => s.href).filter(h => h)");
            sheets.Should().Contain(gateway + "/lib/kern/kern.min.css", $"{path} takes KERN from the web, not from a CDN");
            sheets.Should().OnlyContain(h => h.StartsWith(gateway + "/", StringComparison.Ordinal), "no stylesheet from elsewhere");
            (await ui.Page.EvaluateAsync<bool>("async () => { await document.fonts.ready; return document.fonts.check('16px \"Fira Sans\"'); }"))
                .Should().BeTrue($"{path} is set in KERN's Fira Sans");
            var button = ui.Main.Locator("button.kern-btn.kern-btn--primary, a.kern-btn.kern-btn--primary").First;
            if (await button.CountAsync() > 0)
            {
                (await button.Locator("span.kern-label").CountAsync()).Should().Be(1, "KERN buttons carry their text in span.kern-label");
            }
        }
        kern.Should().NotBeEmpty().And.OnlyContain(r => r.Status == 200 || r.Status == 304);
        kern.Where(r => r.Url.EndsWith(".css", StringComparison.Ordinal)).Should().OnlyContain(r => r.Type != null && r.Type.StartsWith("text/css"));
        kern.Should().Contain(r => r.Url.EndsWith(".woff2", StringComparison.Ordinal), "the font files are served too");
    }

    [Fact]
    public async Task PublicPages_Anonymous_LoadWithoutViolationsAndProtectedPagesAskToSignIn()
    {
        var api = fixture.Api;
        var staff = await api.NewUserAsync("Stadt", "staff");
        var process = await api.NewProcessAsync(await api.TokenAsync(staff.Email, staff.Password), measures: 2);
        await using var ui = await fixture.NewUiAsync("visitor");
        await ui.VisitAsync($"/prozesse/{process.Id}", "prozess-anonym");
        await ui.Main.GetByLabel("Suche").FillAsync("Maßnahme");
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Anwenden" }).First, "prozess-suche");
        await ui.VisitAsync($"/prozesse/{process.Id}/umsetzung", "umsetzung");
        await ui.VisitAsync("/barrierefreiheit", "barrierefreiheit");
        await ui.VisitAsync("/datenschutz", "datenschutz");
        await ui.VisitAsync("/abstimmungscode", "abstimmungscode");

        await ui.VisitAsync("/konto/passwort-vergessen", "passwort-vergessen");
        await ui.Main.GetByLabel("E-Mail-Adresse").FillAsync($"niemand-{Guid.NewGuid():N}@example.org");
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Link anfordern" }), "passwort-link");
        (await ui.Main.InnerTextAsync()).Should().Contain("ist die E-Mail unterwegs", "the page never tells whether an address has an account");

        var missing = await ui.Page.GotoAsync("/gibt-es-nicht");
        missing!.Status.Should().Be(404);
        (await ui.Page.Locator("h1").InnerTextAsync()).Should().Be("Seite nicht gefunden");
        await ui.CheckAsync("nicht-gefunden");

        await ui.Page.GotoAsync("/verwaltung");
        await ui.CheckAsync("anmelden-fuer-verwaltung");
        var citizen = await api.NewUserAsync("Buerger");
        await ui.SignInHereAsync(citizen);
        ui.Page.Url.Should().EndWith("/zugriff-verweigert", "back on the staff page that asked for the sign-in, which a citizen may not use");
        (await ui.Page.Locator("h1").InnerTextAsync()).Should().Be("Kein Zugriff", "a citizen may not use the staff pages");
        await ui.CheckAsync("kein-zugriff");

        // The running phase takes citizen ideas.
        await ui.VisitAsync($"/prozesse/{process.Id}", "prozess-angemeldet");
        await ui.Main.GetByRole(AriaRole.Link, new() { Name = "Idee einreichen" }).ClickAsync();
        await ui.CheckAsync("idee");
        await ui.Main.GetByLabel("Titel").FillAsync("Trinkbrunnen am Markt");
        await ui.Main.GetByLabel("Beschreibung").FillAsync("Im Sommer brauchen wir Wasser für alle.");
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Idee einreichen" }), "idee-eingereicht");
        (await ui.Main.InnerTextAsync()).Should().Contain("Ihre Idee ist eingereicht").And.Contain("Trinkbrunnen am Markt").And.Contain("Bürgeridee");
    }

    [Fact]
    public async Task Journey_CitizenWithoutJavaScriptVotesAndKeepsTheReceipt()
    {
        var api = fixture.Api;
        var staff = await api.NewUserAsync("Stadt", "staff");
        var staffToken = await api.TokenAsync(staff.Email, staff.Password);
        var process = await api.NewProcessAsync(staffToken, measures: 4);
        var ballotId = await api.NewBallotAsync(staffToken, process, "approval", maxSelections: 2, visibility: "live");
        var citizen = await api.NewUserAsync("OhneJs");

        await using var ui = await fixture.NewUiAsync("no-js", javaScript: false);
        await ui.SignInAsync(citizen, $"/abstimmungen/{ballotId}");
        await ui.Main.GetByLabel(process.Items[1].Title, new() { Exact = true }).CheckAsync();
        await ui.Main.GetByLabel(process.Items[3].Title, new() { Exact = true }).CheckAsync();
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Stimme abgeben" }), "quittung-ohne-js");
        ui.Page.Url.Should().Contain("/quittung");
        await ui.VisitAsync($"/abstimmungen/{ballotId}/ergebnis", "ergebnis-live");
        await Eventually.TrueAsync(async () =>
        {
            await ui.Page.ReloadAsync();
            var row = ui.Main.Locator("tbody tr").Filter(new() { HasText = process.Items[3].Title });
            return (await row.Locator("[data-cell=online]").InnerTextAsync()).Trim() == "1";
        }, TimeSpan.FromSeconds(30), "the live result should count the vote");
    }
}
