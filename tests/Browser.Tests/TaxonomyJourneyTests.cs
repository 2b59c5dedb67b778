using FluentAssertions;
using Microsoft.Playwright;

namespace Mitreden.Browser.Tests;

/// <summary>Staff describe, rename and remove fields of action and cross-cutting themes of a process.</summary>
[Collection(BrowserCollection.Name)]
public sealed class TaxonomyJourneyTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Staff_EditDescribeAndRemoveTopics_ATopicWithItemsIsNotRemoved()
    {
        var api = fixture.Api;
        var staff = await api.NewUserAsync("Stadt", "staff");
        var process = await api.NewProcessAsync(await api.TokenAsync(staff.Email, staff.Password), measures: 1);

        await using var ui = await fixture.NewUiAsync("staff-topics");
        await ui.SignInAsync(staff, $"/verwaltung/prozesse/{process.Id}");
        var topics = ui.Main.Locator("section[aria-labelledby=topics-heading]");

        // A theme with a description.
        await topics.GetByLabel("Titel").Last.FillAsync("Digitalisierung");
        await topics.GetByLabel("Beschreibung").Last.FillAsync("Digitale Dienste in allen Handlungsfeldern.");
        await topics.Locator("#topicKind").SelectOptionAsync("theme");
        await ui.SubmitAsync(topics.GetByRole(AriaRole.Button, new() { Name = "Hinzufügen" }), "thema-hinzugefuegt");
        (await topics.Locator("[data-topic='Digitalisierung']").InnerTextAsync()).Should().Contain("Digitale Dienste in allen Handlungsfeldern.");

        // The field of action gets a new title and a description.
        var mobility = topics.Locator("[data-topic='Mobilität']");
        await mobility.Locator("summary").ClickAsync();
        await mobility.GetByLabel("Titel").FillAsync("Mobilität und Verkehr");
        await mobility.GetByLabel("Beschreibung").FillAsync("Rad, Bus, Bahn und Fußwege.");
        await ui.SubmitAsync(mobility.GetByRole(AriaRole.Button, new() { Name = "Speichern" }), "handlungsfeld-gespeichert");
        var renamed = topics.Locator("[data-topic='Mobilität und Verkehr']");
        (await renamed.InnerTextAsync()).Should().Contain("Rad, Bus, Bahn und Fußwege.");

        // The measure belongs to the field: Proposals refuses, the page says why in German.
        await renamed.Locator("summary").ClickAsync();
        await ui.SubmitAsync(renamed.GetByRole(AriaRole.Button, new() { Name = "„Mobilität und Verkehr“ entfernen" }), "handlungsfeld-in-gebrauch");
        (await topics.Locator("[data-topic='Mobilität und Verkehr']").InnerTextAsync()).Should().Contain("Das lässt sich nicht entfernen");

        // The theme has no items: it goes.
        var theme = topics.Locator("[data-topic='Digitalisierung']");
        await theme.Locator("summary").ClickAsync();
        await ui.SubmitAsync(theme.GetByRole(AriaRole.Button, new() { Name = "„Digitalisierung“ entfernen" }), "thema-entfernt");
        (await topics.Locator("[data-topic='Digitalisierung']").CountAsync()).Should().Be(0);
        (await ui.Page.Locator("body").InnerTextAsync()).Should().Contain("Entfernt.");
    }
}
