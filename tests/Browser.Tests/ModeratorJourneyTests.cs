using System.Net.Http.Json;
using System.Text.Json;
using FluentAssertions;
using Microsoft.Playwright;

namespace Mitreden.Browser.Tests;

/// <summary>A citizen reports a comment; a moderator hides it with a reason (keyboard shortcut h); the author sees why.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ModeratorJourneyTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Moderator_HidesReportedCommentWithReason_AuthorSeesReasonAndNote()
    {
        var api = fixture.Api;
        var staff = await api.NewUserAsync("Stadt", "staff");
        var staffToken = await api.TokenAsync(staff.Email, staff.Password);
        var process = await api.NewProcessAsync(staffToken, measures: 1);
        var item = process.Items[0];
        var author = await api.NewUserAsync("Autorin");
        var reporter = await api.NewUserAsync("Melder");
        var moderator = await api.NewUserAsync("Moderatorin", "moderator");
        var text = $"Das ist doch Unsinn, ihr Versager! ({Guid.NewGuid():N})";
        var commentId = await api.CommentAsync(await api.TokenAsync(author.Email, author.Password), item.Id, text);

        // The reporter reports it from the item page.
        await using (var reporting = await fixture.NewUiAsync("reporter"))
        {
            await reporting.SignInAsync(reporter, $"/inhalte/{item.Id}");
            await reporting.CheckAsync("inhalt-melden");
            var comment = reporting.Main.Locator($"#kommentar-{commentId}");
            await comment.Locator("summary", new() { HasText = "Melden" }).ClickAsync();
            await comment.GetByLabel("Grund der Meldung").SelectOptionAsync("insult");
            await comment.GetByLabel("Anmerkung (freiwillig)").FillAsync("Beleidigt andere.");
            await reporting.SubmitAsync(comment.GetByRole(AriaRole.Button, new() { Name = "Meldung senden" }), "gemeldet");
            (await reporting.Main.InnerTextAsync()).Should().Contain("Danke für Ihre Meldung");
        }

        // Moderation learns about the report from an event.
        var moderatorToken = await api.TokenAsync(moderator.Email, moderator.Password);
        await Eventually.TrueAsync(async () =>
        {
            using var response = await api.SendAsync(HttpMethod.Get, $"/api/moderation/comments/{commentId}", moderatorToken, null);
            return response.IsSuccessStatusCode
                && (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("comment").GetProperty("openReports").GetInt32() > 0;
        }, TimeSpan.FromSeconds(60), "moderation did not receive the report");

        await using (var moderating = await fixture.NewUiAsync("moderator"))
        {
            await moderating.SignInAsync(moderator, "/moderation");
            await moderating.VisitAsync($"/moderation?kommentar={commentId}", "moderation-warteschlange");
            var current = moderating.Main.Locator("[data-moderation]");
            (await current.InnerTextAsync()).Should().Contain(text).And.Contain("Beleidigung").And.Contain(item.Title);
            (await moderating.Main.InnerTextAsync()).Should().Contain("Tastenkürzel");

            // Keyboard: h jumps to the reason.
            await moderating.Page.EvaluateAsync("() => document.activeElement && document.activeElement.blur()");
            await moderating.Page.Keyboard.PressAsync("h");
            (await moderating.Page.EvaluateAsync<string>("document.activeElement.id")).Should().Be("HideReason");
            await moderating.Page.Locator("#HideReason").SelectOptionAsync("insult");
            await moderating.Main.GetByLabel("Hinweis an die Autorin/den Autor").FillAsync("Bitte bleiben Sie sachlich; Beleidigungen blenden wir aus.");
            await moderating.SubmitAsync(moderating.Main.GetByRole(AriaRole.Button, new() { Name = "Ausblenden" }), "ausgeblendet");
            (await moderating.Main.InnerTextAsync()).Should().Contain("Beitrag ausgeblendet");
            await moderating.VisitAsync("/moderation/kennzahlen", "moderation-kennzahlen");
            await moderating.VisitAsync("/moderation/protokoll", "moderation-protokoll");
        }

        // The author sees the hidden comment with the reason and the note; others see only the placeholder.
        await using (var authoring = await fixture.NewUiAsync("author"))
        {
            await authoring.SignInAsync(author, $"/inhalte/{item.Id}");
            var own = authoring.Main.Locator($"#kommentar-{commentId}");
            await Eventually.TrueAsync(async () =>
            {
                await authoring.Page.ReloadAsync();
                return (await own.InnerTextAsync()).Contains("Bitte bleiben Sie sachlich");
            }, TimeSpan.FromSeconds(30), "the author should see the moderation note");
            await authoring.CheckAsync("autorin-sieht-grund");
            var seen = await own.InnerTextAsync();
            seen.Should().Contain("Beleidigung").And.Contain(text).And.Contain("ausgeblendet");
        }
        await using (var anonymous = await fixture.NewUiAsync("anonymous"))
        {
            await anonymous.VisitAsync($"/inhalte/{item.Id}", "inhalt-anonym");
            var placeholder = await anonymous.Main.Locator($"#kommentar-{commentId}").InnerTextAsync();
            placeholder.Should().NotContain(text).And.NotContain("Bitte bleiben Sie sachlich").And.Contain("ausgeblendet");
        }
    }
}
