using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Mitreden.ServiceDefaults.Auth;
using Mitreden.TestKit;

namespace Mitreden.ServiceDefaults.Tests.Auth;

/// <summary>A signing key Identity publishes later (rotation) is learned from its discovery document without a restart.</summary>
public sealed class KeyRefreshTests : IAsyncLifetime
{
    private readonly TestTokens _first = new();
    private readonly TestTokens _second = new();
    private FakeIdentity _identity = null!;
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _identity = await FakeIdentity.StartAsync(_first.Issuer, _first.RsaJwksJson);
        _app = await BearerHandlerTests.StartHostAsync(_first, addProblemDetails: false, _identity.MetadataAddress);
        _client = _app.GetTestClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
        await _identity.DisposeAsync();
        _first.Dispose();
        _second.Dispose();
    }

    private async Task<HttpStatusCode> MeAsync(string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await _client.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task Get_TokenWithNewlyPublishedKid_RefreshesKeysAndIsAccepted()
    {
        (await MeAsync(_first.Issue())).Should().Be(HttpStatusCode.OK);
        var fetchesBefore = _identity.KeyRequests;

        // Identity rotates: the new key is published next to the old one and signs from now on.
        _identity.Jwks = new JsonObject { ["keys"] = new JsonArray(_first.RsaJwk(), _second.RsaJwk()) }.ToJsonString();
        var fresh = _second.Issue();

        await Eventually.AssertAsync(async () => (await MeAsync(fresh)).Should().Be(HttpStatusCode.OK), TimeSpan.FromSeconds(15));
        _identity.KeyRequests.Should().BeGreaterThan(fetchesBefore, "the unknown kid made the validator read the keys again");
        (await MeAsync(_first.Issue())).Should().Be(HttpStatusCode.OK, "the old key stays valid while it is published");
    }

    [Fact]
    public async Task Get_FloodOfUnknownKids_FetchesKeysAtMostOncePerRefreshInterval()
    {
        (await MeAsync(_first.Issue())).Should().Be(HttpStatusCode.OK);
        var fetchesBefore = _identity.KeyRequests;

        for (var i = 0; i < 30; i++)
        {
            (await MeAsync(_first.Issue(header: h => h["kid"] = "made-up-" + i))).Should().Be(HttpStatusCode.Unauthorized);
        }
        await Task.Delay(TimeSpan.FromSeconds(1)); // a refresh the flood started may still be running

        (_identity.KeyRequests - fetchesBefore).Should().BeLessThanOrEqualTo(1,
            "unknown kids re-read the keys at most once per {0}", AuthExtensions.UnknownKeyRefreshInterval);
    }
}
