using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using FluentAssertions;
using Mitreden.Identity.Api.Features.Abuse;
using Mitreden.Identity.Api.Features.Mail;
using Mitreden.TestKit;
using Xunit;

namespace Mitreden.Identity.Tests;

/// <summary>
/// Identity's account pages for the browser (registration, confirmation, password reset, letter code): the rules and limits
/// of the JSON API (one implementation, AccountActions / LetterCodesApi), answers that do not tell whether an address has an
/// account, antiforgery, the return address, and the sign-in session for the letter code.
/// </summary>
[Collection(IdentityCollection.Name)]
public sealed partial class AccountPagesTests(IdentityFixture fixture)
{
    private const string IssuerPath = "/api/identity";
    private static readonly AttemptLimits Defaults = new();

    private HttpClient Browser(string? address = null)
    {
        var client = fixture.Factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        client.DefaultRequestHeaders.Add("X-Forwarded-For", address ?? IdentityFixture.RandomAddress());
        return client;
    }

    /// <summary>Opens the page, then posts its form with the page's antiforgery token and these fields.</summary>
    private static async Task<(HttpResponseMessage Response, string Html)> PostFormAsync(HttpClient browser, string page, Dictionary<string, string> fields)
    {
        var form = await browser.GetAsync(page);
        form.StatusCode.Should().Be(HttpStatusCode.OK, await form.Content.ReadAsStringAsync());
        var token = AntiforgeryField().Match(await form.Content.ReadAsStringAsync());
        token.Success.Should().BeTrue("every form of Identity's pages carries an antiforgery token");
        fields["__RequestVerificationToken"] = token.Groups[1].Value;
        var response = await browser.PostAsync(page.Split('?')[0], new FormUrlEncodedContent(fields));
        return (response, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
    }

    private static Dictionary<string, string> Registration(string email, string password = IdentityFixture.Password) => new()
    {
        ["DisplayName"] = "Seitenperson", ["Email"] = email, ["Password"] = password, ["PasswordConfirmation"] = password, ["AcceptPrivacy"] = "true",
    };

    /// <summary>The page's text without the one value that differs between two answers.</summary>
    private static string MainText(string html, string except)
    {
        var main = MainPart().Match(html);
        main.Success.Should().BeTrue("the page has its main part");
        return main.Value.Replace(except, "…", StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_KnownAddressAndNewAddress_SameAnswer_OwnerIsMailed_NoSecondAccount()
    {
        var known = await fixture.CreateAccountAsync("Schon Da");
        var fresh = IdentityFixture.NewEmail("neu");

        var (knownResponse, knownHtml) = await PostFormAsync(Browser(), "/konto/registrieren", Registration(known.Email));
        var (freshResponse, freshHtml) = await PostFormAsync(Browser(), "/konto/registrieren", Registration(fresh));

        knownResponse.StatusCode.Should().Be(HttpStatusCode.OK);
        freshResponse.StatusCode.Should().Be(HttpStatusCode.OK);
        freshHtml.Should().Contain("Wir haben eine E-Mail an " + fresh + " geschickt");
        MainText(knownHtml, known.Email).Should().Be(MainText(freshHtml, fresh), "the page must not tell whether the address has an account");
        await Eventually.AssertAsync(() =>
        {
            fixture.MailsTo(known.Email).Should().Contain(m => m.Subject.Contains("bereits ein Konto"), "the owner learns that someone tried to register the address");
            return Task.CompletedTask;
        }, TimeSpan.FromSeconds(10));
        (await fixture.ReadMailTokenAsync(fresh, AccountMails.ConfirmEmailPath)).UserId.Should().NotBeEmpty();
        (await fixture.InDbAsync(db => Task.FromResult(db.Users.Count(u => u.Email == known.Email)))).Should().Be(1);
    }

    [Fact]
    public async Task Register_BadInput_ErrorsAtTheFields_InTheReadersLanguage_PasswordNeverWrittenBack()
    {
        var browser = Browser();
        var fields = Registration("keine-adresse", "kurz");
        fields["DisplayName"] = "a@b";
        fields["AcceptPrivacy"] = "false";

        var (response, html) = await PostFormAsync(browser, "/konto/registrieren", fields);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        html.Should().Contain("id=\"Email-error\"").And.Contain("gültige E-Mail-Adresse")
            .And.Contain("id=\"DisplayName-error\"").And.Contain("kein „@“")
            .And.Contain("id=\"AcceptPrivacy-error\"").And.NotContain("value=\"kurz\"");

        browser.DefaultRequestHeaders.Add("Cookie", ".AspNetCore.Culture=c%3Den%7Cuic%3Den");
        fields = Registration(IdentityFixture.NewEmail(), "kurz");
        var (english, englishHtml) = await PostFormAsync(browser, "/konto/registrieren", fields);
        english.StatusCode.Should().Be(HttpStatusCode.OK);
        englishHtml.Should().Contain("<html lang=\"en\"").And.Contain("id=\"Password-error\"").And.Contain("at least 10 characters");
    }

    [Fact]
    public async Task Register_FromOneAddressPastTheLimit_429WithRetryAfterAtTheField_LikeTheApi()
    {
        var address = IdentityFixture.RandomAddress();
        var statuses = new List<HttpStatusCode>();
        string lastHtml = "";
        for (var i = 0; i <= Defaults.RegistrationsPerAddress; i++)
        {
            var (response, html) = await PostFormAsync(Browser(address), "/konto/registrieren", Registration(IdentityFixture.NewEmail("flut")));
            statuses.Add(response.StatusCode);
            lastHtml = html;
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                response.Headers.RetryAfter.Should().NotBeNull();
            }
        }

        statuses.Take(Defaults.RegistrationsPerAddress).Should().OnlyContain(s => s == HttpStatusCode.OK);
        statuses.Last().Should().Be(HttpStatusCode.TooManyRequests);
        lastHtml.Should().Contain("id=\"Email-error\"").And.Contain("Zu viele Versuche");
        (await fixture.Anonymous(address).PostAsJsonAsync("/account/register", new { email = IdentityFixture.NewEmail(), password = IdentityFixture.Password, displayName = "Api" }))
            .StatusCode.Should().Be(HttpStatusCode.TooManyRequests, "the page and the API count in the same limit");
    }

    [Fact]
    public async Task ForgotPassword_KnownAndUnknownAddress_SameAnswer_OnePerTargetPastTheLimitIs429()
    {
        var known = await fixture.CreateAccountAsync("Vergesslich");
        var (knownResponse, knownHtml) = await PostFormAsync(Browser(), "/konto/passwort-vergessen", new() { ["Email"] = known.Email });
        var unknown = IdentityFixture.NewEmail("niemand");
        var (_, unknownHtml) = await PostFormAsync(Browser(), "/konto/passwort-vergessen", new() { ["Email"] = unknown });

        knownResponse.StatusCode.Should().Be(HttpStatusCode.OK);
        knownHtml.Should().Contain("ist die E-Mail unterwegs");
        MainText(knownHtml, known.Email).Should().Be(MainText(unknownHtml, unknown));
        (await fixture.ReadMailTokenAsync(known.Email, AccountMails.ResetPasswordPath)).UserId.Should().Be(known.Id);

        // The registration's mail and the reset's counted for the address already.
        var left = Defaults.MailsPerTarget - 2;
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i <= left; i++)
        {
            answers.Add((await PostFormAsync(Browser(), "/konto/passwort-vergessen", new() { ["Email"] = known.Email })).Response.StatusCode);
        }
        answers.Take(left).Should().OnlyContain(s => s == HttpStatusCode.OK);
        answers.Last().Should().Be(HttpStatusCode.TooManyRequests, "one victim gets at most MailsPerTarget mails per window, from any address");
    }

    [Fact]
    public async Task ResetPassword_LinkFromTheMail_SetsThePassword_WrongLinkIsRefusedAtTheField()
    {
        var account = await fixture.CreateAccountAsync("Neues Passwort");
        var elsewhere = Browser();
        await SignInAtIdentityAsync(elsewhere, account.Email, IdentityFixture.Password);
        (await elsewhere.GetAsync("/konto/wohnsitz")).StatusCode.Should().Be(HttpStatusCode.OK, "signed in at Identity");
        await PostFormAsync(Browser(), "/konto/passwort-vergessen", new() { ["Email"] = account.Email });
        var (userId, token) = await fixture.ReadMailTokenAsync(account.Email, AccountMails.ResetPasswordPath);
        var link = $"{AccountMails.ResetPasswordPath}?userId={userId}&token={token}";
        const string newPassword = "Seiten-Passwort-2026";

        var (wrong, wrongHtml) = await PostFormAsync(Browser(), link, new()
        {
            ["UserId"] = userId.ToString(), ["Token"] = token + "x", ["NewPassword"] = newPassword,
        });
        wrong.StatusCode.Should().Be(HttpStatusCode.OK);
        wrongHtml.Should().Contain("id=\"Token-error\"").And.Contain("ungültig oder abgelaufen");

        var (done, doneHtml) = await PostFormAsync(Browser(), link, new()
        {
            ["UserId"] = userId.ToString(), ["Token"] = token, ["NewPassword"] = newPassword,
        });
        done.StatusCode.Should().Be(HttpStatusCode.OK);
        doneHtml.Should().Contain("Ihr Passwort ist geändert").And.Contain("href=\"/anmelden?returnUrl=%2Fkonto\"");
        (await fixture.LoginAsync(account.Email, newPassword)).AccessToken.Should().NotBeNullOrEmpty();
        (await fixture.RefreshAsync(account.Tokens.RefreshToken!)).StatusCode.Should().Be(HttpStatusCode.BadRequest, "a reset ends every sign-in");
        (await elsewhere.GetAsync("/konto/wohnsitz")).StatusCode.Should().Be(HttpStatusCode.Redirect, "Identity's own session elsewhere ends too");
        var authorize = await elsewhere.GetAsync("/connect/authorize?client_id=mitreden-web&response_type=code&scope=openid&redirect_uri="
            + Uri.EscapeDataString(IdentityFixture.WebRedirectUri) + "&code_challenge_method=S256&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&state=s&nonce=n");
        authorize.Headers.Location!.OriginalString.Should().StartWith("/konto/anmelden?", "no code for a session the new password ended");
    }

    /// <summary>Identity's sign-in session, as its sign-in page sets it within an authorization request.</summary>
    private static async Task SignInAtIdentityAsync(HttpClient browser, string email, string password)
    {
        var returnUrl = IssuerPath + "/connect/authorize?client_id=mitreden-web";
        var (signedIn, _) = await PostFormAsync(browser, "/konto/anmelden?returnUrl=" + Uri.EscapeDataString(returnUrl), new()
        {
            ["Email"] = email, ["Password"] = password, ["ReturnUrl"] = returnUrl,
        });
        signedIn.StatusCode.Should().Be(HttpStatusCode.Redirect, "signed in");
    }

    [Fact]
    public async Task ConfirmEmail_OpeningTheLinkConfirmsNothing_ThePostDoes_ThenOnIntoTheAuthorizationRequest()
    {
        var email = IdentityFixture.NewEmail("bestaetigen");
        var id = await fixture.RegisterAsync(email);
        var (userId, token) = await fixture.ReadMailTokenAsync(email, AccountMails.ConfirmEmailPath);
        var authorize = IssuerPath + "/connect/authorize?client_id=mitreden-web&x=1";
        var link = $"{AccountMails.ConfirmEmailPath}?userId={userId}&token={token}&returnUrl={Uri.EscapeDataString(authorize)}";

        var opened = await Browser().GetAsync(link);
        opened.StatusCode.Should().Be(HttpStatusCode.OK);
        (await fixture.InDbAsync(db => Task.FromResult(db.Users.Single(u => u.Id == id).EmailConfirmed))).Should().BeFalse("mail scanners open links");

        var (confirmed, html) = await PostFormAsync(Browser(), link, new()
        {
            ["UserId"] = userId.ToString(), ["Token"] = token, ["ReturnUrl"] = authorize,
        });
        confirmed.StatusCode.Should().Be(HttpStatusCode.OK);
        html.Should().Contain("Ihre E-Mail-Adresse ist bestätigt")
            .And.Contain("href=\"/konto/anmelden?returnUrl=" + Uri.EscapeDataString(authorize) + "\"");
        (await fixture.InDbAsync(db => Task.FromResult(db.Users.Single(u => u.Id == id).EmailConfirmed))).Should().BeTrue();

        var (foreign, foreignHtml) = await PostFormAsync(Browser(), $"{AccountMails.ConfirmEmailPath}?returnUrl=https%3A%2F%2Fevil.example%2F", new()
        {
            ["UserId"] = "keine-id", ["Token"] = "x", ["ReturnUrl"] = "https://evil.example/",
        });
        foreign.StatusCode.Should().Be(HttpStatusCode.OK);
        foreignHtml.Should().Contain("id=\"UserId-error\"").And.NotContain("value=\"https://evil.example/\"", "a foreign return address is dropped")
            .And.NotContain("href=\"https://evil.example", "and never linked to");
    }

    [Fact]
    public async Task Residency_WithoutIdentitysSession_SendsToSignInAndBack_WithIt_RedeemsTheCode()
    {
        var account = await fixture.CreateAccountAsync("Briefcode Seite");
        var browser = Browser();

        var anonymous = await browser.GetAsync("/konto/wohnsitz");
        anonymous.StatusCode.Should().Be(HttpStatusCode.Redirect);
        anonymous.Headers.Location!.OriginalString.Should().Be("/konto/anmelden?returnUrl=%2Fkonto%2Fwohnsitz");

        await SignInAtIdentityAsync(browser, account.Email, IdentityFixture.Password);

        await fixture.EnsureDistrictAsync("seitenbezirk");
        var staff = await fixture.StaffAsync();
        var batch = await staff.PostAsJsonAsync("/admin/letter-code-batches", new { district = "seitenbezirk", count = 1 });
        batch.StatusCode.Should().Be(HttpStatusCode.Created);
        var code = (await batch.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split("\r\n")[1].Split(';')[0];

        var (unknown, unknownHtml) = await PostFormAsync(browser, "/konto/wohnsitz", new() { ["Code"] = "ABCD-EFGH-JKLM" });
        unknown.StatusCode.Should().Be(HttpStatusCode.OK);
        unknownHtml.Should().Contain("id=\"Code-error\"").And.Contain("Diesen Code kennen wir nicht");

        var (redeemed, html) = await PostFormAsync(browser, "/konto/wohnsitz", new() { ["Code"] = code.ToLowerInvariant() });
        redeemed.StatusCode.Should().Be(HttpStatusCode.OK);
        html.Should().Contain("„seitenbezirk“ ist bestätigt").And.Contain("href=\"/anmelden?returnUrl=%2Fkonto\"");
        (await fixture.InDbAsync(db => Task.FromResult(db.Users.Single(u => u.Id == account.Id).ResidentDistrict))).Should().Be("seitenbezirk");

        var (again, againHtml) = await PostFormAsync(browser, "/konto/wohnsitz", new() { ["Code"] = code });
        again.StatusCode.Should().Be(HttpStatusCode.OK);
        againHtml.Should().Contain("Dieser Code wurde bereits verwendet.");
    }

    [Theory]
    [InlineData("/konto/registrieren")]
    [InlineData("/konto/passwort-vergessen")]
    [InlineData("/konto/passwort-zuruecksetzen")]
    [InlineData("/konto/email-bestaetigen")]
    [InlineData("/konto/wohnsitz")]
    public async Task AccountPage_PostWithoutAntiforgeryToken_400(string page)
    {
        var response = await Browser().PostAsync(page, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = IdentityFixture.NewEmail(), ["Code"] = "ABCD-EFGH-JKLM", ["UserId"] = Guid.NewGuid().ToString(), ["Token"] = "x",
        }));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    [GeneratedRegex("<main[^>]*>[\\s\\S]*</main>")]
    private static partial Regex MainPart();
}
