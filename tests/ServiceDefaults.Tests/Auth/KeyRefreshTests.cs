using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Mitreden.ServiceDefaults.Auth;
using Mitreden.TestKit;

namespace Mitreden.ServiceDefaults.Tests.Auth;

/// <summary>A signing key Identity publishes later (rotation) is learned from its discovery document without a restart.</summary>
public sealed class KeyRefreshTests : IAsyncLifetime
{
    private readonly TestTokens _first = new();
    private readonly TestTokens _second = new();
    private BearerTestHost _host = null!;

    public async Task InitializeAsync() => _host = await BearerTestHost.StartAsync(_first, _first.RsaJwksJson);

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _first.Dispose();
        _second.Dispose();
    }

    private async Task<HttpStatusCode> MeAsync(string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await _host.Client.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task Get_TokenWithNewlyPublishedKid_RefreshesKeysAndIsAccepted()
    {
        (await MeAsync(_first.Issue())).Should().Be(HttpStatusCode.OK);
        var fetchesBefore = _host.Identity.KeyRequests;

        // Identity rotates: the new key is published next to the old one and signs from now on.
        _host.Identity.Jwks = new JsonObject { ["keys"] = new JsonArray(_first.RsaJwk(), _second.RsaJwk()) }.ToJsonString();
        var fresh = _second.Issue();

        await Eventually.AssertAsync(async () => (await MeAsync(fresh)).Should().Be(HttpStatusCode.OK), TimeSpan.FromSeconds(15));
        _host.Identity.KeyRequests.Should().BeGreaterThan(fetchesBefore, "the unknown kid made the validator read the keys again");
        (await MeAsync(_first.Issue())).Should().Be(HttpStatusCode.OK, "the old key stays valid while it is published");
    }

    [Fact]
    public async Task Get_FloodOfUnknownKids_FetchesKeysAtMostOncePerRefreshInterval()
    {
        (await MeAsync(_first.Issue())).Should().Be(HttpStatusCode.OK);
        var fetchesBefore = _host.Identity.KeyRequests;

        for (var i = 0; i < 30; i++)
        {
            (await MeAsync(_first.Issue(header: h => h["kid"] = "made-up-" + i))).Should().Be(HttpStatusCode.Unauthorized);
        }
        await Task.Delay(TimeSpan.FromSeconds(1)); // a refresh the flood started may still be running

        (_host.Identity.KeyRequests - fetchesBefore).Should().BeLessThanOrEqualTo(1,
            "unknown kids re-read the keys at most once per {0}", AuthExtensions.UnknownKeyRefreshInterval);
    }
}
