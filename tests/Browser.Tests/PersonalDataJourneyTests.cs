using System.Text.Json;
using FluentAssertions;
using Microsoft.Playwright;

namespace Mitreden.Browser.Tests;

/// <summary>"Meine Daten" (issue #16 item 3): a citizen reads what every service keeps about them and downloads it.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PersonalDataJourneyTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Citizen_ViewsDataOfEveryService_AndDownloadsItAsOneJsonFile()
    {
        var api = fixture.Api;
        var staff = await api.NewUserAsync("Stadt", "staff");
        var process = await api.NewProcessAsync(await api.TokenAsync(staff.Email, staff.Password), measures: 1);
        var citizen = await api.NewUserAsync("Daten");
        await api.CommentAsync(await api.TokenAsync(citizen.Email, citizen.Password), process.Items[0].Id, "Mein Kommentar für die Datenauskunft.");

        await using var ui = await fixture.NewUiAsync("citizen");
        await ui.SignInAsync(citizen, "/konto/daten");
        await ui.Main.GetByRole(AriaRole.Link, new() { Name = "Meine Daten ansehen" }).ClickAsync();
        await ui.CheckAsync("meine-daten-ansehen");
        var headings = await ui.Main.Locator("section.data-part h2").AllInnerTextsAsync();
        headings.Should().Equal("Konto und Anmeldung", "Prozesse, Ideen und Maßnahmen", "Kommentare", "Abstimmungen", "Moderation");
        var comments = ui.Main.Locator("section[aria-labelledby=part-comments]");
        (await comments.InnerTextAsync()).Should().Contain("Kommentare und Antworten").And.Contain("Mein Kommentar für die Datenauskunft.");
        (await ui.Main.Locator("section[aria-labelledby=part-identity]").InnerTextAsync()).Should().Contain(citizen.Email);

        var href = await ui.Main.GetByRole(AriaRole.Link, new() { Name = "Meine Daten herunterladen" }).GetAttributeAsync("href");
        var download = await ui.Page.APIRequest.GetAsync(href!);
        download.Status.Should().Be(200);
        download.Headers["content-type"].Should().StartWith("application/json");
        download.Headers["cache-control"].Should().Contain("no-store");
        using var json = JsonDocument.Parse(await download.BodyAsync());
        json.RootElement.EnumerateObject().Select(p => p.Name).Should().Equal("exportedAt", "identity", "proposals", "comments", "voting", "moderation");
        json.RootElement.GetProperty("comments").GetProperty("comments")[0].GetProperty("text").GetString()
            .Should().Be("Mein Kommentar für die Datenauskunft.");
    }
}
