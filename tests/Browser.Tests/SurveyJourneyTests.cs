using System.Text;
using FluentAssertions;
using Microsoft.Playwright;

namespace Mitreden.Browser.Tests;

/// <summary>
/// Staff create a survey on a phase through the form (questions as fields, one added with "Weitere Frage"), a citizen
/// finds it on the process page and answers it (first with a missing answer: the error stands at the question), staff
/// see the results and download the CSV: the free text neutralised, no account in it. Every page checked with axe.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SurveyJourneyTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Journey_StaffCreateASurveyACitizenAnswersStaffDownloadTheExport_ExportHoldsTheAnswerNeutralised()
    {
        var api = fixture.Api;
        var staff = await api.NewUserAsync("Stadtverwaltung", "staff");
        var process = await api.NewProcessAsync(await api.TokenAsync(staff.Email, staff.Password), 0);

        await using (var ui = await fixture.NewUiAsync("staff"))
        {
            await ui.SignInAsync(staff, $"/verwaltung/prozesse/{process.Id}");
            await ui.Main.GetByRole(AriaRole.Link, new() { Name = "Neue Umfrage" }).First.ClickAsync();
            await ui.CheckAsync("umfrage-neu");
            await ui.Main.GetByLabel("Titel", new() { Exact = true }).FillAsync("Umfrage zum Marktplatz");
            await ui.Main.GetByLabel("Ergebnisse nach dem Ende öffentlich zeigen").CheckAsync();
            var slots = ui.Main.Locator("fieldset.survey-question");
            await slots.Nth(0).GetByLabel("Art der Frage").SelectOptionAsync("single");
            await slots.Nth(0).GetByLabel("Fragetext").FillAsync("Wie oft sind Sie auf dem Markt?");
            await slots.Nth(0).GetByLabel("Antwortmöglichkeiten / Spalten").FillAsync("jede Woche\nselten\nnie");
            await slots.Nth(1).GetByLabel("Art der Frage").SelectOptionAsync("text");
            await slots.Nth(1).GetByLabel("Fragetext").FillAsync("Was wünschen Sie sich?");
            await slots.Nth(1).GetByLabel("Höchstlänge (Zeichen)").FillAsync("200");
            await slots.Nth(2).GetByLabel("Art der Frage").SelectOptionAsync("matrix");
            await slots.Nth(2).GetByLabel("Fragetext").FillAsync("Wie bewerten Sie …");
            await slots.Nth(2).GetByLabel("Antwortmöglichkeiten / Spalten").FillAsync("gut\nschlecht");
            await slots.Nth(2).GetByLabel("Matrix-Zeilen").FillAsync("Sauberkeit\nAngebot");
            await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Weitere Frage hinzufügen" }), "umfrage-weitere-frage");
            (await slots.CountAsync()).Should().Be(4);
            (await slots.Nth(2).GetByLabel("Matrix-Zeilen").InputValueAsync()).Should().Contain("Sauberkeit", "the form keeps what was typed");
            await slots.Nth(3).GetByLabel("Art der Frage").SelectOptionAsync("scale");
            await slots.Nth(3).GetByLabel("Fragetext").FillAsync("Wie gern kaufen Sie dort ein?");
            await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Umfrage anlegen" }), "umfrage-verwalten");
            (await ui.Main.InnerTextAsync()).Should().Contain("Die Umfrage ist geöffnet");
        }

        var citizen = await api.NewUserAsync("Buergerin");
        Guid surveyId;
        await using (var ui = await fixture.NewUiAsync("citizen"))
        {
            await ui.SignInAsync(citizen, $"/prozesse/{process.Id}");
            await ui.Main.GetByRole(AriaRole.Link, new() { Name = "Umfrage zum Marktplatz" }).ClickAsync();
            await ui.CheckAsync("umfrage");
            surveyId = Guid.Parse(new Uri(ui.Page.Url).Segments[^1]);
            var questions = ui.Main.Locator("fieldset.survey-question");
            (await questions.CountAsync()).Should().Be(4);

            // Without the matrix answer: Voting refuses, the page says so at the question and keeps the other answers.
            await questions.Nth(0).GetByLabel("selten").CheckAsync();
            await questions.Nth(1).GetByLabel("Ihre Antwort").FillAsync("=HYPERLINK(\"http://example.org\")");
            await questions.Nth(3).GetByLabel("4").CheckAsync();
            await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Antworten absenden" }), "umfrage-fehler");
            (await questions.Nth(2).Locator(".kern-error").InnerTextAsync()).Should().Contain("Bitte beantworten Sie diese Frage");
            (await questions.Nth(0).Locator(".kern-error").CountAsync()).Should().Be(0);
            (await questions.Nth(0).GetByLabel("selten").IsCheckedAsync()).Should().BeTrue();

            var matrix = questions.Nth(2).Locator("fieldset.survey-row");
            await matrix.Filter(new() { HasText = "Sauberkeit" }).GetByLabel("gut").CheckAsync();
            await matrix.Filter(new() { HasText = "Angebot" }).GetByLabel("schlecht").CheckAsync();
            await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Antworten absenden" }), "umfrage-beantwortet");
            (await ui.Main.InnerTextAsync()).Should().Contain("Vielen Dank");
            (await ui.Main.Locator("[data-survey-answered]").CountAsync()).Should().Be(1, "answered once; the form is gone");
        }

        await using (var ui = await fixture.NewUiAsync("staff"))
        {
            await ui.SignInAsync(staff, $"/verwaltung/umfragen/{surveyId}");
            (await ui.Main.Locator("[data-survey-responses]").GetAttributeAsync("data-survey-responses")).Should().Be("1");
            var download = await ui.Page.RunAndWaitForDownloadAsync(() => ui.Main.Locator("[data-export=csv-de]").ClickAsync());
            var path = Path.Combine(Stack.ScreenshotDirectory, $"umfrage-{surveyId:N}.csv");
            await download.SaveAsAsync(path);
            var csv = (await File.ReadAllTextAsync(path, Encoding.UTF8)).TrimStart('\uFEFF');
            var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            lines.Should().HaveCount(2, "the header and the one submission");
            lines[0].Should().Be("Nr.;1. Wie oft sind Sie auf dem Markt?;2. Was wünschen Sie sich?;3. Wie bewerten Sie … – Sauberkeit;"
                + "3. Wie bewerten Sie … – Angebot;4. Wie gern kaufen Sie dort ein?");
            lines[1].Should().Be("1;selten;\"'=HYPERLINK(\"\"http://example.org\"\")\";gut;schlecht;4");
            csv.Should().NotContain(citizen.Id.ToString()).And.NotContain(citizen.Email).And.NotContain(citizen.DisplayName);
        }
    }

    [Fact]
    public async Task Journey_StaffSaveADraftChangeItOpenIt_CitizensSeeTheChangedQuestionsAndAnOpenSurveyCannotBeChanged()
    {
        var api = fixture.Api;
        var staff = await api.NewUserAsync("Stadtverwaltung", "staff");
        var staffToken = await api.TokenAsync(staff.Email, staff.Password);
        var process = await api.NewProcessAsync(staffToken, 0);

        await using (var ui = await fixture.NewUiAsync("staff"))
        {
            await ui.SignInAsync(staff, $"/verwaltung/umfragen/neu?prozess={process.Id}");
            await ui.Main.GetByLabel("Titel", new() { Exact = true }).FillAsync("Umfrage zum Stadtpark (Entwurf)");
            var slots = ui.Main.Locator("fieldset.survey-question");
            await slots.Nth(0).GetByLabel("Art der Frage").SelectOptionAsync("single");
            await slots.Nth(0).GetByLabel("Fragetext").FillAsync("Wie oft sind Sie im Park?");
            await slots.Nth(0).GetByLabel("Antwortmöglichkeiten / Spalten").FillAsync("oft\nnie");
            await ui.Main.GetByLabel("Sofort öffnen").UncheckAsync();
            await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Umfrage anlegen" }), "umfrage-entwurf");
            (await ui.Main.InnerTextAsync()).Should().Contain("Die Umfrage ist angelegt");
            var surveyId = Guid.Parse(new Uri(ui.Page.Url).Segments[^1]);

            // The draft in its form, as it was saved, with one empty slot for another question.
            await ui.Main.GetByRole(AriaRole.Link, new() { Name = "Umfrage bearbeiten" }).ClickAsync();
            await ui.CheckAsync("umfrage-bearbeiten");
            ui.Page.Url.Should().EndWith($"/verwaltung/umfragen/{surveyId}/bearbeiten");
            (await ui.Main.GetByLabel("Titel", new() { Exact = true }).InputValueAsync()).Should().Be("Umfrage zum Stadtpark (Entwurf)");
            (await slots.CountAsync()).Should().Be(2);
            (await slots.Nth(0).GetByLabel("Antwortmöglichkeiten / Spalten").InputValueAsync()).Should().Be("oft\nnie");

            // A mistake: Voting's error stands at the question, and nothing changed.
            await slots.Nth(1).GetByLabel("Art der Frage").SelectOptionAsync("multiple");
            await slots.Nth(1).GetByLabel("Fragetext").FillAsync("Was fehlt?");
            await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Änderungen speichern" }), "umfrage-bearbeiten-fehler");
            (await slots.Nth(1).Locator(".kern-error").CountAsync()).Should().Be(1, "a multiple-choice question needs options");
            var stored = await api.GetJsonAsync($"/api/voting/surveys/{surveyId}", staffToken);
            stored.GetProperty("title").GetString().Should().Be("Umfrage zum Stadtpark (Entwurf)", "a refused change stores nothing");
            stored.GetProperty("phaseId").GetGuid().Should().Be(process.PhaseId, "the phase chosen in the form (the running one) is the survey's");

            await ui.Main.GetByLabel("Titel", new() { Exact = true }).FillAsync("Umfrage zum Stadtpark");
            await slots.Nth(0).GetByLabel("Antwortmöglichkeiten / Spalten").FillAsync("oft\nselten\nnie");
            await slots.Nth(1).GetByLabel("Antwortmöglichkeiten / Spalten").FillAsync("Bänke\nSchatten");
            await ui.Main.GetByLabel("Sofort öffnen").CheckAsync();
            await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Änderungen speichern" }), "umfrage-gespeichert");
            (await ui.Main.InnerTextAsync()).Should().Contain("Die Umfrage ist geöffnet");
            (await ui.Main.GetByRole(AriaRole.Link, new() { Name = "Umfrage bearbeiten" }).CountAsync()).Should().Be(0, "an open survey is not changed");

            // The change address of an open survey leads back to it, with the reason.
            await ui.Page.GotoAsync($"/verwaltung/umfragen/{surveyId}/bearbeiten");
            ui.Page.Url.Should().EndWith($"/verwaltung/umfragen/{surveyId}");
            (await ui.Main.InnerTextAsync()).Should().Contain("Nur ein Entwurf kann geändert werden");
        }

        var citizen = await api.NewUserAsync("Parkbesucherin");
        await using (var ui = await fixture.NewUiAsync("citizen"))
        {
            await ui.SignInAsync(citizen, $"/prozesse/{process.Id}");
            await ui.Main.GetByRole(AriaRole.Link, new() { Name = "Umfrage zum Stadtpark" }).ClickAsync();
            var questions = ui.Main.Locator("fieldset.survey-question");
            (await questions.CountAsync()).Should().Be(2);
            (await questions.Nth(0).GetByLabel("selten").CountAsync()).Should().Be(1);
            (await questions.Nth(1).GetByLabel("Schatten").CountAsync()).Should().Be(1);
        }
    }
}
