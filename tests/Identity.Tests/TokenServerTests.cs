using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using System.Text.Json;
using FluentAssertions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Mitreden.Identity.Api.Features.Tokens;
using Mitreden.Identity.Contracts;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;
using Xunit;

namespace Mitreden.Identity.Tests;

/// <summary>Lifetimes, audiences per scope, revocation and pruning of the token server.</summary>
[Collection(IdentityCollection.Name)]
public sealed class TokenServerTests(IdentityFixture fixture)
{
    private static readonly string[] AllServiceAudiences =
        ["mitreden-identity", "mitreden-proposals", "mitreden-comments", "mitreden-voting", "mitreden-moderation"];

    private static IEnumerable<string?> Audiences(TokenSet tokens) =>
        tokens.Payload.GetProperty("aud") is { ValueKind: JsonValueKind.Array } list
            ? list.EnumerateArray().Select(a => a.GetString())
            : [tokens.Payload.GetProperty("aud").GetString()];

    private async Task<TokenSet> SignInAsync(string email, string? scope)
    {
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["client_id"] = "mitreden-test", ["username"] = email, ["password"] = IdentityFixture.Password,
        };
        if (scope is not null)
        {
            form["scope"] = scope;
        }
        var response = await fixture.TokenRequestAsync(form);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await TokenSet.ReadAsync(response);
    }

    [Fact]
    public async Task AccessToken_LivesAtMostFiveMinutes_WithTheContractClaims()
    {
        var account = await fixture.CreateAccountAsync("Erika Muster");
        var tokens = account.Tokens;
        tokens.ExpiresIn.Should().BeInRange(1, 300);
        var claims = tokens.Payload;
        (claims.GetProperty("exp").GetInt64() - claims.GetProperty("iat").GetInt64()).Should().BeLessThanOrEqualTo(300);
        claims.GetProperty("iss").GetString().Should().Be(Mitreden.TestKit.TestIssuer.Issuer);
        claims.GetProperty("sub").GetString().Should().Be(account.Id.ToString());
        claims.GetProperty("name").GetString().Should().Be("Erika Muster");
        claims.GetProperty("client_id").GetString().Should().Be("mitreden-test");
        claims.GetProperty("verification").GetString().Should().Be(VerificationLevels.Email);
        claims.GetProperty("roles").ValueKind.Should().Be(JsonValueKind.Array, "a single role is still a list");
        tokens.Header.GetProperty("alg").GetString().Should().Be("RS256");
        tokens.AccessToken.Split('.').Should().HaveCount(3, "signed, not encrypted");
    }

    [Fact]
    public async Task Scope_Asked_TokenCarriesOnlyItsAudiences_NoScopeCarriesAll()
    {
        var account = await fixture.CreateAccountAsync();
        var voting = await SignInAsync(account.Email, "voting");
        Audiences(voting).Should().BeEquivalentTo(["mitreden-voting", "mitreden-gateway", "mitreden-web"]);
        (await fixture.WithToken(voting.AccessToken).GetAsync("/account/me")).StatusCode.Should().Be(HttpStatusCode.Unauthorized,
            "Identity is not an audience of a voting-only token");

        var two = await SignInAsync(account.Email, "identity proposals");
        Audiences(two).Should().BeEquivalentTo(["mitreden-identity", "mitreden-proposals", "mitreden-gateway", "mitreden-web"]);
        (await fixture.WithToken(two.AccessToken).GetAsync("/account/me")).StatusCode.Should().Be(HttpStatusCode.OK);

        Audiences(account.Tokens).Should().Contain(AllServiceAudiences, "without a scope a token is good for every service");

        var refreshed = await TokenSet.ReadAsync(await fixture.RefreshAsync(voting.RefreshToken!));
        Audiences(refreshed).Should().BeEquivalentTo(["mitreden-voting", "mitreden-gateway", "mitreden-web"], "a refresh keeps the sign-in's scopes");

        var unknown = await fixture.TokenRequestAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["client_id"] = "mitreden-test", ["username"] = account.Email,
            ["password"] = IdentityFixture.Password, ["scope"] = "everything",
        });
        unknown.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString().Should().Be("invalid_scope");
    }

    [Fact]
    public async Task ServiceClient_ClientCredentials_ServiceRoleWithoutSubject()
    {
        var response = await fixture.TokenRequestAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = IdentityFixture.ServiceClientId,
            ["client_secret"] = IdentityFixture.ServiceClientSecret, ["scope"] = "identity",
        });
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var tokens = await TokenSet.ReadAsync(response);
        tokens.RefreshToken.Should().BeNull();
        tokens.Payload.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).Should().Equal("service");
        tokens.Payload.GetProperty("client_id").GetString().Should().Be(IdentityFixture.ServiceClientId);
        Audiences(tokens).Should().Contain("mitreden-identity").And.NotContain("mitreden-voting");

        var wrong = await fixture.TokenRequestAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = IdentityFixture.ServiceClientId, ["client_secret"] = "wrong-secret-0123456789",
        });
        wrong.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await wrong.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString().Should().Be("invalid_client");
    }

    [Fact]
    public async Task Block_RevokesRefreshTokens()
    {
        var target = await fixture.CreateAccountAsync();
        var moderator = fixture.WithToken((await fixture.CreateAccountAsync("Moderation", true, Roles.Moderator)).Tokens.AccessToken);
        (await moderator.PostAsJsonAsync($"/admin/users/{target.Id}/block", new { until = DateTimeOffset.UtcNow.AddDays(3), reason = "Spam" }))
            .StatusCode.Should().Be(HttpStatusCode.OK);

        var refresh = await fixture.RefreshAsync(target.Tokens.RefreshToken!);
        refresh.StatusCode.Should().Be(HttpStatusCode.BadRequest, "a block ends every session of the account");
        (await refresh.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString().Should().Be("invalid_grant");
        var again = await fixture.LoginAsync(target.Email, IdentityFixture.Password);
        again.Payload.TryGetProperty("blocked_until", out _).Should().BeTrue("signing in again shows the block");
    }

    [Fact]
    public async Task Pruning_ExpiredTokenRow_Removed_ValidOneKept()
    {
        await using var scope = fixture.Factory.Scope();
        var tokens = scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>();
        var now = DateTimeOffset.UtcNow;
        var subject = Guid.NewGuid().ToString();
        var expired = await tokens.CreateAsync(new OpenIddictTokenDescriptor
        {
            Subject = subject, Type = OpenIddictConstants.TokenTypeIdentifiers.RefreshToken, Status = OpenIddictConstants.Statuses.Valid,
            CreationDate = now.AddDays(-40), ExpirationDate = now.AddDays(-10),
        });
        var valid = await tokens.CreateAsync(new OpenIddictTokenDescriptor
        {
            Subject = subject, Type = OpenIddictConstants.TokenTypeIdentifiers.RefreshToken, Status = OpenIddictConstants.Statuses.Valid,
            CreationDate = now.AddDays(-2), ExpirationDate = now.AddDays(28),
        });
        var expiredId = await tokens.GetIdAsync(expired);
        var validId = await tokens.GetIdAsync(valid);

        var pruning = fixture.Factory.Services.GetServices<IHostedService>().OfType<TokenPruning>().Single();
        var (pruned, _) = await pruning.PruneOnceAsync(CancellationToken.None);

        pruned.Should().BeGreaterThanOrEqualTo(1);
        (await fixture.InDbAsync(db => db.Set<OpenIddictEntityFrameworkCoreToken>().AnyAsync(t => t.Id == expiredId))).Should().BeFalse();
        (await fixture.InDbAsync(db => db.Set<OpenIddictEntityFrameworkCoreToken>().AnyAsync(t => t.Id == validId))).Should().BeTrue();
    }
}

