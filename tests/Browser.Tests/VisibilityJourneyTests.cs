using FluentAssertions;
using Microsoft.Playwright;

namespace Mitreden.Browser.Tests;

/// <summary>
/// Internal and members-only processes (issue #18 part 4): staff restrict a process on its staff page and invite a member
/// through the user search; a citizen who is not a member finds nothing of it, the member does, until staff make it internal.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class VisibilityJourneyTests(BrowserFixture fixture)
{
    [Fact]
    public async Task StaffRestrictAProcess_NonMembersSeeNothingOfIt_TheInvitedMemberDoes()
    {
        var api = fixture.Api;
        var staff = await api.NewUserAsync("Stadt", "staff");
        var member = await api.NewUserAsync("Werkstatt");
        var outsider = await api.NewUserAsync("Buerger");
        var process = await api.NewProcessAsync(await api.TokenAsync(staff.Email, staff.Password), measures: 1);

        await using var ui = await fixture.NewUiAsync("staff");
        await ui.SignInAsync(staff, $"/verwaltung/prozesse/{process.Id}");
        await ui.Main.GetByRole(AriaRole.Link, new() { Name = "Sichtbarkeit: Öffentlich (alle)" }).ClickAsync();
        await ui.CheckAsync("sichtbarkeit");
        await ui.Main.GetByLabel("Nur Mitglieder", new() { Exact = false }).CheckAsync();
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Sichtbarkeit speichern" }), "sichtbarkeit-mitglieder");
        (await ui.Page.Locator("body").InnerTextAsync()).Should().Contain("Gespeichert").And.Contain("Noch keine Mitglieder");

        await ui.Main.GetByLabel("Name, E-Mail-Adresse oder Nutzer-ID").FillAsync(member.Email);
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Suchen" }), "sichtbarkeit-suche");
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = $"{member.DisplayName} als Mitglied hinzufügen" }), "sichtbarkeit-mitglied");
        (await ui.Main.Locator("[data-members]").InnerTextAsync()).Should().Contain(member.DisplayName);

        // Comments and Voting follow within seconds; Proposals (the process page) at once.
        await using var visitor = await fixture.NewUiAsync("visitor");
        (await visitor.Page.GotoAsync($"/prozesse/{process.Id}"))!.Status.Should().Be(404);
        await visitor.VisitAsync("/", "start-ohne-mitgliederprozess");
        (await visitor.Main.InnerTextAsync()).Should().NotContain(process.Title);
        (await (await visitor.Page.APIRequest.GetAsync($"/prozesse/{process.Id}/neuigkeiten.atom")).TextAsync()).Should().NotContain(process.Title);

        await using var citizen = await fixture.NewUiAsync("citizen");
        await citizen.SignInAsync(outsider, "/");
        (await citizen.Main.InnerTextAsync()).Should().NotContain(process.Title);
        (await citizen.Page.GotoAsync($"/prozesse/{process.Id}"))!.Status.Should().Be(404);
        (await citizen.Page.GotoAsync($"/inhalte/{process.Items[0].Id}"))!.Status.Should().Be(404);

        await using var invited = await fixture.NewUiAsync("member");
        await invited.SignInAsync(member, $"/prozesse/{process.Id}");
        await invited.CheckAsync("mitgliederprozess");
        (await invited.Main.InnerTextAsync()).Should().Contain(process.Title);

        // Internal: staff only, the member too sees nothing any more.
        await ui.VisitAsync($"/verwaltung/prozesse/{process.Id}/sichtbarkeit", "sichtbarkeit-erneut");
        await ui.Main.GetByLabel("Intern (nur Verwaltung)").CheckAsync();
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Sichtbarkeit speichern" }), "sichtbarkeit-intern");
        (await invited.Page.GotoAsync($"/prozesse/{process.Id}"))!.Status.Should().Be(404);
        await ui.VisitAsync($"/prozesse/{process.Id}", "interner-prozess-fuer-verwaltung");
        (await ui.Main.InnerTextAsync()).Should().Contain(process.Title);
    }
}
