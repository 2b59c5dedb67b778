using System.Globalization;
using System.Text;
using FluentAssertions;
using Microsoft.Playwright;

namespace Mitreden.Browser.Tests;

/// <summary>
/// Staff set up a process with a running phase and measures, create and open a ballot, citizens vote, staff import
/// in-person results, close the ballot and download the tally CSV, whose numbers are online + in person.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class StaffJourneyTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Journey_StaffCreateABallotImportInPersonVotesCloseItAndDownloadTheCsv_CsvHasCombinedNumbers()
    {
        var api = fixture.Api;
        var staff = await api.NewUserAsync("Stadtverwaltung", "staff");
        await using var ui = await fixture.NewUiAsync("staff");
        var page = ui.Page;
        await ui.SignInAsync(staff, "/verwaltung");
        await ui.CheckAsync("verwaltung");

        // A new process with a running phase (commenting and voting on) and three measures.
        await ui.Main.GetByRole(AriaRole.Link, new() { Name = "Neuer Prozess" }).ClickAsync();
        await ui.CheckAsync("prozess-neu");
        var title = $"Haushalt {Random.Shared.Next(1000, 9999)}";
        await ui.Main.GetByLabel("Titel").FillAsync(title);
        await ui.Main.GetByLabel("Stadt").FillAsync("Teststadt");
        await ui.Main.GetByLabel("Beschreibung").FillAsync("Welche Vorhaben sollen zuerst kommen?");
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Anlegen" }), "prozess-verwalten");
        var processPath = new Uri(page.Url).AbsolutePath;
        processPath.Should().StartWith("/verwaltung/prozesse/");

        await ui.Main.Locator("summary", new() { HasText = "Phase hinzufügen" }).ClickAsync();
        var phaseForm = ui.Main.Locator("form", new() { Has = page.GetByRole(AriaRole.Button, new() { Name = "Phase hinzufügen" }) });
        await phaseForm.GetByLabel("Titel").FillAsync("Online-Beteiligung");
        await phaseForm.GetByLabel("Art der Phase").SelectOptionAsync("online-participation");
        var local = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"));
        await phaseForm.GetByLabel("Beginn").FillAsync(local.AddHours(-1).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture));
        await phaseForm.GetByLabel("Ende").FillAsync(local.AddDays(7).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture));
        await phaseForm.GetByLabel("Kommentieren").CheckAsync();
        await phaseForm.GetByLabel("Abstimmen").CheckAsync();
        await ui.SubmitAsync(phaseForm.GetByRole(AriaRole.Button, new() { Name = "Phase hinzufügen" }), "phase-angelegt");
        (await ui.Main.InnerTextAsync()).Should().Contain("Die Phase ist angelegt");

        string[] measures = ["Neues Hallenbad", "Radschnellweg", "Stadtbäume"];
        foreach (var measure in measures)
        {
            await ui.VisitAsync(processPath + "/inhalte/neu", "eintrag-neu");
            await ui.Main.GetByLabel("Art", new() { Exact = true }).SelectOptionAsync("measure");
            await ui.Main.GetByLabel("Titel", new() { Exact = true }).FillAsync(measure);
            await ui.Main.GetByLabel("Beschreibung").FillAsync($"{measure} für alle.");
            await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Anlegen" }), "eintrag-verwalten");
            page.Url.Should().Contain("/verwaltung/inhalte/");
        }
        await ui.VisitAsync(processPath, "prozess-mit-eintraegen");
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Veröffentlichen" }), "prozess-veroeffentlicht");
        (await ui.Main.InnerTextAsync()).Should().Contain("Der Prozess ist veröffentlicht");

        // The ballot: approval, at most two, results live, published right away.
        await ui.Main.GetByRole(AriaRole.Link, new() { Name = "Neue Abstimmung" }).First.ClickAsync();
        await ui.CheckAsync("abstimmung-neu");
        await ui.Main.GetByLabel("Titel", new() { Exact = true }).FillAsync("Welche Vorhaben zuerst?");
        foreach (var measure in measures)
        {
            await ui.Main.GetByLabel(measure).CheckAsync();
        }
        await ui.Main.GetByLabel("live für alle").CheckAsync();
        // Rules that cannot work: Voting refuses them, and the form shows Voting's words at the method, keeping the input.
        await ui.Main.GetByLabel("Mindestauswahl").FillAsync("3");
        await ui.Main.GetByLabel("Höchstauswahl").FillAsync("2");
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Abstimmung anlegen" }), "abstimmung-regeln-abgelehnt");
        var methodSet = ui.Main.Locator("fieldset", new() { Has = page.Locator("legend", new() { HasTextRegex = new System.Text.RegularExpressions.Regex("^Verfahren$") }) });
        (await methodSet.InnerTextAsync()).Should().Contain("Die Mindest- und Höchstzahl der Auswahl passen nicht zusammen.");
        (await ui.Main.GetByLabel("Titel", new() { Exact = true }).InputValueAsync()).Should().Be("Welche Vorhaben zuerst?");
        await ui.Main.GetByLabel("Mindestauswahl").FillAsync("");
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Abstimmung anlegen" }), "abstimmung-verwalten");
        (await ui.Main.InnerTextAsync()).Should().Contain("Die Abstimmung ist veröffentlicht");
        var ballotId = Guid.Parse(new Uri(page.Url).Segments[^1]);

        // Two citizens vote online (through the API, as the citizen journey covers the form).
        var ballot = await api.GetJsonAsync($"/api/voting/ballots/{ballotId}", null);
        var options = ballot.GetProperty("options").EnumerateArray()
            .ToDictionary(o => o.GetProperty("title").GetString()!, o => o.GetProperty("optionId").GetGuid());
        foreach (var choice in new[] { new[] { measures[0], measures[1] }, new[] { measures[0] } })
        {
            var voter = await api.NewUserAsync("Waehlerin");
            await api.CastAsync(await api.TokenAsync(voter.Email, voter.Password), ballotId, choice.Select(c => options[c]));
        }

        // In-person results of a workshop.
        await ui.VisitAsync($"/verwaltung/abstimmungen/{ballotId}", "abstimmung-verwalten-2");
        await ui.Main.GetByLabel("Herkunft").FillAsync("Zukunftswerkstatt 12.05.");
        await ui.Main.GetByLabel("Teilnehmende").FillAsync("12");
        await ui.Main.GetByLabel(measures[0], new() { Exact = true }).FillAsync("5");
        await ui.Main.GetByLabel(measures[1], new() { Exact = true }).FillAsync("3");
        await ui.Main.GetByLabel(measures[2], new() { Exact = true }).FillAsync("7");
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Ergebnisse übernehmen" }), "vor-ort-uebernommen");
        (await ui.Main.InnerTextAsync()).Should().Contain("Die Ergebnisse vor Ort sind übernommen");

        // Wait until both online votes are counted (live tally), then close.
        await Eventually.TrueAsync(async () =>
        {
            var results = await api.GetJsonAsync($"/api/voting/ballots/{ballotId}/results", null);
            return results.GetProperty("voters").GetInt64() == 2;
        }, TimeSpan.FromSeconds(60), "both online votes should be counted");
        await ui.VisitAsync($"/verwaltung/abstimmungen/{ballotId}", "vor-dem-schliessen");
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Abstimmung jetzt beenden" }), "abstimmung-beendet");
        (await ui.Main.InnerTextAsync()).Should().Contain("Die Abstimmung ist beendet");
        await Eventually.TrueAsync(async () =>
        {
            await page.ReloadAsync();
            return await ui.Main.Locator("[data-ballot-state=closed]").CountAsync() == 1;
        }, TimeSpan.FromSeconds(60), "the ballot should be closed");
        await ui.CheckAsync("abstimmung-geschlossen");

        // The tally as German CSV: online + in person = total per option.
        var download = await page.RunAndWaitForDownloadAsync(() =>
            ui.Main.Locator("[data-export=tally-csv-de]").ClickAsync());
        var path = Path.Combine(Stack.ScreenshotDirectory, $"tally-{ballotId:N}.csv");
        await download.SaveAsAsync(path);
        var csv = await File.ReadAllTextAsync(path, Encoding.UTF8);
        var rows = csv.TrimStart('\uFEFF').Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.Split(';')).ToList();
        rows[0].Should().Contain(["Titel", "Online", "Vor Ort", "Gesamt"]);
        int Col(string name) => Array.IndexOf(rows[0], name);
        var all = rows.Skip(1).Where(r => r[Col("Stadtteil")] == "alle").ToDictionary(r => r[Col("Titel")]);
        all.Should().HaveCount(3);
        (all[measures[0]][Col("Online")], all[measures[0]][Col("Vor Ort")], all[measures[0]][Col("Gesamt")]).Should().Be(("2", "5", "7"));
        (all[measures[1]][Col("Online")], all[measures[1]][Col("Vor Ort")], all[measures[1]][Col("Gesamt")]).Should().Be(("1", "3", "4"));
        (all[measures[2]][Col("Online")], all[measures[2]][Col("Vor Ort")], all[measures[2]][Col("Gesamt")]).Should().Be(("0", "7", "7"));

        // pabulib for the approval ballot too (not only budget ballots), from its button on the staff page.
        var pbDownload = await page.RunAndWaitForDownloadAsync(() =>
            ui.Main.Locator("[data-export=votes-pb]").ClickAsync());
        var pbPath = Path.Combine(Stack.ScreenshotDirectory, $"votes-{ballotId:N}.pb");
        await pbDownload.SaveAsAsync(pbPath);
        var pb = await File.ReadAllTextAsync(pbPath, Encoding.UTF8);
        pb.Should().StartWith("META\nkey;value\n").And.Contain("\nvote_type;approval\n").And.Contain("\nVOTES\nvoter_id;vote;neighborhood\n");

        // The public results page agrees, including the recount.
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Nachzählen" }), "nachgezaehlt");
        (await ui.Main.InnerTextAsync()).Should().Contain("Nachzählung stimmt mit dem Ergebnis überein");
        await ui.VisitAsync($"/abstimmungen/{ballotId}/ergebnis", "ergebnis-mit-vor-ort");
        (await ui.Main.Locator("tbody tr").Filter(new() { HasText = measures[0] }).Locator("[data-cell=total]").InnerTextAsync()).Trim().Should().Be("7");

        // After the close the result is fixed: a correction needs a reason, Voting's field errors show at the fields,
        // and the corrected result is a new version ("berichtigt am …") with the earlier one still readable.
        await ui.VisitAsync($"/verwaltung/abstimmungen/{ballotId}", "abstimmung-berichtigen");
        var correction = ui.Main.Locator("form[data-form=correction]");
        await correction.GetByLabel("Herkunft").FillAsync("Zukunftswerkstatt 12.05. (nachgezählt)");
        await correction.GetByLabel("Teilnehmende").FillAsync("12");
        await correction.GetByLabel(measures[0], new() { Exact = true }).FillAsync("13");
        await correction.GetByLabel(measures[1], new() { Exact = true }).FillAsync("3");
        await correction.GetByLabel(measures[2], new() { Exact = true }).FillAsync("7");
        await correction.GetByLabel("Ersetzt den Eintrag").SelectOptionAsync(new SelectOptionValue { Index = 1 });
        await ui.SubmitAsync(correction.GetByRole(AriaRole.Button, new() { Name = "Berichtigung veröffentlichen" }), "berichtigung-abgelehnt");
        correction = ui.Main.Locator("form[data-form=correction]");
        (await correction.Locator($"#ip-{options[measures[0]]}-error").InnerTextAsync()).Should().Contain("höchstens 12");
        (await correction.InnerTextAsync()).Should().Contain("Bitte begründen Sie die Berichtigung");

        await correction.GetByLabel("Begründung der Berichtigung").FillAsync("Tafel 1 wurde beim Abtippen falsch übertragen.");
        await correction.GetByLabel(measures[0], new() { Exact = true }).FillAsync("6");
        await ui.SubmitAsync(correction.GetByRole(AriaRole.Button, new() { Name = "Berichtigung veröffentlichen" }), "berichtigt");
        (await ui.Main.InnerTextAsync()).Should().Contain("Das Ergebnis wurde berichtigt (Fassung 2)");
        (await ui.Main.Locator("[data-result-versions] [data-version]").CountAsync()).Should().Be(2);

        await ui.VisitAsync($"/abstimmungen/{ballotId}/ergebnis", "ergebnis-berichtigt");
        (await ui.Main.Locator("[data-corrected]").InnerTextAsync()).Should().Contain("Berichtigt am");
        (await ui.Main.Locator("tbody tr").Filter(new() { HasText = measures[0] }).Locator("[data-cell=total]").InnerTextAsync()).Trim().Should().Be("8");
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Link, new() { Name = "Frühere Fassungen des Ergebnisses" }), "ergebnis-fassungen");
        (await ui.Main.Locator("section[data-version]").CountAsync()).Should().Be(2);
        (await ui.Main.Locator("section[data-version='2']").InnerTextAsync()).Should().Contain("Tafel 1 wurde beim Abtippen falsch übertragen.");
        (await ui.Main.Locator("section[data-version='1'] tbody tr").Filter(new() { HasText = measures[0] }).InnerTextAsync()).Should().Contain("7");
    }
}
