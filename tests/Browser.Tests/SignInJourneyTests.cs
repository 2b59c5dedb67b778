using FluentAssertions;
using Microsoft.Playwright;

namespace Mitreden.Browser.Tests;

/// <summary>
/// Signing in with the OpenID Connect code flow: on Identity's pages (the web's look, German first, errors at the field),
/// back in the web with a session, and signing out of both.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SignInJourneyTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Citizen_SignsInOnIdentitysPage_Votes_SignOutEndsBothSessions()
    {
        var api = fixture.Api;
        var staff = await api.NewUserAsync("Stadt", "staff");
        var staffToken = await api.TokenAsync(staff.Email, staff.Password);
        var process = await api.NewProcessAsync(staffToken, measures: 2);
        var ballotId = await api.NewBallotAsync(staffToken, process, "approval", maxSelections: 1, visibility: "live");
        var citizen = await api.NewUserAsync("Codeflow");

        await using var ui = await fixture.NewUiAsync("codeflow-citizen");
        await ui.VisitAsync($"/abstimmungen/{ballotId}", "abstimmung-vor-anmeldung");
        await ui.Page.Locator("header").GetByRole(AriaRole.Link, new() { Name = "Anmelden" }).ClickAsync();
        await ui.CheckAsync("identity-anmelden");
        ui.Page.Url.Should().Contain(Ui.IdentitySignInPage);
        (await ui.Page.GetAttributeAsync("html", "lang")).Should().Be("de");
        (await ui.Main.GetByLabel("E-Mail-Adresse").GetAttributeAsync("autocomplete")).Should().Be("username");
        (await ui.Main.GetByLabel("Passwort").GetAttributeAsync("autocomplete")).Should().Be("current-password");

        // Errors at the field and in the summary, nothing revealed about the account.
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Anmelden" }), "identity-anmelden-leer");
        (await ui.Page.Locator("[data-error-summary]").InnerTextAsync()).Should().Contain("Bitte geben Sie Ihre E-Mail-Adresse an.");
        (await ui.Main.GetByLabel("E-Mail-Adresse").GetAttributeAsync("aria-describedby")).Should().Be("Email-error");
        await ui.Main.GetByLabel("E-Mail-Adresse").FillAsync(citizen.Email);
        await ui.Main.GetByLabel("Passwort").FillAsync("falsches-Passwort-123");
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Anmelden" }), "identity-anmelden-falsch");
        (await ui.Main.Locator("#Email-error").InnerTextAsync()).Should().Contain("E-Mail-Adresse oder Passwort ist falsch.");
        (await ui.Main.GetByLabel("E-Mail-Adresse").GetAttributeAsync("aria-invalid")).Should().Be("true");

        await ui.SignInHereAsync(citizen);
        ui.Page.Url.Should().EndWith($"/abstimmungen/{ballotId}", "the code flow returns to the page the sign-in started from");
        (await ui.Page.Context.CookiesAsync()).Select(c => c.Name).Should().Contain(["mitreden.session", "mitreden.identity"])
            .And.NotContain(c => c.StartsWith("mitreden.signin.", StringComparison.Ordinal), "the flow's correlation cookie is used up");

        await ui.Main.GetByRole(AriaRole.Checkbox, new() { Name = process.Items[0].Title }).CheckAsync();
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Stimme abgeben" }), "codeflow-quittung");
        ui.Page.Url.Should().Contain("/quittung");

        await ui.SubmitAsync(ui.Page.Locator("header").GetByRole(AriaRole.Button, new() { Name = "Abmelden" }), "abgemeldet");
        ui.Page.Url.Should().EndWith("/", "Identity's sign-out returns to the web");
        (await ui.Main.InnerTextAsync()).Should().Contain("Sie sind abgemeldet.");
        (await ui.Page.Context.CookiesAsync()).Select(c => c.Name).Should().NotContain("mitreden.session").And.NotContain("mitreden.identity");

        // Back to a protected page: Identity asks for the password again (its session ended too).
        await ui.Page.GotoAsync("/konto");
        await ui.CheckAsync("nach-abmelden-konto");
        ui.Page.Url.Should().Contain(Ui.IdentitySignInPage);
        (await ui.Main.GetByLabel("Passwort").IsVisibleAsync()).Should().BeTrue();
    }

    [Fact]
    public async Task VotingCodeHolder_FromIdentitysSignInPage_LandsOnTheGroupsBallotAndVotes()
    {
        var api = fixture.Api;
        var staff = await api.NewUserAsync("Stadt", "staff");
        var staffToken = await api.TokenAsync(staff.Email, staff.Password);
        var process = await api.NewProcessAsync(staffToken, measures: 2);
        var groupName = $"Werkstatt {Guid.NewGuid():N}"[..20];
        var (groupId, code) = await api.VotingCodeAsync(groupName);
        var ballotId = await api.NewBallotAsync(staffToken, process, "approval", maxSelections: 1, visibility: "live",
            eligibility: new { kind = "voting-group", votingGroupId = groupId, votingGroupName = groupName });

        await using var ui = await fixture.NewUiAsync("codeflow-code-voter");
        await ui.VisitAsync("/", "start-code");
        await ui.Page.Locator("header").GetByRole(AriaRole.Link, new() { Name = "Anmelden" }).ClickAsync();
        await ui.CheckAsync("identity-anmelden-code");
        await ui.Main.GetByRole(AriaRole.Link, new() { Name = "Mit Abstimmungscode abstimmen" }).ClickAsync();
        await ui.CheckAsync("identity-abstimmungscode");
        ui.Page.Url.Should().Contain("/abstimmungscode?returnUrl=%2Fapi%2Fidentity%2Fconnect%2Fauthorize%3F");
        (await ui.Main.GetByLabel("Abstimmungscode").GetAttributeAsync("autocomplete")).Should().Be("one-time-code");
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Code verwenden" }), "identity-code-leer");
        (await ui.Main.Locator("#Code-error").InnerTextAsync()).Should().Contain("Bitte geben Sie Ihren Abstimmungscode an.");
        await ui.Main.GetByLabel("Abstimmungscode").FillAsync(code);
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Code verwenden" }), "code-auf-abstimmung");

        ui.Page.Url.Should().EndWith($"/abstimmungen/{ballotId}", "a code voter lands on the ballot of their group, not the process list");
        (await ui.Page.Locator("header").InnerTextAsync()).Should().Contain("Abstimmung mit Code");
        await ui.Main.GetByRole(AriaRole.Checkbox, new() { Name = process.Items[1].Title }).CheckAsync();
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Stimme abgeben" }), "code-voter-quittung");
        ui.Page.Url.Should().Contain("/quittung");
    }

    [Fact]
    public async Task Citizen_ForgotPassword_ResetsOnIdentitysPagesFromTheMail_SignsInWithTheNewPassword()
    {
        var citizen = await fixture.Api.NewUserAsync("Vergesslich");
        const string newPassword = "Ganz-neues-Passwort-2026";

        await using var ui = await fixture.NewUiAsync("password-reset");
        await ui.VisitAsync("/anmelden?returnUrl=%2Fkonto", "anmelden-vor-reset");
        await ui.Main.GetByRole(AriaRole.Link, new() { Name = "Passwort vergessen?" }).ClickAsync();
        await ui.CheckAsync("passwort-vergessen-identity");
        ui.Page.Url.Should().Contain("/konto/passwort-vergessen?returnUrl=%2Fapi%2Fidentity%2Fconnect%2Fauthorize%3F",
            "the page keeps the authorization request it came from");

        // One English look: the same page in the reader's other language, errors at the field too.
        await ui.SubmitAsync(ui.Page.GetByRole(AriaRole.Button, new() { Name = "English" }), "forgot-password-en");
        (await ui.Page.GetAttributeAsync("html", "lang")).Should().Be("en");
        (await ui.Page.Locator("h1").InnerTextAsync()).Should().Be("Forgot password");
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Request link" }), "forgot-password-en-empty");
        (await ui.Main.Locator("#Email-error").InnerTextAsync()).Should().Contain("Please enter your email address.");
        await ui.SubmitAsync(ui.Page.GetByRole(AriaRole.Button, new() { Name = "Deutsch" }), "passwort-vergessen-de");
        (await ui.Page.GetAttributeAsync("html", "lang")).Should().Be("de");

        await ui.Main.GetByLabel("E-Mail-Adresse").FillAsync(citizen.Email);
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Link anfordern" }), "passwort-link-gesendet");
        (await ui.Main.InnerTextAsync()).Should().Contain("ist die E-Mail unterwegs", "the same answer with an account or without");

        // The link from the mail: Identity's page; the old password stops working, the new one signs in.
        await ui.VisitAsync(await StackApi.ResetLinkAsync(citizen.Email), "passwort-zuruecksetzen");
        (await ui.Main.GetByLabel("Nutzer-ID").InputValueAsync()).Should().Be(citizen.Id.ToString(), "the link fills in the fields");
        (await ui.Main.GetByLabel("Neues Passwort").GetAttributeAsync("autocomplete")).Should().Be("new-password");
        await ui.Main.GetByLabel("Neues Passwort").FillAsync("kurz");
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Passwort speichern" }), "passwort-zu-kurz");
        (await ui.Main.Locator("#NewPassword-error").InnerTextAsync()).Should().Contain("mindestens 10 Zeichen");
        await ui.Main.GetByLabel("Neues Passwort").FillAsync(newPassword);
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Passwort speichern" }), "passwort-geaendert");
        (await ui.Main.InnerTextAsync()).Should().Contain("Ihr Passwort ist geändert");

        await ui.Main.GetByRole(AriaRole.Link, new() { Name = "Anmelden" }).ClickAsync();
        await ui.CheckAsync("anmelden-nach-reset");
        await ui.Main.GetByLabel("E-Mail-Adresse").FillAsync(citizen.Email);
        await ui.Main.GetByLabel("Passwort").FillAsync(citizen.Password);
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Anmelden" }), "altes-passwort");
        (await ui.Main.Locator("#Email-error").InnerTextAsync()).Should().Contain("E-Mail-Adresse oder Passwort ist falsch.");
        await ui.SignInHereAsync(citizen with { Password = newPassword });
        ui.Page.Url.Should().EndWith("/konto");
    }
}
