using FluentAssertions;
using Microsoft.Playwright;

namespace Mitreden.Browser.Tests;

/// <summary>
/// Maps (issue #19 part 2): a citizen places an idea on the map of the idea form (a click, then exact coordinates), it
/// shows on the process map and in its list alternative, filtered by district; without JavaScript the coordinate
/// fields alone do it. The test stack's tiles are the web's own picture: no request leaves the machine.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class MapJourneyTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Citizen_PlacesIdeaOnTheMap_ItShowsOnTheProcessMapAndInItsList()
    {
        var api = fixture.Api;
        var staff = await api.NewUserAsync("Stadt", "staff");
        var process = await api.NewProcessAsync(await api.TokenAsync(staff.Email, staff.Password), measures: 0);
        await api.EnsureDistrictAsync("nord");
        await api.EnsureDistrictAsync("sued");
        var citizen = await api.NewUserAsync("Bürgerin");
        await using var ui = await fixture.NewUiAsync("citizen");
        var requested = new System.Collections.Concurrent.ConcurrentBag<string>();
        ui.Page.Request += (_, request) => requested.Add(request.Url);
        await ui.SignInAsync(citizen, $"/prozesse/{process.Id}/idee");
        await ui.CheckAsync("idee-mit-karte");

        var pickMap = ui.Page.Locator("#pick-map");
        (await pickMap.GetAttributeAsync("class")).Should().Contain("leaflet-container", "Leaflet runs from the web's own copy");
        (await pickMap.GetAttributeAsync("role")).Should().Be("region");
        (await pickMap.GetAttributeAsync("aria-label")).Should().NotBeNullOrEmpty();

        var title = $"Sitzbänke am Kanal {Random.Shared.Next(1000, 9999)}";
        await ui.Main.GetByLabel("Titel").FillAsync(title);
        await ui.Main.GetByLabel("Beschreibung").FillAsync("Zum Ausruhen auf dem Weg in die Innenstadt.");

        // A place far from the city: Proposals refuses it at the field, in German.
        await ui.Main.GetByLabel("Breitengrad").FillAsync("48.8584");
        await ui.Main.GetByLabel("Längengrad").FillAsync("2.2945");
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Idee einreichen" }), "idee-ort-ausserhalb");
        (await ui.Page.Locator("#Latitude").GetAttributeAsync("aria-invalid")).Should().Be("true");
        (await ui.Page.Locator("[data-error-summary]").InnerTextAsync()).Should().Contain("außerhalb");

        // A click on the map fills both fields; then the exact place is typed in.
        await ui.Main.GetByLabel("Breitengrad").FillAsync("");
        await ui.Main.GetByLabel("Längengrad").FillAsync("");
        await ui.Page.Locator("#pick-map").ClickAsync();
        (await ui.Main.GetByLabel("Breitengrad").InputValueAsync()).Should().MatchRegex(@"^-?\d+(\.\d+)?$");
        (await ui.Main.GetByLabel("Längengrad").InputValueAsync()).Should().MatchRegex(@"^-?\d+(\.\d+)?$");
        await ui.Main.GetByLabel("Breitengrad").FillAsync("51,6146");
        await ui.Main.GetByLabel("Längengrad").FillAsync("7.5283");
        await ui.Main.GetByLabel("Stadtteil", new() { Exact = true }).SelectOptionAsync("nord");
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Idee einreichen" }), "idee-mit-ort");
        var itemPath = new Uri(ui.Page.Url).AbsolutePath;
        itemPath.Should().StartWith("/inhalte/");
        (await ui.Main.Locator("#ort").InnerTextAsync()).Should().Contain("51.6146").And.Contain("7.5283");

        // The process map: a marker and an entry with a link, also when filtered by the idea's district.
        await ui.VisitAsync($"/prozesse/{process.Id}?bezirk=nord#karte", "prozesskarte-nord");
        var entry = ui.Main.Locator("#process-map-list a", new() { HasText = title });
        (await entry.GetAttributeAsync("href")).Should().Be(itemPath);
        (await ui.Page.Locator($"#process-map .leaflet-marker-icon[title=\"{title}\"]").CountAsync()).Should().Be(1);
        await ui.Page.Locator($"#process-map .leaflet-marker-icon[title=\"{title}\"]").FocusAsync();
        await ui.Page.Keyboard.PressAsync("Enter");
        (await ui.Page.Locator("#process-map .leaflet-popup a", new() { HasText = title }).CountAsync()).Should().Be(1,
            "Enter on the focused marker opens its popup with the link");

        await ui.Main.GetByLabel("Stadtteil", new() { Exact = true }).SelectOptionAsync("sued");
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Anzeigen" }), "prozesskarte-sued");
        (await ui.Main.Locator("#process-map-list a", new() { HasText = title }).CountAsync()).Should().Be(0);
        (await ui.Main.Locator("#karte").InnerTextAsync()).Should().Contain("Noch nichts mit einem Ort");

        // Without JavaScript: no map, the fields alone place the idea.
        await using (var plain = await fixture.NewUiAsync("citizen-ohne-js", javaScript: false))
        {
            plain.Page.Request += (_, request) => requested.Add(request.Url);
            await plain.SignInAsync(await api.NewUserAsync("Nachbar"), $"/prozesse/{process.Id}/idee");
            (await plain.Page.Locator("#pick-map").IsVisibleAsync()).Should().BeFalse();
            await plain.Main.GetByLabel("Titel").FillAsync("Trinkbrunnen am Rathaus");
            await plain.Main.GetByLabel("Beschreibung").FillAsync("Wasser für alle.");
            await plain.Main.GetByLabel("Breitengrad").FillAsync("51.6150");
            await plain.Main.GetByLabel("Längengrad").FillAsync("7.5290");
            await plain.SubmitAsync(plain.Main.GetByRole(AriaRole.Button, new() { Name = "Idee einreichen" }), "idee-ohne-js");
            new Uri(plain.Page.Url).AbsolutePath.Should().StartWith("/inhalte/");
            await plain.VisitAsync($"/prozesse/{process.Id}#karte", "prozesskarte-ohne-js");
            (await plain.Main.Locator("#process-map-list a", new() { HasText = "Trinkbrunnen am Rathaus" }).CountAsync()).Should().Be(1);
        }

        requested.Should().NotBeEmpty();
        requested.Select(url => new Uri(url)).Where(u => u.Scheme is "http" or "https")
            .Should().OnlyContain(u => u.Host == "127.0.0.1", "maps in tests load tiles from the stack itself, never from the internet");
        requested.Should().Contain(url => url.Contains("/img/map-test-tile.png"), "the map asked the stack's tile");
    }
}
