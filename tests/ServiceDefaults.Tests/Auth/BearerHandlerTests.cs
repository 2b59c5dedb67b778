using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.TestHost;
using Mitreden.ServiceDefaults.Auth;
using Mitreden.TestKit;

namespace Mitreden.ServiceDefaults.Tests.Auth;

/// <summary>
/// The bearer scheme as every component registers it (<see cref="AuthExtensions.AddMitredenAuthentication"/>), with keys
/// from a discovery document on a real loopback port: which tokens pass, which are refused, and the answers.
/// </summary>
public sealed class BearerHandlerTests : IAsyncLifetime
{
    private readonly TestTokens _tokens = new();
    private BearerTestHost _host = null!;

    public async Task InitializeAsync() => _host = await BearerTestHost.StartAsync(_tokens, _tokens.JwksJson);

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _tokens.Dispose();
    }

    private async Task<HttpResponseMessage> GetAsync(string path, string? token, string scheme = "Bearer")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", $"{scheme} {token}");
        }

        return await _host.Client.SendAsync(request);
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, int status, string title)
    {
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        body.GetProperty("status").GetInt32().Should().Be(status);
        body.GetProperty("title").GetString().Should().Be(title);
        body.GetProperty("detail").GetString().Should().NotBeNullOrEmpty();
        return body;
    }

    [Fact]
    public async Task Get_NoToken_Returns401ProblemWithPlainBearerChallenge()
    {
        var response = await GetAsync("/me", token: null);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.Single().ToString().Should().Be("Bearer");
        var problem = await ProblemAsync(response, 401, "Unauthorized");
        problem.GetProperty("detail").GetString().Should().Be("A valid bearer token is required.");
    }

    public static TheoryData<string> BadTokens()
    {
        return new TheoryData<string>
        {
            "expired",
            "alg-none",
            "hs256-confusion",
            "tampered-payload",
            "tampered-signature",
            "wrong-audience",
            "wrong-issuer",
            "unknown-kid",
            "not-yet-valid",
            "garbage",
            "four.parts.in.token",
            "huge",
            "another-key",
            "another-service",
            "hs384", "rs384", "rs512", "ps256", "es384", "lowercase-rs256",
            "es256-naming-rsa-kid",
            "no-exp",
            "expired-beyond-skew",
            "issuer-with-slash", "issuer-other-case", "no-issuer",
            "embedded-attacker-jwk",
        };
    }

    private string BadToken(string kind)
    {
        var now = _tokens.Now.ToUnixTimeSeconds();
        var good = _tokens.Issue();
        var parts = good.Split('.');
        return kind switch
        {
            "expired" => _tokens.Issue(c => { c["iat"] = now - 720; c["nbf"] = now - 720; c["exp"] = now - 120; }),
            "alg-none" => TestTokens.Unsigned(new JsonObject { ["alg"] = "none", ["kid"] = _tokens.RsaKeyId }.ToJsonString(), _tokens.DefaultClaims().ToJsonString()),
            "hs256-confusion" => TestTokens.SignHs256(
                new JsonObject { ["alg"] = "HS256", ["kid"] = _tokens.RsaKeyId }.ToJsonString(), _tokens.DefaultClaims().ToJsonString(), _tokens.RsaPublicKeyPemBytes),
            "tampered-payload" => $"{parts[0]}.{TestTokens.B64(_tokens.DefaultClaims(roles: "admin").ToJsonString())}.{parts[2]}",
            "tampered-signature" => $"{parts[0]}.{parts[1]}.{(parts[2][10] == 'A' ? parts[2].Remove(10, 1).Insert(10, "B") : parts[2].Remove(10, 1).Insert(10, "A"))}",
            "wrong-audience" => _tokens.Issue(c => c["aud"] = "mitreden-other"),
            "wrong-issuer" => _tokens.Issue(c => c["iss"] = "http://evil.example"),
            "unknown-kid" => _tokens.Issue(header: h => h["kid"] = "unknown"),
            "not-yet-valid" => _tokens.Issue(c => { c["nbf"] = now + 3600; c["exp"] = now + 7200; }),
            "garbage" => "not-a-token",
            "huge" => new string('a', 20_000),
            "another-key" => new TestTokens(rsaKeyId: _tokens.RsaKeyId, issuer: _tokens.Issuer, audience: _tokens.Audience).Issue(),
            "another-service" => _tokens.Issue(c => c["aud"] = new JsonArray("mitreden-comments", "mitreden-voting")),
            "hs384" => WithAlg("HS384"),
            "rs384" => WithAlg("RS384"),
            "rs512" => WithAlg("RS512"),
            "ps256" => WithAlg("PS256"),
            "es384" => WithAlg("ES384"),
            "lowercase-rs256" => WithAlg("rs256"),
            "es256-naming-rsa-kid" => _tokens.IssueEs256(header: h => h["kid"] = _tokens.RsaKeyId),
            "no-exp" => _tokens.Issue(c => c.Remove("exp")),
            "expired-beyond-skew" => _tokens.Issue(c => { c["iat"] = now - 645; c["nbf"] = now - 645; c["exp"] = now - 45; }),
            "issuer-with-slash" => _tokens.Issue(c => c["iss"] = _tokens.Issuer + "/"),
            "issuer-other-case" => _tokens.Issue(c => c["iss"] = _tokens.Issuer.ToUpperInvariant()),
            "no-issuer" => _tokens.Issue(c => c.Remove("iss")),
            // An attacker's own key in the header must not be used.
            "embedded-attacker-jwk" => AttackerWithEmbeddedKey(),
            _ => kind,
        };
    }

    /// <summary>Signed with the right key, but the header names another algorithm (RS256 signature bytes under another name).</summary>
    private string WithAlg(string alg) => _tokens.SignRs256(
        new JsonObject { ["alg"] = alg, ["kid"] = _tokens.RsaKeyId, ["typ"] = "JWT" }.ToJsonString(), _tokens.DefaultClaims().ToJsonString());

    private string AttackerWithEmbeddedKey()
    {
        using var attacker = new TestTokens(rsaKeyId: _tokens.RsaKeyId, issuer: _tokens.Issuer, audience: _tokens.Audience);
        return attacker.Issue(header: h =>
        {
            h["jwk"] = attacker.RsaJwk();
            h["jku"] = "http://evil.example/jwks.json";
        });
    }

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task Get_BadToken_Returns401InvalidToken(string kind)
    {
        var response = await GetAsync("/me", BadToken(kind));

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.Single().ToString().Should().StartWith("Bearer error=\"invalid_token\"");
        await ProblemAsync(response, 401, "Unauthorized");
    }

    [Theory]
    [InlineData("expired", "The token has expired.")]
    [InlineData("not-yet-valid", "The token is not valid yet.")]
    [InlineData("wrong-audience", "The token audience is not accepted.")]
    [InlineData("wrong-issuer", "The token issuer is not accepted.")]
    [InlineData("unknown-kid", "The token signing key is unknown.")]
    [InlineData("tampered-payload", "The token signature is invalid.")]
    [InlineData("hs256-confusion", "The token signature is invalid.")]
    public async Task Get_BadToken_SaysWhyInFixedWords(string kind, string detail)
    {
        var response = await GetAsync("/me", BadToken(kind));

        response.Headers.WwwAuthenticate.Single().ToString().Should().Be($"Bearer error=\"invalid_token\", error_description=\"{detail}\"");
        (await ProblemAsync(response, 401, "Unauthorized")).GetProperty("detail").GetString().Should().Be(detail);
    }

    [Fact]
    public async Task Get_GoodToken_Returns200()
    {
        var userId = Guid.NewGuid();

        var response = await GetAsync("/me", _tokens.Issue(userId: userId));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Be(userId.ToString());
    }

    [Theory]
    [InlineData("bearer")]
    [InlineData("BEARER")]
    [InlineData("Bearer ")]
    public async Task Get_SchemeInAnyCase_Returns200(string scheme)
    {
        var response = await GetAsync("/me", _tokens.Issue(), scheme);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Get_OtherScheme_IsIgnoredAndReturns401WithoutInvalidToken()
    {
        var response = await GetAsync("/me", "dXNlcjpwYXNz", scheme: "Basic");

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.Single().ToString().Should().Be("Bearer");
    }

    [Fact]
    public async Task Get_EmptyBearer_Returns401InvalidToken()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/me");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer");

        var response = await _host.Client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.Single().ToString().Should().StartWith("Bearer error=\"invalid_token\"");
    }

    [Fact]
    public async Task Get_AnonymousEndpointWithBadToken_StillServed()
    {
        var response = await GetAsync("/anonymous", "garbage");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Be("anonymous");
    }

    [Fact]
    public async Task Get_CitizenOnStaffPolicy_Returns403Problem()
    {
        var response = await GetAsync("/staff", _tokens.Issue(roles: "citizen"));

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        await ProblemAsync(response, 403, "Forbidden");
    }

    [Theory]
    [InlineData("/moderation", "citizen", HttpStatusCode.Forbidden)]
    [InlineData("/moderation", "moderator", HttpStatusCode.OK)]
    [InlineData("/moderation", "staff", HttpStatusCode.OK)]
    [InlineData("/moderation", "admin", HttpStatusCode.OK)]
    [InlineData("/staff", "moderator", HttpStatusCode.Forbidden)]
    [InlineData("/staff", "staff", HttpStatusCode.OK)]
    [InlineData("/staff", "admin", HttpStatusCode.OK)]
    [InlineData("/admin", "staff", HttpStatusCode.Forbidden)]
    [InlineData("/admin", "admin", HttpStatusCode.OK)]
    [InlineData("/me", "admin", HttpStatusCode.OK)]
    [InlineData("/internal", "admin", HttpStatusCode.Forbidden)]
    [InlineData("/internal", "service", HttpStatusCode.OK)]
    [InlineData("/me", "code-voter", HttpStatusCode.Forbidden)]
    [InlineData("/vote", "code-voter", HttpStatusCode.OK)]
    [InlineData("/vote", "citizen", HttpStatusCode.OK)]
    public async Task Get_RolePolicies_AllowOnlyTheirRoles(string path, string role, HttpStatusCode expected)
    {
        var response = await GetAsync(path, _tokens.Issue(roles: role));

        response.StatusCode.Should().Be(expected);
    }

    [Fact]
    public async Task Get_ServiceToken_AllowedOnServicePolicyOnly()
    {
        var token = _tokens.IssueServiceToken("mitreden-voting");

        var onService = await GetAsync("/internal", token);
        var onCitizen = await GetAsync("/me", token);
        var onAny = await GetAsync("/any", token);

        onService.StatusCode.Should().Be(HttpStatusCode.OK);
        (await onService.Content.ReadAsStringAsync()).Should().Be("mitreden-voting");
        onCitizen.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        onAny.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Get_WithAddProblemDetailsRegistered_StillWritesProblemJson()
    {
        await using var app = await BearerTestHost.StartAppAsync(_tokens, addProblemDetails: true, _host.Identity.MetadataAddress);
        using var client = app.GetTestClient();

        var unauthorized = await client.GetAsync("/me");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _tokens.Issue());
        var forbidden = await client.SendAsync(request);

        unauthorized.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        await ProblemAsync(unauthorized, 401, "Unauthorized");
        forbidden.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        await ProblemAsync(forbidden, 403, "Forbidden");
    }

    [Fact]
    public async Task Host_IdentityUnreachable_StartsAndAnswers401()
    {
        var metadata = $"http://127.0.0.1:{FakeIdentity.ClosedPort()}/.well-known/openid-configuration";
        await using var app = await BearerTestHost.StartAppAsync(_tokens, addProblemDetails: false, metadata);
        using var client = app.GetTestClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _tokens.Issue());

        var response = await client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.Single().ToString().Should().StartWith("Bearer error=\"invalid_token\"");
        await ProblemAsync(response, 401, "Unauthorized");
    }

    [Fact]
    public async Task Get_Es256Token_AcceptedWithKeysFetchedFromIssuerAddress()
    {
        var response = await GetAsync("/me", _tokens.IssueEs256());

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        _host.Identity.DiscoveryRequests.Should().BeGreaterThanOrEqualTo(1);
        _host.Identity.KeyRequests.Should().BeGreaterThanOrEqualTo(1, "jwks_uri names the public issuer; the keys are fetched from the metadata host");
    }

    [Theory]
    [InlineData(20)]
    [InlineData(-20)]
    public async Task Get_ExpiryOrStartWithinClockSkew_Returns200(int secondsFromNow)
    {
        var now = _tokens.Now.ToUnixTimeSeconds();
        var token = secondsFromNow < 0
            ? _tokens.Issue(c => { c["iat"] = now - 600; c["nbf"] = now - 600; c["exp"] = now + secondsFromNow; })
            : _tokens.Issue(c => c["nbf"] = now + secondsFromNow);

        var response = await GetAsync("/me", token);

        response.StatusCode.Should().Be(HttpStatusCode.OK, "the clock skew is {0}", AuthExtensions.ClockSkew);
    }

    [Fact]
    public async Task Get_ClaimsOfValidToken_AreOursUnmapped()
    {
        var userId = Guid.NewGuid();
        var group = Guid.NewGuid();
        var until = _tokens.Now.AddDays(3).ToUnixTimeSeconds();
        var token = _tokens.Issue(c =>
        {
            c["name"] = "Erika Muster";
            c["district"] = "mitte";
            c["voting_group"] = group.ToString();
            c["blocked_until"] = until;
        }, userId: userId, roles: ["citizen", "moderator"]);

        var response = await GetAsync("/claims", token);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        body.GetProperty("userId").GetGuid().Should().Be(userId);
        body.GetProperty("name").GetString().Should().Be("Erika Muster");
        body.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).Should().Equal("citizen", "moderator");
        body.GetProperty("isModerator").GetBoolean().Should().BeTrue();
        body.GetProperty("verification").GetString().Should().Be("email");
        body.GetProperty("district").GetString().Should().Be("mitte");
        body.GetProperty("votingGroup").GetString().Should().Be(group.ToString());
        body.GetProperty("blockedUntil").GetDateTimeOffset().ToUnixTimeSeconds().Should().Be(until);
        body.GetProperty("issuedAt").GetDateTimeOffset().ToUnixTimeSeconds().Should().Be(_tokens.Now.ToUnixTimeSeconds());
    }

    [Fact]
    public async Task Get_RolesAsSingleString_IsOneRole()
    {
        var token = _tokens.Issue(c => c["roles"] = "staff");

        (await GetAsync("/staff", token)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await GetAsync("/admin", token)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }
}
