using System.Net;
using FluentAssertions;
using Mitreden.TestKit;
using Xunit;

namespace Mitreden.Security.Tests;

/// <summary>
/// One row per browser endpoint of the code flow (not in the services' OpenAPI documents, so not in
/// <see cref="Endpoints.All"/>): the web's sign-in starts and OIDC callbacks, Identity's authorization and end-session
/// endpoints and its sign-in pages, as the gateway exposes them. All are anonymous by design (the browser is the caller,
/// its cookies decide); what a stranger gets is fixed here.
/// </summary>
/// <param name="Answer">The status an anonymous caller gets with no cookies and no valid parameters.</param>
/// <param name="Location">For redirects: where to (prefix of the Location header).</param>
public sealed record BrowserEndpoint(string Method, string Path, HttpStatusCode Answer, string? Location = null)
{
    public override string ToString() => $"{Method} {Path}";
}

public sealed class BrowserEndpointTests
{
    public static readonly BrowserEndpoint[] All =
    [
        // web: sign-in starts (challenge → Identity's authorization endpoint), the landing after a code voter's
        // sign-in (signed-in only: anonymous goes to sign in), the OIDC callbacks (a forged state signs nothing in or out)
        new("GET", "/anmelden?returnUrl=%2Fkonto", HttpStatusCode.Redirect, "/api/identity/connect/authorize?"),
        new("GET", "/anmelden/abstimmungscode", HttpStatusCode.Redirect, "/api/identity/connect/authorize?"),
        new("GET", "/anmelden/weiter", HttpStatusCode.Redirect, "/anmelden?returnUrl="),
        new("GET", "/signin-oidc?code=forged&state=forged", HttpStatusCode.Redirect, "/"),
        new("GET", "/signout-callback-oidc?state=forged", HttpStatusCode.OK),
        // identity: authorization without a valid request, end session without a session
        new("GET", "/api/identity/connect/authorize", HttpStatusCode.BadRequest),
        new("GET", "/api/identity/connect/endsession", HttpStatusCode.Redirect, "/"),
        // identity's pages: without an authorization request they send to the web's sign-in start; posts need antiforgery
        new("GET", "/konto/anmelden", HttpStatusCode.Redirect, "/anmelden"),
        new("POST", "/konto/anmelden", HttpStatusCode.BadRequest),
        new("GET", "/abstimmungscode", HttpStatusCode.Redirect, "/anmelden/abstimmungscode"),
        new("POST", "/abstimmungscode", HttpStatusCode.BadRequest),
        new("GET", "/konto/anmelden/sprache", HttpStatusCode.Redirect, "/"),
        new("POST", "/konto/anmelden/sprache", HttpStatusCode.BadRequest),
        // identity's account pages: their forms are for everyone (the letter code's asks for Identity's sign-in session
        // first); posts need antiforgery
        new("GET", "/konto/registrieren", HttpStatusCode.OK),
        new("POST", "/konto/registrieren", HttpStatusCode.BadRequest),
        new("GET", "/konto/email-bestaetigen?userId=00000000-0000-0000-0000-000000000000&token=x", HttpStatusCode.OK),
        new("POST", "/konto/email-bestaetigen", HttpStatusCode.BadRequest),
        new("GET", "/konto/passwort-vergessen", HttpStatusCode.OK),
        new("POST", "/konto/passwort-vergessen", HttpStatusCode.BadRequest),
        new("GET", "/konto/passwort-zuruecksetzen?userId=00000000-0000-0000-0000-000000000000&token=x", HttpStatusCode.OK),
        new("POST", "/konto/passwort-zuruecksetzen", HttpStatusCode.BadRequest),
        new("GET", "/konto/wohnsitz", HttpStatusCode.Redirect, "/konto/anmelden?returnUrl=%2Fkonto%2Fwohnsitz"),
        new("POST", "/konto/wohnsitz", HttpStatusCode.BadRequest),
    ];

    /// <summary>Identity's account pages whose forms anyone may fill (the letter code's needs a sign-in session).</summary>
    public static TheoryData<string> AccountForms() =>
        new("/konto/registrieren", "/konto/email-bestaetigen", "/konto/passwort-vergessen", "/konto/passwort-zuruecksetzen");

    public static TheoryData<string> Rows() => new(All.Select(r => r.ToString()));

