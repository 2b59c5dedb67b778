using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FluentAssertions;
using Microsoft.EntityFrameworkCore;
using Xunit;

namespace Mitreden.Identity.Tests;

[Collection(IdentityCollection.Name)]
public sealed class KeyRotationTests(IdentityFixture fixture)
{
    [Fact]
    public async Task Rotate_ByAdminOnly_OldTokensStillValid_NewTokensUseNewKid_JwksListsBoth()
    {
        var citizen = await fixture.CreateAccountAsync();
        var oldKid = citizen.Tokens.Header.GetProperty("kid").GetString();

        (await fixture.WithToken(citizen.Tokens.AccessToken).PostAsync("/admin/keys/rotate", null)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var staff = await fixture.StaffAsync();
        (await staff.PostAsync("/admin/keys/rotate", null)).StatusCode.Should().Be(HttpStatusCode.Forbidden, "rotation is for admins only");
        (await staff.GetAsync("/admin/keys")).StatusCode.Should().Be(HttpStatusCode.OK, "staff still see the keys");
        var admin = await fixture.AdminAsync();
        var rotate = await admin.PostAsync("/admin/keys/rotate", null);
        rotate.StatusCode.Should().Be(HttpStatusCode.OK);
        var rotated = await rotate.Content.ReadFromJsonAsync<JsonElement>();
        var newKid = rotated.GetProperty("kid").GetString();
        newKid.Should().NotBe(oldKid);
        rotated.GetProperty("previousKid").GetString().Should().Be(oldKid);

        (await fixture.WithToken(citizen.Tokens.AccessToken).GetAsync("/account/me")).StatusCode.Should().Be(HttpStatusCode.OK,
            "tokens signed before the rotation stay valid until they expire");
        var fresh = await fixture.LoginAsync(citizen.Email, IdentityFixture.Password);
        fresh.Header.GetProperty("kid").GetString().Should().Be(newKid);
        (await fixture.WithToken(fresh.AccessToken).GetAsync("/account/me")).StatusCode.Should().Be(HttpStatusCode.OK);

        var jwks = await fixture.Anonymous().GetFromJsonAsync<JsonElement>("/.well-known/jwks.json");
        jwks.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()).Should().Contain([oldKid, newKid]);

        var keys = await fixture.InDbAsync(db => db.SigningKeys.ToListAsync());
        var old = keys.Single(k => k.Kid == oldKid);
        old.RetiresAt.Should().BeCloseTo(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1));
        keys.Single(k => k.Kid == newKid).RetiresAt.Should().BeCloseTo(DateTimeOffset.UtcNow.AddDays(30), TimeSpan.FromMinutes(1));
        keys.Should().OnlyContain(k => k.EncryptedPrivateKey[0] == 1 && k.EncryptedPrivateKey.Length > 1000);
        foreach (var key in keys)
        {
            var asPlainKey = () => System.Security.Cryptography.RSA.Create().ImportPkcs8PrivateKey(key.EncryptedPrivateKey, out _);
            asPlainKey.Should().Throw<System.Security.Cryptography.CryptographicException>("private keys are encrypted at rest");
        }

        var audit = await fixture.InDbAsync(db => db.AuditEntries.Where(a => a.Action == "signing-key-rotated" && a.TargetId == newKid).CountAsync());
        audit.Should().Be(1);
    }
}
