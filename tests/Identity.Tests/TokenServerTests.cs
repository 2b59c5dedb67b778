using System.Net;
using System.Net.Http.Json;
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
            ["grant_type"] = "password", ["client_id"] = "mitreden-web", ["username"] = email, ["password"] = IdentityFixture.Password,
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
        claims.GetProperty("client_id").GetString().Should().Be("mitreden-web");
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
            ["grant_type"] = "password", ["client_id"] = "mitreden-web", ["username"] = account.Email,
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

/// <summary>The code flow's start: PKCE with S256 only; until Identity hosts its sign-in page, every request answers login_required.</summary>
[Collection(IdentityCollection.Name)]
public sealed class AuthorizeEndpointTests(IdentityFixture fixture)
{
    private async Task<HttpResponseMessage> AuthorizeAsync(string method)
    {
        using var client = fixture.Factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var challenge = System.Buffers.Text.Base64Url.EncodeToString(System.Security.Cryptography.SHA256.HashData("a-verifier-of-at-least-43-characters-0123456789"u8));
        var query = string.Join('&', new Dictionary<string, string>
        {
            ["client_id"] = "mitreden-web", ["response_type"] = "code", ["redirect_uri"] = IdentityFixture.WebRedirectUri,
            ["scope"] = "voting", ["state"] = "s1", ["code_challenge"] = challenge, ["code_challenge_method"] = method,
        }.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}"));
        return await client.GetAsync("/connect/authorize?" + query);
    }

    [Fact]
    public async Task Authorize_PlainPkce_Refused_S256_AsksForSignIn()
    {
        var plain = await AuthorizeAsync("plain");
        plain.StatusCode.Should().Be(HttpStatusCode.BadRequest, "plain PKCE is off");
        (await plain.Content.ReadAsStringAsync()).Should().Contain("invalid_request").And.Contain("code_challenge_method");

        var s256 = await AuthorizeAsync("S256");
        s256.StatusCode.Should().Be(HttpStatusCode.Redirect, await s256.Content.ReadAsStringAsync());
        var back = s256.Headers.Location!;
        back.GetLeftPart(UriPartial.Path).Should().Be(IdentityFixture.WebRedirectUri);
        back.Query.Should().Contain("error=login_required").And.Contain("state=s1");
    }
}
