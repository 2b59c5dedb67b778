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

    [Fact]
    public async Task Staff_PlaceAMeasureAndAnEventInTheirForms_BothOnTheProcessMap_AnEditKeepsThePlace_EmptyFieldsRemoveIt()
    {
        var api = fixture.Api;
        var staff = await api.NewUserAsync("Stadt", "staff");
        var process = await api.NewProcessAsync(await api.TokenAsync(staff.Email, staff.Password), measures: 1);
        var measure = process.Items[0];
        await using var ui = await fixture.NewUiAsync("staff");
        await ui.SignInAsync(staff, $"/verwaltung/inhalte/{measure.Id}");
        ILocator Content() => ui.Main.Locator("form", new() { Has = ui.Page.Locator("#Form_Latitude") });
        await Content().GetByLabel("Breitengrad").FillAsync("51,6140");
        await Content().GetByLabel("Längengrad").FillAsync("7.5270");
        await ui.SubmitAsync(Content().GetByRole(AriaRole.Button, new() { Name = "Speichern" }), "massnahme-mit-ort");
        (await ui.Page.Locator("#Form_Latitude").InputValueAsync()).Should().Be("51.614");

        await ui.VisitAsync($"/verwaltung/prozesse/{process.Id}/veranstaltungen/neu", "veranstaltung-neu-mit-ort");
        var day = DateTime.UtcNow.Date.AddDays(20);
        await ui.Main.GetByLabel("Titel").FillAsync("Ortsbegehung am Kanal");
        await ui.Main.GetByLabel("Beginn").FillAsync($"{day:yyyy-MM-dd}T17:00");
        await ui.Main.GetByLabel("Ende", new() { Exact = true }).FillAsync($"{day:yyyy-MM-dd}T19:00");
        await ui.Main.GetByLabel("Ort", new() { Exact = true }).FillAsync("Treffpunkt Kanalbrücke");
        await ui.Main.GetByLabel("Breitengrad").FillAsync("51.6160");
        await ui.Main.GetByLabel("Längengrad").FillAsync("7.5300");
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Veranstaltung anlegen" }), "veranstaltung-mit-ort");
        var eventId = Guid.Parse(new Uri(ui.Page.Url).AbsolutePath.Split('/')[^1]);

        // Changing the event's title in its form keeps its place (the form sends the whole event, the place included).
        await ui.VisitAsync($"/verwaltung/prozesse/{process.Id}/veranstaltungen/{eventId}", "veranstaltung-ort-bearbeiten");
        (await ui.Main.GetByLabel("Breitengrad").InputValueAsync()).Should().Be("51.616");
        await ui.Main.GetByLabel("Titel").FillAsync("Ortsbegehung am Kanal (verschoben)");
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Speichern", Exact = true }), "veranstaltung-gespeichert");

        await ui.VisitAsync($"/prozesse/{process.Id}#karte", "prozesskarte-verwaltung");
        var list = ui.Main.Locator("#process-map-list");
        (await list.Locator("a", new() { HasText = measure.Title }).CountAsync()).Should().Be(1);
        (await list.Locator("a", new() { HasText = "Ortsbegehung am Kanal (verschoben)" }).CountAsync()).Should().Be(1);

        // Empty fields: the measure has no place any more and leaves the map.
        await ui.VisitAsync($"/verwaltung/inhalte/{measure.Id}", "massnahme-ort-entfernen");
        await Content().GetByLabel("Breitengrad").FillAsync("");
        await Content().GetByLabel("Längengrad").FillAsync("");
        await ui.SubmitAsync(Content().GetByRole(AriaRole.Button, new() { Name = "Speichern" }), "massnahme-ohne-ort");
        await ui.VisitAsync($"/prozesse/{process.Id}#karte", "prozesskarte-ohne-massnahme");
        (await ui.Main.Locator("#process-map-list a", new() { HasText = measure.Title }).CountAsync()).Should().Be(0);
        (await ui.Main.Locator("#process-map-list a", new() { HasText = "Ortsbegehung am Kanal" }).CountAsync()).Should().Be(1);
    }
}