/// <summary>
/// The web's code flow end to end, in the browser's steps: authorize → Identity's sign-in page (antiforgery, field
/// errors) → code → token (confidential client, PKCE S256) → end session; plain PKCE and prompt=none without a session.
/// </summary>
[Collection(IdentityCollection.Name)]
public sealed class AuthorizeEndpointTests(IdentityFixture fixture)
{
    private const string Verifier = "a-verifier-of-at-least-43-characters-0123456789";
    private const string IssuerPath = "/api/identity";

    private static string AuthorizeQuery(string method, string? prompt = null, string scope = "openid offline_access voting")
    {
        var challenge = System.Buffers.Text.Base64Url.EncodeToString(System.Security.Cryptography.SHA256.HashData(Encoding.ASCII.GetBytes(Verifier)));
        var parameters = new Dictionary<string, string>
        {
            ["client_id"] = "mitreden-web", ["response_type"] = "code", ["redirect_uri"] = IdentityFixture.WebRedirectUri,
            ["scope"] = scope, ["state"] = "s1", ["nonce"] = "n1", ["code_challenge"] = challenge, ["code_challenge_method"] = method,
        };
        if (prompt is not null)
        {
            parameters["prompt"] = prompt;
        }
        return "/connect/authorize?" + string.Join('&', parameters.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}"));
    }

