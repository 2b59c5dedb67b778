using System.Text.Json;
using FluentAssertions;
using Microsoft.Playwright;

namespace Mitreden.Browser.Tests;

/// <summary>A moderator pages through a long queue and narrows it by process, reason and state, with a count per filter value.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ModerationQueueTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Moderator_PagesThroughQueue_AndFiltersByProcessReasonAndState_WithCounts()
    {
        var api = fixture.Api;
        var staff = await api.NewUserAsync("Stadt", "staff");
        var process = await api.NewProcessAsync(await api.TokenAsync(staff.Email, staff.Password), measures: 1);
        var item = process.Items[0];
        // The gateway lets one account write 5 comments or reports at once (then one every 10 s): five authors and
        // five reporters share the work.
        var authorTokens = new List<string>();
        var reporterTokens = new List<string>();
        for (var r = 0; r < 5; r++)
        {
            authorTokens.Add(await api.TokenAsync((await api.NewUserAsync("Autorin")).Email, StackApi.Password));
            reporterTokens.Add(await api.TokenAsync((await api.NewUserAsync("Melderin")).Email, StackApi.Password));
        }
        var moderator = await api.NewUserAsync("Moderator", "moderator");
        var moderatorToken = await api.TokenAsync(moderator.Email, moderator.Password);

        // 23 reported comments: 17 as insults, 6 as spam (more than the 20 of one page).
        for (var i = 0; i < 23; i++)
        {
            var id = await api.CommentAsync(authorTokens[i % authorTokens.Count], item.Id, $"Beitrag Nummer {i} zur Maßnahme ({Guid.NewGuid():N}).");
            using var report = await api.SendAsync(HttpMethod.Post, $"/api/comments/comments/{id}/reports", reporterTokens[i % reporterTokens.Count],
                new { reason = i < 17 ? "insult" : "spam" });
            report.IsSuccessStatusCode.Should().BeTrue($"report {i}: {await report.Content.ReadAsStringAsync()}");
        }
        await Eventually.TrueAsync(async () =>
        {
            var page = await api.GetJsonAsync($"/api/moderation/processes/{process.Id}/queue?pageSize=1", moderatorToken);
            return page.GetProperty("total").GetInt32() == 23 && page.GetProperty("counts").GetProperty("byReason").GetProperty("spam").GetInt32() == 6;
        }, TimeSpan.FromSeconds(60), "moderation did not receive the 23 reports");

        await using var ui = await fixture.NewUiAsync("moderator");
        await ui.SignInAsync(moderator, "/moderation");
        await ui.VisitAsync($"/moderation?prozess={process.Id}", "warteschlange-prozess");
        (await ui.Main.Locator("[data-queue-count]").InnerTextAsync()).Should().Contain("23 Beiträge in der Warteschlange");
        (await ui.Main.Locator("#filter-prozess option:checked").InnerTextAsync()).Should().Contain(process.Title);
        (await ui.Main.Locator("#filter-grund").InnerTextAsync()).Should().Contain("Gemeldet: Spam (6)").And.Contain("Gemeldet: Beleidigung (17)");
        (await ui.Main.Locator("#filter-zustand").InnerTextAsync()).Should().Contain("sichtbar (23)");
        var list = ui.Main.Locator("ol.item-list > li");
        (await list.CountAsync()).Should().Be(20);
        (await ui.Main.GetByRole(AriaRole.Navigation, new() { Name = "Seiten" }).InnerTextAsync()).Should().Contain("Seite 1 von 2");

        await ui.Main.GetByRole(AriaRole.Link, new() { Name = "Nächste Seite" }).ClickAsync();
        await ui.CheckAsync("warteschlange-seite-2");
        ui.Page.Url.Should().Contain("seite=2").And.Contain($"prozess={process.Id}");
        (await list.CountAsync()).Should().Be(3);
        (await ui.Main.InnerTextAsync()).Should().Contain("Seite 2 von 2");

        await ui.Main.Locator("#filter-grund").SelectOptionAsync("spam");
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Filtern" }), "warteschlange-spam");
        (await ui.Main.Locator("[data-queue-count]").InnerTextAsync())
            .Should().Contain("6 Beiträge passen zum Filter (von 23 in der Warteschlange)");
        (await list.CountAsync()).Should().Be(6);
        (await ui.Main.GetByRole(AriaRole.Navigation, new() { Name = "Seiten" }).CountAsync()).Should().Be(0, "six entries fit on one page");
        // The entry opened from the filtered list keeps the filter for "next".
        var href = await list.First.Locator("a").GetAttributeAsync("href");
        href.Should().Contain("grund=spam").And.Contain($"prozess={process.Id}");

        await ui.Main.Locator("#filter-grund").SelectOptionAsync("");
        await ui.Main.Locator("#filter-zustand").SelectOptionAsync("held");
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Filtern" }), "warteschlange-zurueckgehalten");
        (await ui.Main.Locator("[data-queue-count]").InnerTextAsync()).Should().Contain("0 Beiträge passen zum Filter (von 23");
        (await list.CountAsync()).Should().Be(0);

        // A hand-made address with an unknown filter value shows the whole queue instead of an error.
        await ui.VisitAsync($"/moderation?prozess={process.Id}&grund=langweilig", "warteschlange-unbekannter-filter");
        (await ui.Main.Locator("[data-queue-count]").InnerTextAsync()).Should().Contain("23 Beiträge in der Warteschlange");
    }
}
