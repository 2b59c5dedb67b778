using System.Text;
using FluentAssertions;
using Microsoft.Playwright;

namespace Mitreden.Browser.Tests;

/// <summary>
/// Where services refuse, the web says why in the UI's language and at the field (issue 16 item 4); every page is also
/// scanned for English sentences by <see cref="Ui.CheckAsync"/>. And a ballot says who may vote, and why not the
/// signed-in person, before any form (item 5).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class GermanTextsJourneyTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Staff_ImportWithGermanColumnsAndBadRows_EveryErrorNamesLineAndColumnInGerman()
    {
        var api = fixture.Api;
        var staff = await api.NewUserAsync("Stadt", "staff");
        var process = await api.NewProcessAsync(await api.TokenAsync(staff.Email, staff.Password), measures: 0);
        await using var ui = await fixture.NewUiAsync("staff-import");
        await ui.SignInAsync(staff, $"/verwaltung/prozesse/{process.Id}");

        // Column names as an Excel user writes them; rows 3 and 4 are wrong in five ways.
        const string bad = "Art;Titel;Beschreibung;Handlungsfeld;Priorität;Kosten\n" +
            "Maßnahme;Fahrradstraße am Kanal;Eine ruhige Route.;Mobilität;hoch;12.500,00\n" +
            "Idee;Bänke am Markt;Zum Ausruhen.;Mobilität;sehr hoch;viel\n" +
            "Maßnahme;;Ohne Titel.;Unbekanntes Feld;;\n";
        await UploadAsync(ui, bad, "import-fehler");
        var summary = await ui.Page.Locator("[data-error-summary]").InnerTextAsync();
        summary.Should().Contain("Die Datei hat Fehler; nichts wurde importiert.");
        summary.Should().Contain("Zeile 3, Spalte „Art“: „Idee“ ist keine Art");
        summary.Should().Contain("Zeile 3, Spalte „Priorität“: „sehr hoch“ ist keine Priorität");
        summary.Should().Contain("Zeile 3, Spalte „Kosten“: „viel“ ist kein Betrag in Euro");
        summary.Should().Contain("Zeile 4, Spalte „Titel“: Bitte ausfüllen.");
        summary.Should().Contain("Zeile 4, Spalte „Handlungsfeld“: „Unbekanntes Feld“ ist kein Handlungsfeld dieses Prozesses.");
        summary.Should().NotContain("problem(s)");

        // The same mistakes in the English UI are said in English.
        await ui.SubmitAsync(ui.Page.GetByRole(AriaRole.Button, new() { Name = "English" }), "staff-process-en");
        await UploadAsync(ui, bad, "import-errors-en");
        var english = await ui.Page.Locator("[data-error-summary]").InnerTextAsync();
        english.Should().Contain("Line 3, column “kind”: “Idee” is not a kind");
        english.Should().NotContain("Zeile");
        await ui.SubmitAsync(ui.Page.GetByRole(AriaRole.Button, new() { Name = "Deutsch" }), "prozess-de");

        // Fixed, with the German column names: imported.
        const string good = "Art;Titel;Beschreibung;Handlungsfeld;Priorität;Kosten\n" +
            "Maßnahme;Fahrradstraße am Kanal;Eine ruhige Route.;Mobilität;hoch;12.500,00\n" +
            "Maßnahme;Bänke am Markt;Zum Ausruhen.;Mobilität;mittel;800\n";
        await UploadAsync(ui, good, "import-ok");
        (await ui.Page.Locator("body").InnerTextAsync()).Should().Contain("Die Einträge sind importiert.");
        (await ui.Main.InnerTextAsync()).Should().Contain("Bänke am Markt");
    }

    private static async Task UploadAsync(Ui ui, string csv, string name)
    {
        await ui.Main.Locator("#csv").SetInputFilesAsync(new FilePayload { Name = "massnahmen.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) });
        await ui.SubmitAsync(ui.Main.Locator("form:has(#csv) button[type=submit]"), name);
    }

    [Fact]
    public async Task Staff_RefusedRoleBadDistrictAndBadUserId_SaidInGermanAtTheField()
    {
        var api = fixture.Api;
        var staff = await api.NewUserAsync("Stadt", "staff");
        var citizen = await api.NewUserAsync("Bürger");
        await using var ui = await fixture.NewUiAsync("staff-refusals");
        await ui.SignInAsync(staff, $"/verwaltung/nutzer?id={citizen.Id}");

        // Staff may not grant the role staff (only an admin may); the page offers no such button, a forged form is refused.
        var form = ui.Main.Locator("form[method=post]").First;
        await form.Locator("input[name=role]").EvaluateAsync("e => e.value = 'staff'");
        await ui.SubmitAsync(form.GetByRole(AriaRole.Button), "rolle-verweigert");
        (await ui.Page.Locator("[data-error-summary]").InnerTextAsync())
            .Should().Contain("Die Rollen Stadtverwaltung und Administration vergibt und entzieht nur die Administration.");

        // A user id that is not one.
        await ui.VisitAsync("/verwaltung/nutzer?id=kein-konto", "nutzer-id-falsch");
        (await ui.Page.Locator("[data-error-summary]").InnerTextAsync()).Should().Contain("„kein-konto“ ist für");

        // A district that is not a short name: said at the field.
        await ui.VisitAsync("/verwaltung/briefcodes", "briefcodes");
        await ui.Main.GetByLabel("Stadtteil (Kürzel, z. B. mitte)").FillAsync("Mitte Nord!");
        await ui.Main.GetByLabel("Anzahl").FillAsync("3");
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Codes erzeugen und CSV herunterladen" }), "briefcodes-kuerzel-falsch");
        (await ui.Main.Locator("#District-error").InnerTextAsync()).Should().Contain("Kleinbuchstaben, Ziffern und Bindestriche");
        (await ui.Main.GetByLabel("Stadtteil (Kürzel, z. B. mitte)").GetAttributeAsync("aria-invalid")).Should().Be("true");
    }

    [Fact]
    public async Task Staff_AuditCsvFromTheGermanPage_HasGermanColumnsAndValues()
    {
        var api = fixture.Api;
        var staff = await api.NewUserAsync("Stadt", "staff");
        var staffToken = await api.TokenAsync(staff.Email, staff.Password);
        var process = await api.NewProcessAsync(staffToken, measures: 1);
        var citizen = await api.NewUserAsync("Bürger");
        var commentId = await api.CommentAsync(await api.TokenAsync(citizen.Email, citizen.Password), process.Items[0].Id,
            $"Ein Kommentar, den die Moderation ausblendet ({Guid.NewGuid():N}).");
        var version = -1;
        await Eventually.TrueAsync(async () =>
        {
            using var r = await api.SendAsync(HttpMethod.Get, $"/api/moderation/comments/{commentId}", staffToken, null);
            if (!r.IsSuccessStatusCode)
            {
                return false;
            }
            var comment = System.Text.Json.JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.GetProperty("comment");
            version = comment.GetProperty("version").GetInt32();
            return comment.TryGetProperty("text", out var text) && text.ValueKind == System.Text.Json.JsonValueKind.String;
        }, TimeSpan.FromSeconds(30), "Moderation did not learn of the comment");
        using (var hide = await api.SendAsync(HttpMethod.Post, $"/api/moderation/comments/{commentId}/decisions", staffToken,
            new { decision = "hide", version, reason = "off-topic", noteToAuthor = "Bitte beim Thema bleiben." }))
        {
            hide.IsSuccessStatusCode.Should().BeTrue(await hide.Content.ReadAsStringAsync());
        }

        await using var ui = await fixture.NewUiAsync("staff-audit");
        await ui.SignInAsync(staff, $"/moderation/protokoll?prozess={process.Id}");
        var download = await ui.Page.RunAndWaitForDownloadAsync(() =>
            ui.Main.GetByRole(AriaRole.Link, new() { Name = "Protokoll als CSV herunterladen" }).ClickAsync());
        var lines = await File.ReadAllLinesAsync((await download.PathAsync())!, Encoding.UTF8);
        lines[0].Should().StartWith("Nr.;Zeitpunkt (Ortszeit);Handelnde Person (Kennung);Aktion;");
        lines.Should().Contain(l => l.Contains($";{commentId};") && l.Contains(";ausgeblendet;") && l.Contains(";nicht zum Thema;")
            && l.EndsWith(";ausgeblendet;"), "values are German too");
    }

    [Fact]
    public async Task Ballot_PeopleWhoMayNotVote_SeeWhoMayAndWhyNotThemBeforeAnyForm()
    {
        var api = fixture.Api;
        var staff = await api.NewUserAsync("Stadt", "staff");
        var staffToken = await api.TokenAsync(staff.Email, staff.Password);
        var process = await api.NewProcessAsync(staffToken, measures: 3);
        var residents = await api.NewBallotAsync(staffToken, process, "approval", maxSelections: 2, visibility: "after-close",
            eligibility: new { kind = "resident", district = "mitte" });
        var (groupId, _) = await api.VotingCodeAsync("Rat der Stadt");
        var council = await api.NewBallotAsync(staffToken, process, "approval", maxSelections: 1, visibility: "after-close",
            eligibility: new { kind = "voting-group", votingGroupId = groupId, votingGroupName = "Rat der Stadt" });
        var everyone = await api.NewBallotAsync(staffToken, process, "approval", maxSelections: 1, visibility: "after-close");

        // Visitors: who may vote, and sign in.
        await using (var visitor = await fixture.NewUiAsync("visitor-ballot"))
        {
            await visitor.VisitAsync($"/abstimmungen/{residents}", "abstimmung-anonym");
            var text = await visitor.Main.InnerTextAsync();
            text.Should().Contain("Wer abstimmen darf: Einwohnerinnen und Einwohner des Stadtteils „mitte“ mit bestätigtem Wohnsitz.");
            text.Should().Contain("Bitte melden Sie sich an, um abzustimmen.");
            (await visitor.Main.GetByRole(AriaRole.Button, new() { Name = "Stimme abgeben" }).CountAsync()).Should().Be(0);
        }

        // A confirmed account without a confirmed residence: why not, and no form.
        var citizen = await api.NewUserAsync("Bürgerin");
        await using var ui = await fixture.NewUiAsync("citizen-not-eligible");
        await ui.SignInAsync(citizen, $"/abstimmungen/{residents}");
        (await ui.Main.Locator("#not-eligible").InnerTextAsync()).Should().Contain("Ihr Wohnsitz ist nicht bestätigt");
        (await ui.Main.GetByRole(AriaRole.Link, new() { Name = "Wohnsitz bestätigen" }).CountAsync()).Should().Be(1);
        (await ui.Main.GetByRole(AriaRole.Button, new() { Name = "Stimme abgeben" }).CountAsync()).Should().Be(0);
        (await ui.Main.InnerTextAsync()).Should().Contain(process.Items[0].Title, "the options are still listed");

        await ui.VisitAsync($"/abstimmungen/{council}", "ratsabstimmung-nicht-berechtigt");
        (await ui.Main.Locator("#not-eligible").InnerTextAsync()).Should().Contain("nur für die Gruppe „Rat der Stadt“ offen");
        (await ui.Main.GetByRole(AriaRole.Button, new() { Name = "Stimme abgeben" }).CountAsync()).Should().Be(0);

        // Where the person may vote, the form is there and nothing stands in the way.
        await ui.VisitAsync($"/abstimmungen/{everyone}", "abstimmung-berechtigt");
        (await ui.Main.Locator("#not-eligible").CountAsync()).Should().Be(0);
        (await ui.Main.GetByRole(AriaRole.Button, new() { Name = "Stimme abgeben" }).CountAsync()).Should().Be(1);
    }
}
