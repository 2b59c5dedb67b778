using FluentAssertions;
using Microsoft.Playwright;

namespace Mitreden.Browser.Tests;

/// <summary>
/// Internal phases (issue #18 part 4): staff make a phase of a public process internal on the staff phase page and see
/// Proposals' answer; a visitor and a signed-in citizen then find nothing of the phase — not on the process page, not
/// in its calendar — while the process itself stays public; staff still see the phase.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PhaseVisibilityJourneyTests(BrowserFixture fixture)
{
    [Fact]
    public async Task StaffMakeAPhaseInternal_CitizensSeeNothingOfIt_StaffStillDo()
    {
        var api = fixture.Api;
        var staff = await api.NewUserAsync("Stadt", "staff");
        var outsider = await api.NewUserAsync("Buerger");
        var process = await api.NewProcessAsync(await api.TokenAsync(staff.Email, staff.Password), measures: 1);
        var phaseTitle = $"Werkstatt {Guid.NewGuid():N}"[..20];

        await using var ui = await fixture.NewUiAsync("staff");
        await ui.SignInAsync(staff, $"/verwaltung/prozesse/{process.Id}/phasen/{process.PhaseId}");
        await ui.CheckAsync("phase-sichtbarkeit");
        await ui.Page.Locator("#PhaseTitle").FillAsync(phaseTitle);
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Speichern", Exact = true }), "phase-umbenannt");

        await ui.VisitAsync($"/verwaltung/prozesse/{process.Id}/phasen/{process.PhaseId}", "phase-sichtbarkeit-oeffentlich");
        (await ui.Main.Locator("[data-phase-visibility]").GetAttributeAsync("data-phase-visibility")).Should().Be("public");
        await ui.Main.GetByLabel("Intern (nur Verwaltung)").CheckAsync();
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Phasen-Sichtbarkeit festlegen" }), "phase-intern");
        (await ui.Page.Locator("body").InnerTextAsync()).Should().Contain("Es gilt: Intern (nur Verwaltung)");
        (await ui.Main.Locator("[data-phase-visibility]").GetAttributeAsync("data-phase-visibility")).Should().Be("internal");

        // Staff put a new measure into the internal phase with the item form: it follows the phase.
        await ui.VisitAsync($"/verwaltung/prozesse/{process.Id}/inhalte/neu", "eintrag-in-interner-phase");
        await ui.Main.GetByLabel("Titel", new() { Exact = true }).FillAsync("Interne Werkstattnotiz");
        await ui.Main.GetByLabel("Beschreibung").FillAsync("Nur für die Verwaltung.");
        await ui.Main.GetByLabel("Phase (ihre Sichtbarkeit").SelectOptionAsync(process.PhaseId.ToString());
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Anlegen" }), "eintrag-intern-angelegt");
        var internalItem = Guid.Parse(new Uri(ui.Page.Url).Segments[^1]);

        // Proposals hides the phase at once; Voting follows within seconds.
        await using var visitor = await fixture.NewUiAsync("visitor");
        await visitor.VisitAsync($"/prozesse/{process.Id}", "prozess-ohne-interne-phase");
        (await visitor.Main.InnerTextAsync()).Should().Contain(process.Title).And.NotContain(phaseTitle);
        (await (await visitor.Page.APIRequest.GetAsync($"/prozesse/{process.Id}/veranstaltungen.ics")).TextAsync()).Should().NotContain(phaseTitle);

        await using var citizen = await fixture.NewUiAsync("citizen");
        await citizen.SignInAsync(outsider, $"/prozesse/{process.Id}");
        await citizen.CheckAsync("prozess-ohne-interne-phase-angemeldet");
        (await citizen.Main.InnerTextAsync()).Should().Contain(process.Title).And.NotContain(phaseTitle);
        (await citizen.Page.GotoAsync($"/inhalte/{process.Items[0].Id}"))!.Status.Should().Be(200, "the item belongs to no phase");
        (await citizen.Page.GotoAsync($"/inhalte/{internalItem}"))!.Status.Should().Be(404, "the item staff put into the internal phase");

        await ui.VisitAsync($"/prozesse/{process.Id}", "interne-phase-fuer-verwaltung");
        (await ui.Main.InnerTextAsync()).Should().Contain(phaseTitle);
        (await ui.Page.GotoAsync($"/inhalte/{internalItem}"))!.Status.Should().Be(200, "staff still see the internal phase's item");
    }
}
