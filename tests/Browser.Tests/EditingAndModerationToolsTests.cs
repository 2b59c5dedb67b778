using System.Net.Http.Json;
using System.Text.Json;
using FluentAssertions;
using Microsoft.Playwright;

namespace Mitreden.Browser.Tests;

/// <summary>
/// The tools of issue #7: the audit log for moderators, citizens editing their comment and idea, staff keeping the
/// milestones of a measure, screening rules and blocking/unblocking from the moderation pages.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class EditingAndModerationToolsTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Moderator_ApprovesComment_AuditLogShowsTheDecisionAsTheirs()
    {
        var api = fixture.Api;
        var staffToken = await StaffTokenAsync();
        var process = await api.NewProcessAsync(staffToken, measures: 1);
        var author = await api.NewUserAsync("Autor");
        var moderator = await api.NewUserAsync("Moderator", "moderator");
        var commentId = await api.CommentAsync(await api.TokenAsync(author.Email, author.Password), process.Items[0].Id,
            $"Bitte mehr Bänke am Kanal ({Guid.NewGuid():N}).");
        // Reported, so it is in the queue (only queued comments are approved).
        var reporter = await api.NewUserAsync("Melderin");
        using (var report = await api.SendAsync(HttpMethod.Post, $"/api/comments/comments/{commentId}/reports",
            await api.TokenAsync(reporter.Email, reporter.Password), new { reason = "off-topic" }))
        {
            report.IsSuccessStatusCode.Should().BeTrue(await report.Content.ReadAsStringAsync());
        }
        var moderatorToken = await api.TokenAsync(moderator.Email, moderator.Password);
        await Eventually.TrueAsync(async () =>
        {
            using var response = await api.SendAsync(HttpMethod.Get, $"/api/moderation/comments/{commentId}", moderatorToken, null);
            return response.IsSuccessStatusCode
                && (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("comment").GetProperty("inQueue").GetBoolean();
        }, TimeSpan.FromSeconds(60), "the reported comment did not reach the queue");

        await using var ui = await fixture.NewUiAsync("moderator");
        await ui.SignInAsync(moderator, $"/moderation?kommentar={commentId}");
        await ui.CheckAsync("moderation-kommentar");
        await ui.SubmitAsync(ui.Main.Locator("[data-moderation]").GetByRole(AriaRole.Button, new() { Name = "Freigeben" }), "moderation-freigegeben");
        (await ui.Page.Locator("body").InnerTextAsync()).Should().Contain("Beitrag freigegeben");

        await ui.VisitAsync($"/moderation/protokoll?prozess={process.Id}", "protokoll-moderator");
        var rows = ui.Main.Locator("[data-audit] tbody tr");
        (await rows.CountAsync()).Should().Be(1);
        var row = await rows.First.InnerTextAsync();
        row.Should().Contain("Freigegeben").And.Contain("Sie").And.Contain(commentId.ToString()[..8]).And.Contain(process.Title);
        (await ui.Main.InnerTextAsync()).Should().NotContain("Protokoll als CSV", "the CSV export stays with staff");

        // Filtered by another decision: nothing; an impossible date range: an error at the field.
        await ui.VisitAsync($"/moderation/protokoll?prozess={process.Id}&aktion=hide", "protokoll-gefiltert");
        (await ui.Main.InnerTextAsync()).Should().Contain("keine Einträge");
        await ui.VisitAsync("/moderation/protokoll?von=2026-02-01&bis=2026-01-01", "protokoll-zeitraum-fehler");
        (await ui.Page.Locator("#bis").GetAttributeAsync("aria-describedby")).Should().Be("bis-error");
        (await ui.Page.Locator("[data-error-summary]").InnerTextAsync()).Should().Contain("Enddatum");
    }

    [Fact]
    public async Task Citizen_EditsOwnCommentAndIdea_PagesShowTheChanges()
    {
        var api = fixture.Api;
        var process = await api.NewProcessAsync(await StaffTokenAsync(), measures: 1);
        var citizen = await api.NewUserAsync("Bürger");
        await using var ui = await fixture.NewUiAsync("citizen");
        await ui.SignInAsync(citizen, $"/prozesse/{process.Id}/idee");

        // Propose, then edit the idea from its page.
        await ui.CheckAsync("idee-einreichen");
        await ui.Main.GetByLabel("Titel").FillAsync("Trinkbrunnen am Markt");
        await ui.Main.GetByLabel("Beschreibung").FillAsync("Im Sommer fehlt Wasser in der Innenstadt.");
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Idee einreichen" }), "idee-eingereicht");
        var itemPath = new Uri(ui.Page.Url).AbsolutePath;
        itemPath.Should().StartWith("/inhalte/");
        await ui.Main.GetByRole(AriaRole.Link, new() { Name = "Meine Idee bearbeiten" }).ClickAsync();
        await ui.CheckAsync("idee-bearbeiten");
        await ui.Main.GetByLabel("Titel").FillAsync("");
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Änderungen speichern" }), "idee-bearbeiten-fehler");
        (await ui.Page.Locator("#Title").GetAttributeAsync("aria-invalid")).Should().Be("true");
        await ui.Main.GetByLabel("Titel").FillAsync("Zwei Trinkbrunnen am Markt");
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Änderungen speichern" }), "idee-geaendert");
        ui.Page.Url.Should().EndWith(itemPath);
        (await ui.Main.Locator("h1").InnerTextAsync()).Should().Be("Zwei Trinkbrunnen am Markt");

        // Another person cannot edit it.
        await using (var other = await fixture.NewUiAsync("other"))
        {
            await other.SignInAsync(await api.NewUserAsync("Nachbarin"), itemPath);
            (await other.Main.GetByRole(AriaRole.Link, new() { Name = "Meine Idee bearbeiten" }).CountAsync()).Should().Be(0);
            var refused = await other.Page.GotoAsync(itemPath + "/bearbeiten");
            new Uri(other.Page.Url).AbsolutePath.Should().Be("/zugriff-verweigert", $"got {refused?.Status}");
        }

        // Comment on the measure and edit the comment (with script).
        var measurePath = $"/inhalte/{process.Items[0].Id}";
        await ui.VisitAsync(measurePath, "massnahme");
        await ui.Main.GetByLabel("Ihr Kommentar").FillAsync("Die Ampel am Markt ist zu kurz grün.");
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Kommentar veröffentlichen" }), "kommentiert");
        var comment = ui.Main.Locator(".comments > li").Filter(new() { HasText = "zu kurz grün" });
        await comment.Locator("summary", new() { HasText = "Bearbeiten" }).ClickAsync();
        await comment.GetByLabel("Kommentar bearbeiten").FillAsync("");
        await ui.SubmitAsync(comment.GetByRole(AriaRole.Button, new() { Name = "Änderung speichern" }), "kommentar-bearbeiten-fehler");
        var field = ui.Main.Locator("textarea[name=editText][aria-invalid=true]");
        (await field.CountAsync()).Should().Be(1, "the empty text is refused at its field");
        (await field.GetAttributeAsync("aria-describedby")).Should().EndWith("-error");
        await field.FillAsync("Die Ampel am Markt ist viel zu kurz grün.");
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Änderung speichern" }), "kommentar-geaendert");
        var edited = ui.Main.Locator(".comments > li").Filter(new() { HasText = "viel zu kurz grün" });
        (await edited.Locator(".comment-meta").InnerTextAsync()).Should().Contain("bearbeitet");

        // And once more without script: the plain form does the same.
        await using var plain = await fixture.NewUiAsync("citizen-no-js", javaScript: false);
        await plain.SignInAsync(citizen, measurePath);
        var again = plain.Main.Locator(".comments > li").Filter(new() { HasText = "viel zu kurz grün" });
        await again.Locator("summary", new() { HasText = "Bearbeiten" }).ClickAsync();
        await again.GetByLabel("Kommentar bearbeiten").FillAsync("Die Fußgängerampel am Markt ist viel zu kurz grün.");
        await plain.SubmitAsync(again.GetByRole(AriaRole.Button, new() { Name = "Änderung speichern" }), "kommentar-geaendert-ohne-js");
        (await plain.Main.Locator(".comments").InnerTextAsync()).Should().Contain("Die Fußgängerampel am Markt ist viel zu kurz grün.");
    }

    [Fact]
    public async Task Staff_EditsPhaseAndMilestones_PublicMonitoringPageShowsThem()
    {
        var api = fixture.Api;
        var staff = await api.NewUserAsync("Stadt", "staff");
        var process = await api.NewProcessAsync(await api.TokenAsync(staff.Email, staff.Password), measures: 1);
        var measure = process.Items[0];
        await using var ui = await fixture.NewUiAsync("staff");
        await ui.SignInAsync(staff, $"/verwaltung/prozesse/{process.Id}");

        // Staff edit a phase (its title and description) on a page of its own.
        await ui.Main.GetByRole(AriaRole.Link, new() { Name = "Phase „Online-Beteiligung“ bearbeiten" }).ClickAsync();
        await ui.CheckAsync("phase-bearbeiten");
        await ui.Main.GetByLabel("Titel").FillAsync("");
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Speichern" }), "phase-bearbeiten-fehler");
        (await ui.Page.Locator("#PhaseTitle").GetAttributeAsync("aria-invalid")).Should().Be("true");
        await ui.Main.GetByLabel("Titel").FillAsync("Online-Beteiligung 2026");
        await ui.Main.GetByLabel("Beschreibung").FillAsync("Ideen, Kommentare und Abstimmung.");
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Speichern" }), "phase-gespeichert");
        (await ui.Page.Locator("body").InnerTextAsync()).Should().Contain("Die Phase ist gespeichert").And.Contain("Online-Beteiligung 2026");

        await ui.VisitAsync($"/verwaltung/inhalte/{measure.Id}", "massnahme-verwalten");

        var monitoring = ui.Main.Locator("form", new() { Has = ui.Page.GetByRole(AriaRole.Button, new() { Name = "Monitoring speichern" }) });
        await monitoring.GetByLabel("Stand").SelectOptionAsync("in-progress");
        await monitoring.GetByLabel("Fortschritt").FillAsync("40");
        await ui.Page.Locator("#Milestones_0__Title").FillAsync("Ausschreibung");
        await ui.Page.Locator("#Milestones_0__DueOn").FillAsync("2026-03-31");
        await ui.Page.Locator("#Milestones_0__DoneOn").FillAsync("2026-03-20");
        await ui.Page.Locator("#Milestones_1__Title").FillAsync("Bau des Radwegs");
        // The second row lacks its date: refused at that field, the typed rows stay.
        await ui.SubmitAsync(monitoring.GetByRole(AriaRole.Button, new() { Name = "Monitoring speichern" }), "meilenstein-fehler");
        (await ui.Page.Locator("#Milestones_1__DueOn").GetAttributeAsync("aria-invalid")).Should().Be("true");
        (await ui.Page.Locator("#Milestones_1__DueOn").GetAttributeAsync("aria-describedby")).Should().Be("Milestones_1__DueOn-error");
        (await ui.Page.Locator("#Milestones_0__Title").InputValueAsync()).Should().Be("Ausschreibung");
        await ui.Page.Locator("#Milestones_1__DueOn").FillAsync("2027-06-30");
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Monitoring speichern" }), "meilensteine-gespeichert");
        (await ui.Page.Locator("body").InnerTextAsync()).Should().Contain("Der Stand der Umsetzung ist gespeichert");
        (await ui.Page.Locator("#Milestones_1__Title").InputValueAsync()).Should().Be("Bau des Radwegs");

        await ui.VisitAsync($"/prozesse/{process.Id}/umsetzung", "umsetzung-oeffentlich");
        var row = await ui.Main.Locator("tbody tr").Filter(new() { HasText = measure.Title }).InnerTextAsync();
        row.Should().Contain("In Umsetzung").And.Contain("40").And.Contain("Ausschreibung (erledigt am 20.03.2026)")
            .And.Contain("Bau des Radwegs (geplant bis 30.06.2027)");

        // Remove the first milestone again.
        await ui.VisitAsync($"/verwaltung/inhalte/{measure.Id}", "massnahme-verwalten-2");
        await ui.Page.Locator("#Milestones_0__Remove").CheckAsync();
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Monitoring speichern" }), "meilenstein-entfernt");
        await ui.VisitAsync($"/prozesse/{process.Id}/umsetzung", "umsetzung-oeffentlich-2");
        var after = await ui.Main.Locator("tbody tr").Filter(new() { HasText = measure.Title }).InnerTextAsync();
        after.Should().NotContain("Ausschreibung").And.Contain("Bau des Radwegs");
    }

    [Fact]
    public async Task Journey_ModeratorChangesAScreeningRuleThenBlocksAndUnblocksAnAuthor()
    {
        var api = fixture.Api;
        var staff = await api.NewUserAsync("Stadt", "staff");
        var process = await api.NewProcessAsync(await api.TokenAsync(staff.Email, staff.Password), measures: 1);
        var moderator = await api.NewUserAsync("Moderatorin", "moderator");

        // Staff change the rules of this process (Moderation lets staff change them); errors appear at the field.
        await using (var staffUi = await fixture.NewUiAsync("staff"))
        {
            await staffUi.SignInAsync(staff, $"/moderation/regeln?prozess={process.Id}");
            await staffUi.CheckAsync("pruefregeln");
            await staffUi.Main.GetByLabel("Höchstens Links pro Beitrag").FillAsync("500");
            await staffUi.SubmitAsync(staffUi.Main.GetByRole(AriaRole.Button, new() { Name = "Regeln speichern" }), "pruefregeln-fehler");
            (await staffUi.Page.Locator("#Form_MaxLinks").GetAttributeAsync("aria-invalid")).Should().Be("true");
            (await staffUi.Page.Locator("#Form_MaxLinks-error").InnerTextAsync()).Should().Contain("100");
            await staffUi.Main.GetByLabel("Höchstens Links pro Beitrag").FillAsync("1");
            await staffUi.Page.Locator("#Form_LinksEnabled").CheckAsync();
            await staffUi.SubmitAsync(staffUi.Main.GetByRole(AriaRole.Button, new() { Name = "Regeln speichern" }), "pruefregeln-gespeichert");
            (await staffUi.Page.Locator("body").InnerTextAsync()).Should().Contain("Die Prüfregeln sind gespeichert");
            (await staffUi.Main.Locator("[data-rules-source]").InnerTextAsync()).Should().Contain("eigene Regeln");
            (await staffUi.Main.GetByLabel("Höchstens Links pro Beitrag").InputValueAsync()).Should().Be("1");
        }

        var author = await api.NewUserAsync("Vielschreiber");
        var commentId = await api.CommentAsync(await api.TokenAsync(author.Email, author.Password), process.Items[0].Id,
            $"Mehr dazu auf https://example.org/a und https://example.org/b ({Guid.NewGuid():N})");
        var moderatorToken = await api.TokenAsync(moderator.Email, moderator.Password);
        await WaitUntilModerationKnowsAsync(moderatorToken, commentId);

        await using var ui = await fixture.NewUiAsync("moderator");
        await ui.SignInAsync(moderator, $"/moderation/regeln?prozess={process.Id}");
        await ui.CheckAsync("pruefregeln-moderator");
        (await ui.Main.InnerTextAsync()).Should().Contain("ändert die Stadtverwaltung");
        (await ui.Main.GetByLabel("Höchstens Links pro Beitrag").InputValueAsync()).Should().Be("1");
        (await ui.Main.GetByLabel("Höchstens Links pro Beitrag").IsDisabledAsync()).Should().BeTrue();

        // The new rule flagged the comment with two links.
        await ui.VisitAsync($"/moderation?kommentar={commentId}", "moderation-kommentar-links");
        (await ui.Main.Locator("[data-moderation]").InnerTextAsync()).Should().Contain("links");

        // Block the author from the comment: the reason is required, then the block is listed and lifted.
        var block = ui.Main.Locator("[data-block-author]");
        await block.Locator("summary").ClickAsync();
        await block.GetByLabel("Dauer der Sperre in Tagen").FillAsync("7");
        await ui.SubmitAsync(block.GetByRole(AriaRole.Button, new() { Name = "Sperren" }), "sperren-fehler");
        (await ui.Page.Locator("#BlockUserReason").GetAttributeAsync("aria-invalid")).Should().Be("true");
        block = ui.Main.Locator("[data-block-author]");
        await block.GetByLabel("Begründung").FillAsync("Wiederholt Werbelinks trotz Hinweis.");
        await ui.SubmitAsync(block.GetByRole(AriaRole.Button, new() { Name = "Sperren" }), "gesperrt");
        (await ui.Page.Locator("body").InnerTextAsync()).Should().Contain("gesperrt bis");

        await ui.VisitAsync($"/moderation/sperren?suche={Uri.EscapeDataString(author.DisplayName)}", "sperren-liste");
        var listed = ui.Main.Locator("[data-blocks] tbody tr");
        (await listed.CountAsync()).Should().Be(1);
        (await listed.First.InnerTextAsync()).Should().Contain(author.DisplayName).And.Contain("Wiederholt Werbelinks").And.NotContain("@");
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = $"Sperre aufheben für {author.DisplayName}" }), "entsperrt");
        (await ui.Page.Locator("body").InnerTextAsync()).Should().Contain($"Die Sperre von {author.DisplayName} ist aufgehoben");
        (await ui.Main.Locator("[data-blocks] tbody tr").CountAsync()).Should().Be(0);

        // Staff put the process back on the global rules.
        await using var reset = await fixture.NewUiAsync("staff-reset");
        await reset.SignInAsync(staff, $"/moderation/regeln?prozess={process.Id}");
        await reset.SubmitAsync(reset.Main.GetByRole(AriaRole.Button, new() { Name = "Gespeicherte Regeln verwerfen" }), "pruefregeln-verworfen");
        (await reset.Main.Locator("[data-rules-source]").InnerTextAsync()).Should().NotContain("eigene Regeln");
    }

    private async Task<string> StaffTokenAsync()
    {
        var staff = await fixture.Api.NewUserAsync("Stadt", "staff");
        return await fixture.Api.TokenAsync(staff.Email, staff.Password);
    }

    /// <summary>Moderation learns about comments from events.</summary>
    private async Task WaitUntilModerationKnowsAsync(string moderatorToken, Guid commentId) =>
        await Eventually.TrueAsync(async () =>
        {
            using var response = await fixture.Api.SendAsync(HttpMethod.Get, $"/api/moderation/comments/{commentId}", moderatorToken, null);
            return response.IsSuccessStatusCode;
        }, TimeSpan.FromSeconds(60), "moderation did not learn about the comment");
}
