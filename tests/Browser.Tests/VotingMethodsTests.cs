using FluentAssertions;
using Microsoft.Playwright;

namespace Mitreden.Browser.Tests;

/// <summary>The other voting methods' forms (budget with running total, dots, scoring) and voting with a voting code.</summary>
[Collection(BrowserCollection.Name)]
public sealed class VotingMethodsTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Journey_CitizenSpendsABudgetDistributesDotsAndScores_FormsShowTotals()
    {
        var api = fixture.Api;
        var staff = await api.NewUserAsync("Stadt", "staff");
        var staffToken = await api.TokenAsync(staff.Email, staff.Password);
        var process = await api.NewProcessAsync(staffToken, measures: 3);
        var now = DateTimeOffset.UtcNow;
        async Task<Guid> BallotAsync(string method, object rules, decimal?[] costs)
        {
            var body = new Dictionary<string, object?>
            {
                ["processId"] = process.Id, ["title"] = $"{method} {Random.Shared.Next(100, 999)}", ["method"] = method, ["visibility"] = "live",
                ["opensAt"] = now.AddMinutes(-1), ["closesAt"] = now.AddDays(2),
                ["options"] = process.Items.Select((i, n) => new { itemId = i.Id, title = i.Title, cost = costs[n] }).ToArray(),
            };
            foreach (var property in rules.GetType().GetProperties())
            {
                body[property.Name] = property.GetValue(rules);
            }
            using var created = await api.SendAsync(HttpMethod.Post, "/api/voting/ballots", staffToken, body);
            var text = await created.Content.ReadAsStringAsync();
            created.IsSuccessStatusCode.Should().BeTrue(text);
            var id = System.Text.Json.JsonDocument.Parse(text).RootElement.GetProperty("id").GetGuid();
            using var opened = await api.SendAsync(HttpMethod.Post, $"/api/voting/ballots/{id}/open", staffToken, null);
            opened.IsSuccessStatusCode.Should().BeTrue();
            return id;
        }
        var budgetId = await BallotAsync("budget", new { budget = 500m }, [300m, 200m, 100m]);
        var dotsId = await BallotAsync("cumulative", new { dots = 5, maxDotsPerOption = 3 }, [null, null, null]);
        var scoringId = await BallotAsync("scoring", new { maxScore = 5 }, [null, null, null]);
        var citizen = await api.NewUserAsync("Methoden");

        await using var ui = await fixture.NewUiAsync("methods");
        await ui.SignInAsync(citizen, $"/abstimmungen/{budgetId}");
        await ui.CheckAsync("budget");
        // The web checks no rule itself: an empty budget vote goes to Voting, whose German 422 is shown at the choices.
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Stimme abgeben" }), "budget-leer");
        (await ui.Page.Locator("[data-error-summary]").InnerTextAsync()).Should().Contain("Bitte wählen Sie mindestens eine Option.");
        ui.Page.Url.Should().NotContain("/quittung");
        // In English the page says the broken rule by Voting's code (errorCodes), in its own words.
        await ui.SubmitAsync(ui.Page.GetByRole(AriaRole.Button, new() { Name = "English" }), "budget-en");
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Cast vote" }), "budget-empty-en");
        var english = await ui.Page.Locator("[data-error-summary]").InnerTextAsync();
        english.Should().Contain("Please choose more options: this ballot asks for a minimum number.");
        english.Should().NotContain("Bitte wählen");
        await ui.SubmitAsync(ui.Page.GetByRole(AriaRole.Button, new() { Name = "Deutsch" }), "budget-de");
        var counter = ui.Main.Locator("[data-counter]");
        await ui.Main.GetByRole(AriaRole.Checkbox, new() { Name = process.Items[0].Title }).CheckAsync();
        await ui.Main.GetByRole(AriaRole.Checkbox, new() { Name = process.Items[1].Title }).CheckAsync();
        await ui.Main.GetByRole(AriaRole.Checkbox, new() { Name = process.Items[2].Title }).CheckAsync();
        (await counter.InnerTextAsync()).Should().Contain("600").And.Contain("überschritten");
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Stimme abgeben" }), "budget-zu-teuer");
        (await ui.Page.Locator("[data-error-summary]").InnerTextAsync()).Should().Contain("das Budget beträgt 500");
        await ui.Main.GetByRole(AriaRole.Checkbox, new() { Name = process.Items[2].Title }).UncheckAsync();
        (await counter.InnerTextAsync()).Should().Contain("500").And.Contain("verplant").And.NotContain("überschritten");
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Stimme abgeben" }), "budget-quittung");
        ui.Page.Url.Should().Contain("/quittung");

        await ui.VisitAsync($"/abstimmungen/{dotsId}", "punkte");
        var dots = ui.Main.Locator("input[data-points]");
        await dots.Nth(0).FillAsync("3");
        await dots.Nth(1).FillAsync("2");
        (await ui.Main.Locator("[data-counter]").InnerTextAsync()).Should().Contain("Noch 0 von 5");
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Stimme abgeben" }), "punkte-quittung");
        ui.Page.Url.Should().Contain("/quittung");

        await ui.VisitAsync($"/abstimmungen/{scoringId}", "bewertung");
        var scores = ui.Main.Locator("input[data-points]");
        await scores.Nth(0).FillAsync("5");
        await scores.Nth(1).FillAsync("1");
        await scores.Nth(2).FillAsync("3");
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Stimme abgeben" }), "bewertung-quittung");
        await ui.VisitAsync($"/abstimmungen/{scoringId}/meine-stimme", "bewertung-meine-stimme");
        await Eventually.TrueAsync(async () =>
        {
            await ui.Page.ReloadAsync();
            var row = ui.Main.Locator("tbody tr").Filter(new() { HasText = process.Items[0].Title });
            return await row.CountAsync() == 1 && (await row.InnerTextAsync()).Contains('5');
        }, TimeSpan.FromSeconds(20), "my scoring vote should be shown");
    }

    [Fact]
    public async Task VotingCode_GroupBallot_CodeVoterVotesWithoutAccount()
    {
        var api = fixture.Api;
        var staff = await api.NewUserAsync("Stadt", "staff");
        var staffToken = await api.TokenAsync(staff.Email, staff.Password);
        var process = await api.NewProcessAsync(staffToken, measures: 2);

        // Staff create the group in the browser and get the codes as CSV.
        await using var staffUi = await fixture.NewUiAsync("staff-codes");
        await staffUi.SignInAsync(staff, "/verwaltung/abstimmungscodes");
        await staffUi.Main.GetByLabel("Name der Gruppe").FillAsync("Rat der Stadt");
        await staffUi.Main.GetByLabel("Anzahl").FillAsync("2");
        var download = await staffUi.Page.RunAndWaitForDownloadAsync(() =>
            staffUi.Main.GetByRole(AriaRole.Button, new() { Name = "Codes erzeugen und CSV herunterladen" }).ClickAsync());
        var lines = (await File.ReadAllLinesAsync((await download.PathAsync())!)).Skip(1).Where(l => l.Length > 0).ToList();
        lines.Should().HaveCount(2);
        var fields = lines[0].Split(';');
        var (code, groupId) = (fields[0], Guid.Parse(fields[1]));
        await staffUi.VisitAsync("/verwaltung/abstimmungscodes", "abstimmungscodes");

        var ballotId = await api.NewBallotAsync(staffToken, process, "approval", maxSelections: 1, visibility: "live",
            eligibility: new { kind = "voting-group", votingGroupId = groupId, votingGroupName = "Rat der Stadt" });

        await using var ui = await fixture.NewUiAsync("council-member");
        await ui.VisitAsync($"/abstimmungen/{ballotId}", "ratsabstimmung-anonym");
        await ui.Main.GetByRole(AriaRole.Link, new() { Name = "Mit Abstimmungscode abstimmen" }).ClickAsync();
        await ui.CheckAsync("code-eingeben");
        await ui.Main.GetByLabel("Abstimmungscode").FillAsync("FALS-CHER-CODE");
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Code verwenden" }), "code-falsch");
        (await ui.Page.Locator("[data-error-summary]").InnerTextAsync()).Should().Contain("nicht gültig");
        await ui.Main.GetByLabel("Abstimmungscode").FillAsync(code);
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Code verwenden" }), "code-angenommen");
        ui.Page.Url.Should().EndWith($"/abstimmungen/{ballotId}");
        (await ui.Page.Locator("header").InnerTextAsync()).Should().Contain("Abstimmung mit Code");
        await ui.Main.GetByRole(AriaRole.Checkbox, new() { Name = process.Items[1].Title }).CheckAsync();
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Stimme abgeben" }), "code-quittung");
        ui.Page.Url.Should().Contain("/quittung");
    }
}
