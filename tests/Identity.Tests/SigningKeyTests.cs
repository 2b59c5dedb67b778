using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FluentAssertions;
using Xunit;

namespace Mitreden.Identity.Tests;

/// <summary>Keys come from configuration only: two configured, one signing, both published.</summary>
[Collection(IdentityCollection.Name)]
public sealed class SigningKeyTests(IdentityFixture fixture)
{
    [Fact]
    public async Task TwoConfiguredKeys_BothPublished_OnlyTheActiveOneSigns()
    {
        var jwks = await fixture.Anonymous().GetFromJsonAsync<JsonElement>("/.well-known/jwks.json");
        jwks.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString())
            .Should().BeEquivalentTo([fixture.ActiveKeyId, fixture.NextKeyId], "a key is published before it signs");

        var citizen = await fixture.CreateAccountAsync();
        citizen.Tokens.Header.GetProperty("kid").GetString().Should().Be(fixture.ActiveKeyId, "the next key signs only from tomorrow");
        citizen.Tokens.Header.GetProperty("alg").GetString().Should().Be("RS256");
        var refreshed = await TokenSet.ReadAsync(await fixture.RefreshAsync(citizen.Tokens.RefreshToken!));
        refreshed.Header.GetProperty("kid").GetString().Should().Be(fixture.ActiveKeyId);
    }

    [Fact]
    public async Task RotationApi_Gone_KeysAreConfigurationOnly()
    {
        var admin = await fixture.AdminAsync();
        (await admin.PostAsync("/admin/keys/rotate", null)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await admin.GetAsync("/admin/keys")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }
}