    private HttpClient Browser(string? address = null)
    {
        var client = fixture.Factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        client.DefaultRequestHeaders.Add("X-Forwarded-For", address ?? IdentityFixture.RandomAddress());
        return client;
    }

    /// <summary>The browser reaches Identity through the gateway under the issuer's path; in-process the path is Identity's own.</summary>
    private static string Direct(string location) => location.StartsWith(IssuerPath, StringComparison.Ordinal) ? location[IssuerPath.Length..] : location;

    private static async Task<string> AntiforgeryTokenAsync(HttpResponseMessage page)
    {
        var html = await page.Content.ReadAsStringAsync();
        var match = Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"");
        match.Success.Should().BeTrue("every form of Identity's pages carries an antiforgery token");
        return match.Groups[1].Value;
    }

    private static async Task<HttpResponseMessage> SignInAsync(HttpClient browser, string signInPage, string email, string password)
    {
        var page = await browser.GetAsync(signInPage);
        page.StatusCode.Should().Be(HttpStatusCode.OK);
        var returnUrl = System.Web.HttpUtility.ParseQueryString(new Uri("http://x" + signInPage).Query)["returnUrl"]!;
        return await browser.PostAsync("/konto/anmelden", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = email, ["Password"] = password, ["ReturnUrl"] = returnUrl, ["__RequestVerificationToken"] = await AntiforgeryTokenAsync(page),
        }));
    }

    [Fact]
    public async Task CodeFlow_SignInPageThenCodeWithPkce_IssuesTokensOfTheAskedScopes_AndEndSessionSignsOut()
    {
        var account = await fixture.CreateAccountAsync("Code Flow");
        using var browser = Browser();

        var authorize = await browser.GetAsync(AuthorizeQuery("S256"));
        authorize.StatusCode.Should().Be(HttpStatusCode.Redirect, await authorize.Content.ReadAsStringAsync());
        var signInPage = authorize.Headers.Location!.OriginalString;
        signInPage.Should().StartWith("/konto/anmelden?returnUrl=" + Uri.EscapeDataString(IssuerPath + "/connect/authorize?"));

        var wrong = await SignInAsync(browser, signInPage, account.Email, "not-the-password");
        wrong.StatusCode.Should().Be(HttpStatusCode.OK, "a wrong password shows the page again");
        var wrongHtml = await wrong.Content.ReadAsStringAsync();
        wrongHtml.Should().Contain("data-error-summary").And.Contain("id=\"Email-error\"").And.Contain("aria-invalid=\"true\"")
            .And.Contain("E-Mail-Adresse oder Passwort ist falsch.").And.Contain("<html lang=\"de\"");
        wrongHtml.Should().NotContain("not-the-password", "the password is never written back");

        var signedIn = await SignInAsync(browser, signInPage, account.Email, IdentityFixture.Password);
        signedIn.StatusCode.Should().Be(HttpStatusCode.Redirect, await signedIn.Content.ReadAsStringAsync());
        var back = signedIn.Headers.Location!.OriginalString;
        back.Should().StartWith(IssuerPath + "/connect/authorize?");

        var withCode = await browser.GetAsync(Direct(back));
        withCode.StatusCode.Should().Be(HttpStatusCode.Redirect, await withCode.Content.ReadAsStringAsync());
        var callback = withCode.Headers.Location!;
        callback.GetLeftPart(UriPartial.Path).Should().Be(IdentityFixture.WebRedirectUri);
        var query = System.Web.HttpUtility.ParseQueryString(callback.Query);
        query["state"].Should().Be("s1");
        var code = query["code"]!;
        code.Should().NotBeNullOrEmpty();

        var exchange = new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = IdentityFixture.WebRedirectUri,
            ["client_id"] = "mitreden-web", ["client_secret"] = IdentityFixture.WebClientSecret, ["code_verifier"] = Verifier,
        };
        var wrongVerifier = await fixture.TokenRequestAsync(new Dictionary<string, string>(exchange) { ["code_verifier"] = Verifier + "x" });
        wrongVerifier.StatusCode.Should().Be(HttpStatusCode.BadRequest, "the PKCE verifier must match the challenge");

        // A fresh code (the failed exchange above may have spent this one): authorize again, silently (Identity's session).
        var again = await browser.GetAsync(Direct(back));
        code = System.Web.HttpUtility.ParseQueryString(again.Headers.Location!.Query)["code"]!;
        exchange["code"] = code;
        var noSecret = await fixture.TokenRequestAsync(new Dictionary<string, string>(exchange) { ["client_secret"] = "wrong-secret-0123456789" });
        noSecret.StatusCode.Should().Be(HttpStatusCode.Unauthorized, "the web is a confidential client");

        again = await browser.GetAsync(Direct(back));
        exchange["code"] = System.Web.HttpUtility.ParseQueryString(again.Headers.Location!.Query)["code"]!;
        var tokens = await fixture.TokenRequestAsync(exchange);
        await tokens.Content.LoadIntoBufferAsync();
        tokens.StatusCode.Should().Be(HttpStatusCode.OK, await tokens.Content.ReadAsStringAsync());
        var body = JsonDocument.Parse(await tokens.Content.ReadAsStringAsync()).RootElement.Clone();
        var set = await TokenSet.ReadAsync(tokens);
        set.Payload.GetProperty("sub").GetString().Should().Be(account.Id.ToString());
        set.Payload.GetProperty("client_id").GetString().Should().Be("mitreden-web");
        set.Payload.GetProperty("name").GetString().Should().Be("Code Flow");
        Audiences(set.AccessToken).Should().BeEquivalentTo(["mitreden-voting", "mitreden-gateway", "mitreden-web"], "the scopes asked for decide the audiences");
        set.RefreshToken.Should().NotBeNullOrEmpty("offline_access was asked for");
        var idToken = body.GetProperty("id_token").GetString()!;
        Jwt.Payload(idToken).GetProperty("nonce").GetString().Should().Be("n1");

        var replay = await fixture.TokenRequestAsync(exchange);
        replay.StatusCode.Should().Be(HttpStatusCode.BadRequest, "a code is used once");

        var endSession = await browser.GetAsync("/connect/endsession?" + string.Join('&', new Dictionary<string, string>
        {
            ["id_token_hint"] = idToken, ["post_logout_redirect_uri"] = IdentityFixture.WebPostLogoutRedirectUri, ["state"] = "bye",
        }.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}")));
        endSession.StatusCode.Should().Be(HttpStatusCode.Redirect, await endSession.Content.ReadAsStringAsync());
        endSession.Headers.Location!.GetLeftPart(UriPartial.Path).Should().Be(IdentityFixture.WebPostLogoutRedirectUri);

        var afterSignOut = await browser.GetAsync(Direct(back));
        afterSignOut.StatusCode.Should().Be(HttpStatusCode.Redirect);
        afterSignOut.Headers.Location!.OriginalString.Should().StartWith("/konto/anmelden?", "Identity's session ended with the sign-out");
    }

    [Fact]
    public async Task SignInPage_LockoutOfTheAccountAndAddress_SharedWithEveryPasswordCheck_ShownAtTheField()
    {
        var account = await fixture.CreateAccountAsync("Page Lockout");
        var address = IdentityFixture.RandomAddress();
        var limits = new Mitreden.Identity.Api.Features.Abuse.AttemptLimits();
        for (var i = 0; i < limits.SignInFailuresPerAccountAndAddress; i++)
        {
            (await fixture.TokenRequestAsync(new Dictionary<string, string>
            {
                ["grant_type"] = "password", ["client_id"] = "mitreden-test", ["username"] = account.Email, ["password"] = "wrong-" + i,
            }, address)).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        }
        using var browser = Browser(address);
        var authorize = await browser.GetAsync(AuthorizeQuery("S256"));

        var locked = await SignInAsync(browser, authorize.Headers.Location!.OriginalString, account.Email, IdentityFixture.Password);

        locked.StatusCode.Should().Be(HttpStatusCode.TooManyRequests, "the page counts in the same limits as the password grant");
        locked.Headers.RetryAfter!.Delta.Should().BePositive();
        var html = await locked.Content.ReadAsStringAsync();
        html.Should().Contain("id=\"Email-error\"").And.Contain("Zu viele Versuche");
        html.Should().NotContain("gesperrt", "the answer does not tell that this address has an account");

        using var elsewhere = Browser();
        var fromHome = await elsewhere.GetAsync(AuthorizeQuery("S256"));
        (await SignInAsync(elsewhere, fromHome.Headers.Location!.OriginalString, account.Email, IdentityFixture.Password))
            .StatusCode.Should().Be(HttpStatusCode.Redirect, "the lockout holds for the failing address only");
    }

    [Fact]
    public async Task Authorize_PlainPkce_Refused_PromptNoneWithoutSession_LoginRequired()
    {
        using var browser = Browser();
        var plain = await browser.GetAsync(AuthorizeQuery("plain"));
        plain.StatusCode.Should().Be(HttpStatusCode.BadRequest, "plain PKCE is off");
        (await plain.Content.ReadAsStringAsync()).Should().Contain("invalid_request").And.Contain("code_challenge_method");

        var silent = await browser.GetAsync(AuthorizeQuery("S256", prompt: "none"));
        silent.StatusCode.Should().Be(HttpStatusCode.Redirect, await silent.Content.ReadAsStringAsync());
        var back = silent.Headers.Location!;
        back.GetLeftPart(UriPartial.Path).Should().Be(IdentityFixture.WebRedirectUri);
        back.Query.Should().Contain("error=login_required").And.Contain("state=s1");
    }

    [Fact]
    public async Task SignInPage_WithoutAuthorizationRequest_SendsToTheWebsSignInStart()
    {
        using var browser = Browser();
        var page = await browser.GetAsync("/konto/anmelden?returnUrl=" + Uri.EscapeDataString("https://evil.example/"));
        page.StatusCode.Should().Be(HttpStatusCode.Redirect);
        page.Headers.Location!.OriginalString.Should().Be("/anmelden", "only an authorization request of this Identity is a return address");
    }

    [Fact]
    public async Task PasswordGrant_WebClient_Refused()
    {
        var account = await fixture.CreateAccountAsync("No Password Grant");
        var response = await fixture.TokenRequestAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["client_id"] = "mitreden-web", ["client_secret"] = IdentityFixture.WebClientSecret,
            ["username"] = account.Email, ["password"] = IdentityFixture.Password,
        });
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString().Should().Be("unauthorized_client");
    }

    private static IEnumerable<string> Audiences(string accessToken)
    {
        var aud = Jwt.Payload(accessToken).GetProperty("aud");
        return aud.ValueKind == JsonValueKind.Array ? aud.EnumerateArray().Select(a => a.GetString()!) : [aud.GetString()!];
    }
}
