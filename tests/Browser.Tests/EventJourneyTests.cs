using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using FluentAssertions;
using Microsoft.Playwright;

namespace Mitreden.Browser.Tests;

/// <summary>
/// Events of a process (issue #18 part 1): staff create an event with a seat limit and write the minutes of a past one
/// with a document; a citizen registers, finds it under "Meine Anmeldungen", takes the .ics and cancels, and the
/// first on the waiting list moves up.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class EventJourneyTests(BrowserFixture fixture)
{
    private static readonly byte[] Pdf = System.Text.Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n");

    private static string Local(DateTime berlin) => berlin.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture);

    [Fact]
    public async Task StaffCreateAnEvent_CitizenRegistersAndCancels_WaitingListMovesUp_StaffWriteMinutes()
    {
        var api = fixture.Api;
        var staff = await api.NewUserAsync("Stadt", "staff");
        var staffToken = await api.TokenAsync(staff.Email, staff.Password);
        var process = await api.NewProcessAsync(staffToken, measures: 0);
        await using var ui = await fixture.NewUiAsync("staff");
        await ui.SignInAsync(staff, $"/prozesse/{process.Id}/veranstaltungen");
        (await ui.Main.InnerTextAsync()).Should().Contain("keine Veranstaltungen geplant");

        await ui.Main.GetByRole(AriaRole.Link, new() { Name = "Neue Veranstaltung" }).ClickAsync();
        await ui.CheckAsync("veranstaltung-neu");
        var day = DateTime.SpecifyKind(DateTime.UtcNow.Date.AddDays(30), DateTimeKind.Unspecified);
        await ui.Main.GetByLabel("Titel").FillAsync("Zukunftswerkstatt Innenstadt");
        await ui.Main.GetByLabel("Beschreibung").FillAsync("Wir entwickeln **Szenarien** für die Innenstadt.");
        await ui.Main.GetByLabel("Beginn").FillAsync(Local(day.AddHours(18)));
        await ui.Main.GetByLabel("Ende", new() { Exact = true }).FillAsync(Local(day.AddHours(17)));
        await ui.Main.GetByLabel("Ort", new() { Exact = true }).FillAsync("Rathausgalerie, Saal 2");
        await ui.Main.GetByLabel("Teilnahme nur mit Anmeldung").CheckAsync();
        await ui.Main.GetByLabel("Zahl der Plätze").FillAsync("1");
        // End before start: Proposals refuses and the page says so at the end field; nothing is created.
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Veranstaltung anlegen" }), "veranstaltung-ende-vor-beginn");
        (await ui.Page.Locator("#EventEndsAt").GetAttributeAsync("aria-invalid")).Should().Be("true");
        (await ui.Page.Locator("[data-error-summary]").InnerTextAsync()).Should().Contain("Das Ende muss nach dem Beginn liegen");
        await ui.Main.GetByLabel("Ende", new() { Exact = true }).FillAsync(Local(day.AddHours(20)));
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Veranstaltung anlegen" }), "veranstaltung-angelegt");
        (await ui.Page.Locator("body").InnerTextAsync()).Should().Contain("Die Veranstaltung ist angelegt");
        var eventUrl = new Uri(ui.Page.Url).AbsolutePath;
        var eventId = Guid.Parse(eventUrl.Split('/')[^1]);
        (await ui.Main.InnerTextAsync()).Should().Contain("0 von 1 Plätzen vergeben");

        // A citizen registers on the event page and finds it under "Meine Anmeldungen".
        var citizen = await api.NewUserAsync("Bürgerin");
        await using var person = await fixture.NewUiAsync("citizen");
        await person.SignInAsync(citizen, eventUrl);
        (await person.Main.Locator(".news-body strong").First.InnerTextAsync()).Should().Be("Szenarien");
        await person.SubmitAsync(person.Main.GetByRole(AriaRole.Button, new() { Name = "Anmelden", Exact = true }), "veranstaltung-angemeldet");
        (await person.Page.Locator("body").InnerTextAsync()).Should().Contain("Sie sind angemeldet.");

        // Someone else registers: the seat is taken, so they wait.
        var second = await api.NewUserAsync("Nachrückerin");
        var secondToken = await api.TokenAsync(second.Email, second.Password);
        var registration = $"/api/proposals/processes/{process.Id}/events/{eventId}/registration";
        using (var waiting = await api.SendAsync(HttpMethod.Post, registration, secondToken, null))
        {
            waiting.EnsureSuccessStatusCode();
            (await waiting.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("myStatus").GetString().Should().Be("waiting");
        }

        // "Add to calendar": an iCalendar file with the event's UID and its time in UTC.
        var ics = await person.Page.APIRequest.GetAsync((await person.Main.GetByRole(AriaRole.Link, new() { Name = "In den Kalender (iCal)" })
            .GetAttributeAsync("href"))!);
        ics.Status.Should().Be(200);
        ics.Headers["content-type"].Should().StartWith("text/calendar");
        ics.Headers["content-disposition"].Should().StartWith("attachment");
        var calendar = await ics.TextAsync();
        calendar.Should().Contain("BEGIN:VEVENT").And.Contain("SUMMARY:Zukunftswerkstatt Innenstadt").And.Contain($"UID:{eventId}@mitreden");
        var starts = TimeZoneInfo.ConvertTimeToUtc(day.AddHours(18), TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"));
        calendar.Should().Contain($"DTSTART:{starts:yyyyMMdd'T'HHmmss}Z", "18:00 in Berlin, written in UTC");

        await person.VisitAsync("/konto", "konto");
        await person.Main.GetByRole(AriaRole.Link, new() { Name = "Meine Anmeldungen" }).ClickAsync();
        await person.CheckAsync("meine-anmeldungen");
        var row = person.Main.Locator("tbody tr");
        (await row.InnerTextAsync()).Should().Contain("Zukunftswerkstatt Innenstadt").And.Contain("Angemeldet");

        // Staff see the list and take the sign-in sheet.
        await ui.VisitAsync($"/verwaltung/prozesse/{process.Id}/veranstaltungen/{eventId}", "veranstaltung-verwalten");
        (await ui.Main.Locator("table tbody").InnerTextAsync()).Should().Contain(citizen.DisplayName).And.Contain(second.DisplayName).And.Contain("Auf der Warteliste");
        var sheet = await ui.Page.APIRequest.GetAsync((await ui.Main.GetByRole(AriaRole.Link, new() { Name = "Teilnehmerliste als CSV" }).GetAttributeAsync("href"))!);
        sheet.Status.Should().Be(200);
        var csv = System.Text.Encoding.UTF8.GetString(await sheet.BodyAsync());
        csv.Should().StartWith("\uFEFFNr.;Name;Status;Unterschrift").And.Contain($"1;{citizen.DisplayName};angemeldet;").And.NotContain("@");

        // The citizen cancels: the seat goes to the first on the waiting list.
        await person.SubmitAsync(person.Main.GetByRole(AriaRole.Button, new() { Name = "Anmeldung stornieren: Zukunftswerkstatt Innenstadt" }),
            "anmeldung-storniert");
        (await person.Page.Locator("body").InnerTextAsync()).Should().Contain("Ihre Anmeldung ist storniert").And.Contain("für keine Veranstaltung angemeldet");
        var mine = await api.GetJsonAsync("/api/proposals/me/event-registrations", secondToken);
        mine.EnumerateArray().Single().GetProperty("status").GetString().Should().Be("registered", "the waiting list moved up");

        // After an event: staff write the minutes and attach a document; everyone reads them on the event page.
        var past = await api.GetJsonAsync($"/api/proposals/processes/{process.Id}/events", null); // the list works anonymously
        past.GetArrayLength().Should().Be(1);
        using (var created = await api.SendAsync(HttpMethod.Post, $"/api/proposals/processes/{process.Id}/events", staffToken, new
        {
            title = "Auftaktveranstaltung", startsAt = DateTimeOffset.UtcNow.AddDays(-3), endsAt = DateTimeOffset.UtcNow.AddDays(-3).AddHours(4),
            place = "Rathausgalerie",
        }))
        {
            created.EnsureSuccessStatusCode();
            var kickoff = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
            await ui.VisitAsync($"/verwaltung/prozesse/{process.Id}/veranstaltungen/{kickoff}", "auftakt-verwalten");
            await ui.Main.GetByLabel("Protokoll (Markdown)").FillAsync("## Ergebnisse\n\n- Leitbild diskutiert\n- 80 Teilnehmende");
            await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Protokoll speichern" }), "protokoll-gespeichert");
            (await ui.Page.Locator("body").InnerTextAsync()).Should().Contain("Das Protokoll ist gespeichert");

            await ui.VisitAsync($"/verwaltung/prozesse/{process.Id}/veranstaltungen/{kickoff}", "auftakt-verwalten-2");
            await ui.Main.GetByRole(AriaRole.Link, new() { Name = "Dokument zur Veranstaltung hochladen" }).ClickAsync();
            await ui.CheckAsync("dokument-zur-veranstaltung");
            await ui.Main.GetByLabel("Datei").SetInputFilesAsync(new FilePayload { Name = "Protokoll Auftakt.pdf", MimeType = "application/pdf", Buffer = Pdf });
            await ui.Main.GetByLabel("Titel").FillAsync("Protokoll der Auftaktveranstaltung");
            await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Hochladen" }), "dokument-zur-veranstaltung-hochgeladen");
            (await ui.Main.InnerTextAsync()).Should().Contain("Protokoll der Auftaktveranstaltung");

            await using var visitor = await fixture.NewUiAsync("visitor");
            await visitor.VisitAsync($"/prozesse/{process.Id}", "prozess-mit-veranstaltungen");
            (await visitor.Main.Locator("section.events").InnerTextAsync()).Should().Contain("Zukunftswerkstatt Innenstadt");
            await visitor.VisitAsync($"/prozesse/{process.Id}/veranstaltungen/{kickoff}", "auftakt-mit-protokoll");
            (await visitor.Main.Locator("#minutes-heading + div li").First.InnerTextAsync()).Should().Be("Leitbild diskutiert");
            var link = visitor.Main.GetByRole(AriaRole.Link, new() { Name = "Protokoll der Auftaktveranstaltung" });
            (await visitor.Page.APIRequest.GetAsync((await link.GetAttributeAsync("href"))!)).Status.Should().Be(200);
            (await visitor.Main.InnerTextAsync()).Should().NotContain("Anmelden", "an event without registration offers none");
        }
    }
}
