using System.Text.Json;
using FluentAssertions;
using Microsoft.Playwright;

namespace Mitreden.Browser.Tests;

/// <summary>The small JavaScript islands: ranking by keyboard, live results over SSE; and the account's data pages.</summary>
[Collection(BrowserCollection.Name)]
public sealed class InteractionTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Ranking_MovedWithKeyboard_IsSavedInThatOrder()
    {
        var api = fixture.Api;
        var staff = await api.NewUserAsync("Stadt", "staff");
        var staffToken = await api.TokenAsync(staff.Email, staff.Password);
        var process = await api.NewProcessAsync(staffToken, measures: 3);
        var ballotId = await api.NewBallotAsync(staffToken, process, "ranking", maxSelections: null, visibility: "live");
        var citizen = await api.NewUserAsync("Rangfolge");

        await using var ui = await fixture.NewUiAsync("ranker");
        await ui.SignInAsync(citizen, $"/abstimmungen/{ballotId}");
        await ui.CheckAsync("rangfolge");
        var items = ui.Main.Locator("[data-ranking] li .rank-title");
        (await items.AllInnerTextsAsync()).Should().Equal(process.Items.Select(i => i.Title));

        // Keyboard only: focus "move the third up" and press Enter twice; focus stays on the moved option.
        var third = process.Items[2].Title;
        await ui.Main.GetByRole(AriaRole.Button, new() { Name = $"„{third}“ nach oben" }).FocusAsync();
        await ui.Page.Keyboard.PressAsync("Enter");
        await ui.Page.Keyboard.PressAsync("Enter");
        (await items.AllInnerTextsAsync()).Should().Equal(third, process.Items[0].Title, process.Items[1].Title);
        (await ui.Main.Locator("[data-rank-status]").InnerTextAsync()).Should().Contain($"„{third}“ steht jetzt auf Platz 1");
        await ui.CheckAsync("rangfolge-verschoben");

        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Stimme abgeben" }), "rangfolge-quittung");
        await ui.VisitAsync($"/abstimmungen/{ballotId}/meine-stimme", "rangfolge-meine-stimme");
        await Eventually.TrueAsync(async () =>
        {
            await ui.Page.ReloadAsync();
            var order = await ui.Main.Locator("[data-my-choices] li").AllInnerTextsAsync();
            return order.SequenceEqual([third, process.Items[0].Title, process.Items[1].Title]);
        }, TimeSpan.FromSeconds(20), "my vote should keep the order");
    }

    [Fact]
    public async Task LiveResults_VoteCastElsewhere_TableUpdatesWithoutReload()
    {
        var api = fixture.Api;
        var staff = await api.NewUserAsync("Stadt", "staff");
        var staffToken = await api.TokenAsync(staff.Email, staff.Password);
        var process = await api.NewProcessAsync(staffToken, measures: 2);
        var ballotId = await api.NewBallotAsync(staffToken, process, "support", maxSelections: null, visibility: "live");
        var options = await api.OptionIdsAsync(ballotId);

        await using var ui = await fixture.NewUiAsync("watcher");
        await ui.VisitAsync($"/abstimmungen/{ballotId}/ergebnis", "live-ergebnis");
        var cell = ui.Main.Locator($"[data-row=\"{options[1]}\"] [data-cell=online]");
        (await cell.InnerTextAsync()).Trim().Should().Be("0");

        var voter = await api.NewUserAsync("LiveWaehler");
        await api.CastAsync(await api.TokenAsync(voter.Email, voter.Password), ballotId, [options[1]]);
        await Assertions.Expect(cell).ToHaveTextAsync("1", new() { Timeout = 20_000 });
        await ui.CheckAsync("live-ergebnis-aktualisiert");
    }

    [Fact]
    public async Task AccountData_DownloadThenDelete_ExportHoldsAccountAndSignInFailsAfterwards()
    {
        var citizen = await fixture.Api.NewUserAsync("Loeschen");
        await using var ui = await fixture.NewUiAsync("leaver");
        await ui.SignInAsync(citizen, "/konto/daten");
        await ui.CheckAsync("meine-daten");

        var download = await ui.Page.RunAndWaitForDownloadAsync(() =>
            ui.Main.GetByRole(AriaRole.Link, new() { Name = "Meine Daten herunterladen" }).ClickAsync());
        var path = await download.PathAsync();
        var export = JsonDocument.Parse(await File.ReadAllTextAsync(path!)).RootElement;
        export.GetProperty("identity").GetProperty("profile").GetProperty("email").GetString().Should().Be(citizen.Email);
        // A fresh load after the download: a click that ended in a download can leave the frame waiting for a
        // navigation that never completes, and the next form post would then wait on it.
        await ui.VisitAsync("/konto/daten", "meine-daten-nach-download");

        // Deleting needs the password and the confirmation; without them the form explains what is missing.
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Konto löschen" }), "loeschen-fehler");
        (await ui.Page.Locator("[data-error-summary]").InnerTextAsync()).Should().Contain("Passwort");
        (await ui.Main.GetByLabel("Passwort").GetAttributeAsync("aria-invalid")).Should().Be("true");
        (await ui.Main.GetByLabel("Passwort").GetAttributeAsync("aria-describedby")).Should().Be("Password-error");
        // A password longer than Identity takes is refused at the field in German words, by Identity's code.
        await ui.Main.GetByLabel("Passwort").FillAsync(new string('x', 300));
        await ui.Main.GetByLabel("Ja, ich möchte mein Konto endgültig löschen.").CheckAsync();
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Konto löschen" }), "loeschen-passwort-zu-lang");
        (await ui.Page.Locator("[data-error-summary]").InnerTextAsync()).Should().Contain("Das Passwort ist zu lang");
        (await ui.Main.GetByLabel("Passwort").GetAttributeAsync("aria-invalid")).Should().Be("true");
        await ui.Main.GetByLabel("Passwort").FillAsync(citizen.Password);
        await ui.Main.GetByLabel("Ja, ich möchte mein Konto endgültig löschen.").CheckAsync();   // checked or not after the refusal
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Konto löschen" }), "konto-geloescht");
        (await ui.Main.InnerTextAsync()).Should().Contain("Ihr Konto wurde gelöscht");

        await ui.VisitAsync("/konto/anmelden", "anmelden-nach-loeschen");
        await ui.Main.GetByLabel("E-Mail-Adresse").FillAsync(citizen.Email);
        await ui.Main.GetByLabel("Passwort").FillAsync(citizen.Password);
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Anmelden" }), "anmelden-geloescht");
        (await ui.Page.Locator("[data-error-summary]").InnerTextAsync()).Should().Contain("E-Mail-Adresse oder Passwort ist falsch");
    }

    [Fact]
    public async Task Journey_StaffPrintLetterCodesRecordMonitoringAndGrantARole()
    {
        var api = fixture.Api;
        var staff = await api.NewUserAsync("Stadt", "staff");
        var process = await api.NewProcessAsync(await api.TokenAsync(staff.Email, staff.Password), measures: 1);
        var citizen = await api.NewUserAsync("Kuenftige Moderatorin");
        await api.EnsureDistrictAsync("nord");
        await using var ui = await fixture.NewUiAsync("staff-tools");
        await ui.SignInAsync(staff, "/verwaltung/briefcodes");
        await ui.CheckAsync("briefcodes");

        await ui.Main.GetByLabel("Stadtteil").FillAsync("nord");
        await ui.Main.GetByLabel("Anzahl").FillAsync("3");
        var download = await ui.Page.RunAndWaitForDownloadAsync(() =>
            ui.Main.GetByRole(AriaRole.Button, new() { Name = "Codes erzeugen und CSV herunterladen" }).ClickAsync());
        var csv = await File.ReadAllLinesAsync((await download.PathAsync())!);
        csv.Where(l => l.Trim().Length > 0).Should().HaveCount(4, "a header and three codes");

        // Monitoring of a measure, then the public implementation page shows it.
        await ui.VisitAsync($"/verwaltung/inhalte/{process.Items[0].Id}", "eintrag-monitoring");
        await ui.Main.GetByLabel("Stand").SelectOptionAsync("in-progress");
        await ui.Main.GetByLabel("Fortschritt").FillAsync("40");
        await ui.Main.GetByLabel("Zuständige Stelle").FillAsync("Tiefbauamt");
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Monitoring speichern" }), "monitoring-gespeichert");
        await ui.VisitAsync($"/prozesse/{process.Id}/umsetzung", "umsetzung-aktuell");
        var row = ui.Main.Locator("tbody tr").Filter(new() { HasText = process.Items[0].Title });
        (await row.InnerTextAsync()).Should().Contain("In Umsetzung").And.Contain("40").And.Contain("Tiefbauamt");

        // Staff read the moderation audit log.
        await ui.VisitAsync("/moderation/protokoll", "protokoll-verwaltung");
        (await ui.Main.Locator("table").CountAsync()).Should().Be(1);

        // Staff find a citizen by part of the name, and are offered only the role they may grant: moderator.
        await ui.VisitAsync("/verwaltung/nutzer", "rollen-suche");
        await ui.Main.GetByLabel("Name, E-Mail-Adresse oder Nutzer-ID").FillAsync(citizen.DisplayName[3..]);
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Suchen" }), "rollen-gefunden");
        (await ui.Main.Locator("h2#found-heading").InnerTextAsync()).Should().Be("1 Person gefunden");
        await ui.Main.Locator("[data-users-found]").GetByRole(AriaRole.Link, new() { Name = citizen.DisplayName }).ClickAsync();
        await ui.CheckAsync("rollen");
        ui.Page.Url.Should().Contain($"id={citizen.Id}");
        (await ui.Main.Locator("li", new() { HasText = "Stadtverwaltung:" }).CountAsync()).Should().Be(0, "only admins grant the staff role");
        (await ui.Main.Locator("li", new() { HasText = "Administration:" }).CountAsync()).Should().Be(0, "only admins grant the admin role");
        var moderatorRow = ui.Main.Locator("li", new() { HasText = "Moderation:" });
        await ui.SubmitAsync(moderatorRow.GetByRole(AriaRole.Button, new() { Name = "Vergeben" }), "rolle-vergeben");
        (await ui.Main.InnerTextAsync()).Should().Contain("Moderation");
        (await ui.Main.Locator("li", new() { HasText = "Moderation:" }).GetByRole(AriaRole.Button).InnerTextAsync()).Should().Be("Entziehen");
    }
}
