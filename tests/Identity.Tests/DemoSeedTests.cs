using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using FluentAssertions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Mitreden.Identity.Api;
using Mitreden.Identity.Api.Data;
using Mitreden.TestKit;
using Xunit;

namespace Mitreden.Identity.Tests;

/// <summary>A second Identity with Demo:Seed=true on an empty database (and test voters off, the default).</summary>
public sealed class DemoSeedTests : IAsyncLifetime
{
    private readonly ServiceFactory<IdentityDb> _factory = new("identity") { UseTestIssuerKeys = false };

    public async Task InitializeAsync()
    {
        _factory
            .With("Identity:KeyEncryptionKey", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)))
            .With("Identity:SigningKeys:0:Pem", IdentityFixture.NewSigningKeyPem())
            .With("Identity:WebClient:Secret", IdentityFixture.WebClientSecret)
            .With("Identity:AllowTestClients", "true")
            .With("Mail:PickupDirectory", Path.Combine(Path.GetTempPath(), "mitreden-identity-tests", Guid.NewGuid().ToString("N")))
            .With("Demo:Seed", "true");
        await ((IAsyncLifetime)_factory).InitializeAsync();
    }

    public Task DisposeAsync() => ((IAsyncLifetime)_factory).DisposeAsync();

    private async Task<JsonElement> LoginAsync(string email)
    {
        var response = await _factory.CreateClient().PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["client_id"] = "mitreden-test", ["username"] = email, ["password"] = "Demo-Passwort-2026!",
        }));
        response.StatusCode.Should().Be(HttpStatusCode.OK, email);
        return Jwt.Payload((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!);
    }

    [Fact]
    public async Task DemoSeed_EmptyDatabase_FourDemoAccountsWithFixedIds()
    {
        var citizen = await LoginAsync("buerger@demo.mitreden.de");
        citizen.GetProperty("sub").GetString().Should().Be("11111111-0000-0000-0000-000000000001");
        citizen.GetProperty("verification").GetString().Should().Be("resident");
        citizen.GetProperty("district").GetString().Should().Be("mitte");
        citizen.GetProperty("name").GetString().Should().Be("Bürgerin Demo");

        var moderator = await LoginAsync("moderation@demo.mitreden.de");
        moderator.GetProperty("sub").GetString().Should().Be("11111111-0000-0000-0000-000000000002");
        moderator.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).Should().Equal("moderator");
        moderator.GetProperty("verification").GetString().Should().Be("email");

        (await LoginAsync("stadt@demo.mitreden.de")).GetProperty("roles").EnumerateArray().Select(r => r.GetString()).Should().Equal("staff");
        var admin = await LoginAsync("admin@demo.mitreden.de");
        admin.GetProperty("sub").GetString().Should().Be("11111111-0000-0000-0000-000000000004");
        admin.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).Should().Equal("admin");
    }

    private async Task<HttpClient> DemoAdminAsync()
    {
        var login = await _factory.CreateClient().PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["client_id"] = "mitreden-test", ["username"] = "admin@demo.mitreden.de", ["password"] = "Demo-Passwort-2026!",
        }));
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString();
        var client = _factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    [Fact]
    public async Task TestVoters_NotEnabled_NotFound()
    {
        var admin = await DemoAdminAsync();
        (await admin.PostAsJsonAsync("/admin/test-voters", new { count = 1, district = "mitte" })).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task TestVoterGrant_NotEnabled_NotAdvertisedAndUnsupported()
    {
        var discovery = await _factory.CreateClient().GetFromJsonAsync<JsonElement>("/.well-known/openid-configuration");
        discovery.GetProperty("grant_types_supported").EnumerateArray().Select(g => g.GetString())
            .Should().Contain("urn:mitreden:voting-code").And.NotContain("urn:mitreden:test-voter");
        var response = await _factory.CreateClient().PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "urn:mitreden:test-voter", ["voter_id"] = Guid.NewGuid().ToString(), ["voter_key"] = "x",
        }));
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString().Should().Be("unsupported_grant_type");
    }

    [Fact]
    public async Task LastAdmin_RevokeOwnRoleOrDeleteAccount_Conflict()
    {
        var admin = await DemoAdminAsync();
        (await admin.DeleteAsync("/admin/users/11111111-0000-0000-0000-000000000004/roles/admin")).StatusCode.Should().Be(HttpStatusCode.Conflict);
        var delete = new HttpRequestMessage(HttpMethod.Delete, "/account/me") { Content = JsonContent.Create(new { password = "Demo-Passwort-2026!" }) };
        (await admin.SendAsync(delete)).StatusCode.Should().Be(HttpStatusCode.Conflict);
    }
}
