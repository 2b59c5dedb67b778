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
    ];

    public static TheoryData<string> Rows() => new(All.Select(r => r.ToString()));

    private static HttpClient Browser()
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false })
        {
            BaseAddress = TestEnvironment.Gateway, Timeout = TimeSpan.FromSeconds(60),
        };
        client.DefaultRequestHeaders.Add("X-Forwarded-For", Stack.RandomAddress());
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
