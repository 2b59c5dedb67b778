using FluentAssertions;
using Microsoft.Playwright;

namespace Mitreden.Browser.Tests;

/// <summary>
/// A citizen registers, confirms the email, verifies residency with a letter code, comments, votes in an
/// "approval, at most 15" ballot (the 16th choice is refused by the page), changes the vote and sees the result
/// once staff closed the ballot.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class CitizenJourneyTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Journey_CitizenRegistersConfirmsCommentsVotesChangesTheVoteAndSeesTheResult()
    {
        var api = fixture.Api;
        var staff = await api.NewUserAsync("Stadt", "staff");
        var staffToken = await api.TokenAsync(staff.Email, staff.Password);
        var process = await api.NewProcessAsync(staffToken, measures: 17);
        var ballotId = await api.NewBallotAsync(staffToken, process, "approval", maxSelections: 15, visibility: "after-close",
            eligibility: new { kind = "resident", district = "mitte" });
        var letterCode = await api.LetterCodeAsync("mitte");

        await using var ui = await fixture.NewUiAsync("citizen");
        var page = ui.Page;
        await ui.VisitAsync("/", "startseite");

        // Sign-up on Identity's page (the same address; the gateway sends it to Identity): the empty form shows the error
        // summary first, then the filled form succeeds and leads to the sign-in.
        await ui.Page.Locator("header").GetByRole(AriaRole.Link, new() { Name = "Registrieren" }).ClickAsync();
        await ui.CheckAsync("registrieren");
        page.Url.Should().EndWith("/konto/registrieren");
        (await page.Context.CookiesAsync()).Select(c => c.Name).Should().Contain("mitreden.identity.antiforgery", "the form is Identity's");
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Konto anlegen" }), "registrieren-fehler");
        (await page.Locator("[data-error-summary]").InnerTextAsync()).Should().Contain("öffentlichen Namen");
        (await ui.Main.Locator("#DisplayName-error").InnerTextAsync()).Should().Contain("Bitte geben Sie einen öffentlichen Namen an.");
        var email = $"buergerin-{Guid.NewGuid():N}@example.org";
        var name = $"Browser Bürgerin {Random.Shared.Next(1000, 9999)}";
        await ui.Main.GetByLabel("Öffentlicher Name").FillAsync(name);
        await ui.Main.GetByLabel("E-Mail-Adresse").FillAsync(email);
        await ui.Main.GetByLabel("Passwort", new() { Exact = true }).FillAsync(StackApi.Password);
        await ui.Main.GetByLabel("Passwort wiederholen").FillAsync(StackApi.Password + "x");
        await ui.Main.GetByLabel("Ich habe die Datenschutzhinweise gelesen").CheckAsync();
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Konto anlegen" }), "registrieren-ungleich");
        (await ui.Main.Locator("#PasswordConfirmation-error").InnerTextAsync()).Should().Contain("stimmen nicht überein");
        (await ui.Main.GetByLabel("Öffentlicher Name").InputValueAsync()).Should().Be(name, "the form keeps what was typed");
        await ui.Main.GetByLabel("Passwort", new() { Exact = true }).FillAsync(StackApi.Password);
        await ui.Main.GetByLabel("Passwort wiederholen").FillAsync(StackApi.Password);
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Konto anlegen" }), "konto-neu");
        (await ui.Main.InnerTextAsync()).Should().Contain($"Wir haben eine E-Mail an {email} geschickt");
        // On to the sign-in (the web's start: Identity's sign-in page), then the account page.
        await ui.Main.GetByRole(AriaRole.Link, new() { Name = "Anmelden" }).ClickAsync();
        await ui.CheckAsync("anmelden-nach-registrieren");
        await ui.SignInHereAsync(new TestUser(Guid.Empty, email, StackApi.Password, name));
        page.Url.Should().EndWith("/konto");
        (await ui.Main.InnerTextAsync()).Should().Contain("(noch nicht bestätigt)");

        // The link from the confirmation mail: Identity's page; "Weiter" leads back into the web with the new level.
        await ui.VisitAsync(await StackApi.ConfirmationLinkAsync(email), "email-bestaetigen");
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "E-Mail-Adresse bestätigen" }), "email-bestaetigt");
        (await ui.Main.InnerTextAsync()).Should().Contain("Ihre E-Mail-Adresse ist bestätigt");
        await ui.Main.GetByRole(AriaRole.Link, new() { Name = "Weiter" }).ClickAsync();
        await ui.CheckAsync("konto-bestaetigt");
        page.Url.Should().EndWith("/konto", "Identity's session answers the web's sign-in at once: no password again");
        (await ui.Main.InnerTextAsync()).Should().Contain("(bestätigt)");

        // Residency with the letter code, from the account page to Identity's page and back.
        await ui.Main.GetByRole(AriaRole.Link, new() { Name = "Wohnsitz mit Briefcode bestätigen" }).ClickAsync();
        await ui.CheckAsync("wohnsitz");
        page.Url.Should().EndWith("/konto/wohnsitz");
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Wohnsitz bestätigen" }), "wohnsitz-leer");
        (await ui.Main.Locator("#Code-error").InnerTextAsync()).Should().Contain("Bitte geben Sie den Code aus dem Brief an.");
        await ui.Main.GetByLabel("Code aus dem Brief").FillAsync("ABCD-EFGH-JKLM");
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Wohnsitz bestätigen" }), "wohnsitz-falsch");
        (await ui.Main.Locator("#Code-error").InnerTextAsync()).Should().Contain("Diesen Code kennen wir nicht");
        await ui.Main.GetByLabel("Code aus dem Brief").FillAsync(letterCode);
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Wohnsitz bestätigen" }), "wohnsitz-bestaetigt");
        (await ui.Main.InnerTextAsync()).Should().Contain("„mitte“ ist bestätigt");
        await ui.Main.GetByRole(AriaRole.Link, new() { Name = "Weiter" }).ClickAsync();
        await ui.CheckAsync("mein-konto");
        page.Url.Should().EndWith("/konto");
        (await ui.Main.InnerTextAsync()).Should().Contain("Wohnsitz bestätigt");

        // Read the process and comment on a measure.
        await ui.VisitAsync($"/prozesse/{process.Id}", "prozess");
        await ui.Main.GetByRole(AriaRole.Link, new() { Name = process.Items[0].Title }).ClickAsync();
        await ui.CheckAsync("massnahme");
        var commentText = $"Ein sicherer Radweg hilft allen. ({Guid.NewGuid():N})";
        await ui.Main.GetByLabel("Ihr Kommentar").FillAsync(commentText);
        await ui.Main.GetByLabel("Dafür").CheckAsync();
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Kommentar veröffentlichen" }), "kommentiert");
        (await ui.Main.Locator(".comments").InnerTextAsync()).Should().Contain(commentText);

        // Vote: 16 choices are refused (also server-side), 15 are accepted.
        await ui.VisitAsync($"/abstimmungen/{ballotId}", "abstimmung");
        var boxes = ui.Main.Locator("input[type=checkbox][name=Selected]");
        (await boxes.CountAsync()).Should().Be(17);
        for (var i = 0; i < 16; i++)
        {
            await boxes.Nth(i).CheckAsync();
        }
        (await ui.Main.Locator("[data-counter]").InnerTextAsync()).Should().Contain("1 zu viel gewählt");
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Stimme abgeben" }), "abstimmung-zu-viele");
        (await page.Locator("[data-error-summary]").InnerTextAsync()).Should().Contain("höchstens 15");
        (await ui.Main.Locator("input[type=checkbox][name=Selected]:checked").CountAsync()).Should().Be(16, "the choices survive the error");
        await boxes.Nth(15).UncheckAsync();
        (await ui.Main.Locator("[data-counter]").InnerTextAsync()).Should().Contain("Noch 0 von 15");
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Stimme abgeben" }), "quittung");
        page.Url.Should().Contain("/quittung");
        (await ui.Main.Locator("[data-receipt]").InnerTextAsync()).Should().MatchRegex("^[0-9a-f]{64}$");

        await ui.Main.GetByRole(AriaRole.Link, new() { Name = "Meine Stimme ansehen" }).ClickAsync();
        await ui.CheckAsync("meine-stimme");
        await Eventually.TrueAsync(async () =>
        {
            await page.ReloadAsync();
            return await ui.Main.Locator("[data-my-choices] li").CountAsync() == 15;
        }, TimeSpan.FromSeconds(20), "my vote should list 15 choices");
        (await ui.Main.Locator("[data-my-choices]").InnerTextAsync()).Should().Contain(process.Items[0].Title);

        // Change the vote: drop the first measure, take the last one.
        await ui.Main.GetByRole(AriaRole.Link, new() { Name = "Stimme ändern" }).ClickAsync();
        await ui.CheckAsync("abstimmung-aendern");
        (await ui.Main.Locator("input[type=checkbox][name=Selected]:checked").CountAsync()).Should().Be(15, "the form shows my vote");
        await ui.Main.GetByLabel(process.Items[0].Title, new() { Exact = true }).UncheckAsync();
        await ui.Main.GetByLabel(process.Items[16].Title, new() { Exact = true }).CheckAsync();
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Stimme ändern" }), "quittung-geaendert");
        await ui.VisitAsync($"/abstimmungen/{ballotId}/meine-stimme", "meine-stimme-geaendert");
        await Eventually.TrueAsync(async () =>
        {
            await page.ReloadAsync();
            var text = await ui.Main.Locator("[data-my-choices]").InnerTextAsync();
            return text.Contains(process.Items[16].Title) && !text.Contains(process.Items[0].Title);
        }, TimeSpan.FromSeconds(20), "the changed vote should be shown");

        // Results stay hidden until staff close the ballot, then show the counted change.
        await ui.VisitAsync($"/abstimmungen/{ballotId}/ergebnis", "ergebnis-verborgen");
        (await ui.Main.InnerTextAsync()).Should().Contain("noch nicht sichtbar");
        await api.CloseAsync(staffToken, ballotId);
        await ui.VisitAsync($"/abstimmungen/{ballotId}/ergebnis", "ergebnis");
        (await ui.Main.InnerTextAsync()).Should().Contain("Endergebnis");
        (await ui.Main.Locator("svg.chart").CountAsync()).Should().Be(1);
        var rows = ui.Main.Locator("tbody tr");
        (await rows.CountAsync()).Should().Be(17);
        (await OnlineOf(ui, process.Items[16].Title)).Should().Be("1");
        (await OnlineOf(ui, process.Items[0].Title)).Should().Be("0");
        (await OnlineOf(ui, process.Items[1].Title)).Should().Be("1");
    }

    private static async Task<string> OnlineOf(Ui ui, string title) =>
        (await ui.Main.Locator("tbody tr").Filter(new() { HasText = title }).Locator("[data-cell=online]").InnerTextAsync()).Trim();
}