    private static HttpClient Browser()
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false })
        {
            BaseAddress = TestEnvironment.Gateway, Timeout = TimeSpan.FromSeconds(60),
        };
        client.DefaultRequestHeaders.Add("X-Forwarded-For", StackClient.RandomAddress());
        return client;
    }

    private static HttpRequestMessage Request(BrowserEndpoint row, string? query = null) =>
        new(new HttpMethod(row.Method), row.Path + query)
        {
            Content = row.Method == "POST"
                ? new FormUrlEncodedContent(new Dictionary<string, string> { ["Email"] = "a@example.org", ["Password"] = "x", ["Code"] = "ABCD-EFGH-JKLM" })
                : null,
        };

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task BrowserEndpoint_Anonymous_GetsTheFixedAnswer(string key)
    {
        var row = All.Single(r => r.ToString() == key);
        using var client = Browser();

        using var response = await client.SendAsync(Request(row));

        response.StatusCode.Should().Be(row.Answer, $"{row} for an anonymous browser: {await response.Content.ReadAsStringAsync()}");
        if (row.Location is not null)
        {
            var location = response.Headers.Location!;
            (location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString).Should().StartWith(row.Location);
            if (location.IsAbsoluteUri)
            {
                location.GetLeftPart(UriPartial.Authority).Should().Be(TestEnvironment.Gateway.GetLeftPart(UriPartial.Authority), "never to another origin");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task BrowserEndpoint_ControlCharactersInTheQuery_4xxNever5xx(string key)
    {
        var row = All.Single(r => r.ToString() == key);
        using var client = Browser();
        var separator = row.Path.Contains('?') ? "&" : "?";

        using var response = await client.SendAsync(Request(row, separator + "returnUrl=%2F%00%01x&code=%07"));

        ((int)response.StatusCode).Should().BeLessThan(500, $"{row} with control characters must not fail");
        if (response.StatusCode == HttpStatusCode.Redirect)
        {
            response.Headers.Location!.OriginalString.Should().NotContain("%00").And.NotContain("\0");
        }
    }

    [Theory]
    [MemberData(nameof(AccountForms))]
    public async Task AccountPage_BadInputWithTheFormsToken_ThePageWithErrors_Never5xx(string page)
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() })
        {
            BaseAddress = TestEnvironment.Gateway, Timeout = TimeSpan.FromSeconds(60),
        };
        client.DefaultRequestHeaders.Add("X-Forwarded-For", StackClient.RandomAddress());
        using var form = await client.GetAsync(page);
        form.StatusCode.Should().Be(HttpStatusCode.OK);
        var html = await form.Content.ReadAsStringAsync();
        var token = System.Text.RegularExpressions.Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"");
        token.Success.Should().BeTrue($"{page} protects its form against cross-site posts");

        using var control = await client.PostAsync(page, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token.Groups[1].Value, ["UserId"] = "keine-id\u0000", ["Token"] = "\u0007x", ["DisplayName"] = "\u0001",
        }));
        control.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity, "control characters are refused as everywhere (ControlCharacters)");

        using var response = await client.PostAsync(page, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token.Groups[1].Value,
            ["UserId"] = "keine-id", ["Token"] = new string('x', 5000), ["Email"] = new string('a', 300) + "@example.org",
            ["DisplayName"] = "a@b", ["Password"] = new string('p', 10_000), ["PasswordConfirmation"] = "anders",
            ["NewPassword"] = new string('p', 10_000), ["AcceptPrivacy"] = "vielleicht", ["ReturnUrl"] = "https://evil.example/",
        }));

        response.StatusCode.Should().Be(HttpStatusCode.OK, $"{page}: bad input is the page again with its errors, not a failure");
        var answer = await response.Content.ReadAsStringAsync();
        answer.Should().Contain("data-error-summary").And.Contain("aria-invalid=\"true\"").And.NotContain("evil.example");
        answer.Should().NotContain(new string('p', 100), "a password is never written back");
    }

    [Fact]
    public async Task Authorize_OpenRedirect_Refused()
    {
        using var client = Browser();
        var query = "client_id=mitreden-web&response_type=code&scope=openid&code_challenge_method=S256"
            + "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&redirect_uri=" + Uri.EscapeDataString("https://evil.example/cb");

        using var response = await client.GetAsync("/api/identity/connect/authorize?" + query);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest, "a redirect URI the web client did not register is refused, not followed");
        response.Headers.Location.Should().BeNull();
    }
}
