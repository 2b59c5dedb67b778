using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Mitreden.ServiceDefaults.Auth;

namespace Mitreden.ServiceDefaults.Tests.Auth;

public sealed class BearerHandlerTests : IAsyncLifetime
{
    private readonly TestTokens _tokens = new();
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _app = await StartHostAsync(_tokens, addProblemDetails: false);
        _client = _app.GetTestClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
        _tokens.Dispose();
    }

    internal static async Task<WebApplication> StartHostAsync(TestTokens tokens, bool addProblemDetails, ISigningKeySource? keys = null, string? jwksUrl = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Auth:Issuer"] = tokens.Issuer,
            ["Auth:Audience"] = tokens.Audience,
            ["Auth:JwksUrl"] = jwksUrl,
        });
        // Without a JWKS URL the host validates with the in-process keys of the test token factory.
        keys ??= jwksUrl is null ? new StaticSigningKeySource(JsonWebKeySet.Parse(tokens.JwksJson)) : null;
        if (keys is not null)
        {
            builder.Services.AddSingleton(keys);
        }

        if (addProblemDetails)
        {
            builder.Services.AddProblemDetails();
        }

        builder.Services.AddMitredenAuthentication(builder.Configuration);
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/anonymous", (ClaimsPrincipal user) => user.Identity?.IsAuthenticated == true ? "user" : "anonymous");
        app.MapGet("/me", (ClaimsPrincipal user) => user.UserId().ToString()).RequireAuthorization(AuthPolicies.Citizen);
        app.MapGet("/vote", () => "ok").RequireAuthorization(AuthPolicies.Voter);
        app.MapGet("/any", () => "ok").RequireAuthorization();
        app.MapGet("/moderation", () => "ok").RequireAuthorization(AuthPolicies.Moderator);
        app.MapGet("/staff", () => "ok").RequireAuthorization(AuthPolicies.Staff);
        app.MapGet("/admin", () => "ok").RequireAuthorization(AuthPolicies.Admin);
        app.MapGet("/internal", (ClaimsPrincipal user) => user.ClientId() ?? "service").RequireAuthorization(AuthPolicies.Service);
        await app.StartAsync();
        return app;
    }

    private async Task<HttpResponseMessage> GetAsync(string path, string? token, string scheme = "Bearer")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", $"{scheme} {token}");
        }

        return await _client.SendAsync(request);
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
        };
    }

    private string BadToken(string kind)
    {
        var now = _tokens.Now.ToUnixTimeSeconds();
        var good = _tokens.Issue();
        var parts = good.Split('.');
        return kind switch
        {
            "expired" => _tokens.Issue(c => c["exp"] = now - 120),
            "alg-none" => TestTokens.Unsigned(new JsonObject { ["alg"] = "none", ["kid"] = _tokens.RsaKeyId }.ToJsonString(), _tokens.DefaultClaims().ToJsonString()),
            "hs256-confusion" => TestTokens.SignHs256(
                new JsonObject { ["alg"] = "HS256", ["kid"] = _tokens.RsaKeyId }.ToJsonString(), _tokens.DefaultClaims().ToJsonString(), _tokens.RsaPublicKeyPemBytes),
            "tampered-payload" => $"{parts[0]}.{TestTokens.B64(_tokens.DefaultClaims(roles: "admin").ToJsonString())}.{parts[2]}",
            "tampered-signature" => $"{parts[0]}.{parts[1]}.{(parts[2][10] == 'A' ? parts[2].Remove(10, 1).Insert(10, "B") : parts[2].Remove(10, 1).Insert(10, "A"))}",
            "wrong-audience" => _tokens.Issue(c => c["aud"] = "mitreden-other"),
            "wrong-issuer" => _tokens.Issue(c => c["iss"] = "http://evil.example"),
            "unknown-kid" => _tokens.Issue(header: h => h["kid"] = "unknown"),
            "not-yet-valid" => _tokens.Issue(c => c["nbf"] = now + 3600),
            "garbage" => "not-a-token",
            "huge" => new string('a', 20_000),
            _ => kind,
        };
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

        var response = await _client.SendAsync(request);

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
        await using var app = await StartHostAsync(_tokens, addProblemDetails: true);
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
        var jwksUrl = $"http://127.0.0.1:{JwksKeyStoreTests.ClosedPort()}/.well-known/jwks.json";
        await using var app = await StartHostAsync(_tokens, addProblemDetails: false, jwksUrl: jwksUrl);
        using var client = app.GetTestClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _tokens.Issue());

        var response = await client.SendAsync(request);

        app.Services.GetRequiredService<ISigningKeySource>().Should().BeOfType<JwksKeyStore>();
        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.Single().ToString().Should().StartWith("Bearer error=\"invalid_token\"");
    }

    [Fact]
    public async Task Host_WithJwksServer_ValidatesTokensFromFetchedKeys()
    {
        await using var jwks = await FakeJwksServer.StartAsync(_tokens.JwksJson);
        await using var app = await StartHostAsync(_tokens, addProblemDetails: false, jwksUrl: jwks.JwksUri.ToString());
        using var client = app.GetTestClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _tokens.IssueEs256());

        var response = await client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        jwks.Requests.Should().BeGreaterThanOrEqualTo(1);
    }
}
