using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FluentAssertions;
using Mitreden.TestKit;
using Xunit;

namespace Mitreden.Identity.Tests;

/// <summary>Hostile tokens against a real protected endpoint of Identity (GET /account/me), signed with Identity's real key where it matters.</summary>
[Collection(IdentityCollection.Name)]
public sealed class TokenValidationTests(IdentityFixture fixture) : IAsyncLifetime
{
    private TestAccount _account = null!;

    public async Task InitializeAsync() => _account = await fixture.CreateAccountAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private Dictionary<string, object> Claims(Action<Dictionary<string, object>>? change = null)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var claims = new Dictionary<string, object>
        {
            ["iss"] = TestIssuer.Issuer,
            ["aud"] = new[] { "mitreden-identity", "mitreden-web" },
            ["sub"] = _account.Id.ToString(),
            ["iat"] = now,
            ["nbf"] = now,
            ["exp"] = now + 600,
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["roles"] = new[] { "citizen" },
            ["verification"] = "email",
            ["name"] = "Testperson",
            ["client_id"] = "mitreden-web",
        };
        change?.Invoke(claims);
        return claims;
    }

    private string SignWithRealKey(Dictionary<string, object> claims, string? kid = null) =>
        fixture.SignRaw(
            JsonSerializer.Serialize(new { alg = "RS256", kid = kid ?? fixture.ActiveKeyId, typ = "JWT" }),
            JsonSerializer.Serialize(claims));

    private async Task<HttpResponseMessage> MeWith(string token) => await fixture.WithToken(token).GetAsync("/account/me");

    [Fact]
    public async Task WellFormedToken_SignedWithIdentityKey_Accepted()
    {
        (await MeWith(SignWithRealKey(Claims()))).StatusCode.Should().Be(HttpStatusCode.OK, "the hostile variants below differ from this one in one point each");
        (await MeWith(_account.Tokens.AccessToken)).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    public static TheoryData<string> HostileTokens => new()
    {
        "alg-none", "alg-none-with-signature", "hs256-with-public-key", "tampered-payload", "tampered-signature",
        "expired", "not-yet-valid", "wrong-issuer", "wrong-audience", "unknown-kid", "garbage",
    };

    [Theory]
    [MemberData(nameof(HostileTokens))]
    public async Task HostileToken_OnProtectedEndpoint_Unauthorized(string kind)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var realKid = fixture.ActiveKeyId;
        var token = kind switch
        {
            "alg-none" => Jwt.Encode($$"""{"alg":"none","kid":"{{realKid}}","typ":"JWT"}""") + "." + Jwt.Encode(JsonSerializer.Serialize(Claims())) + ".",
            "alg-none-with-signature" => Jwt.Encode($$"""{"alg":"none","kid":"{{realKid}}","typ":"JWT"}""") + "." + Jwt.Encode(JsonSerializer.Serialize(Claims())) + ".AAAA",
            "hs256-with-public-key" => await Hs256WithPublicKeyAsync(realKid),
            "tampered-payload" => TamperPayload(_account.Tokens.AccessToken),
            "tampered-signature" => TamperSignature(_account.Tokens.AccessToken),
            "expired" => SignWithRealKey(Claims(c => { c["iat"] = now - 1200; c["nbf"] = now - 1200; c["exp"] = now - 600; })),
            "not-yet-valid" => SignWithRealKey(Claims(c => { c["nbf"] = now + 600; c["exp"] = now + 1200; })),
            "wrong-issuer" => SignWithRealKey(Claims(c => c["iss"] = "https://evil.example/api/identity")),
            "wrong-audience" => SignWithRealKey(Claims(c => c["aud"] = new[] { "mitreden-voting", "mitreden-web" })),
            "unknown-kid" => SignWithRealKey(Claims(), kid: "no-such-key"),
            "garbage" => "not.a.jwt",
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        var response = await MeWith(token);
        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized, kind);
        response.Headers.WwwAuthenticate.ToString().Should().Contain("invalid_token", kind);
    }

    /// <summary>Key confusion: HMAC keyed with the public key (as PEM, as an attacker would find it), header naming the real kid.</summary>
    private async Task<string> Hs256WithPublicKeyAsync(string kid)
    {
        var jwks = await fixture.Anonymous().GetFromJsonAsync<JsonElement>("/.well-known/jwks.json");
        var jwk = jwks.GetProperty("keys").EnumerateArray().Single(k => k.GetProperty("kid").GetString() == kid);
        using var rsa = RSA.Create(new RSAParameters
        {
            Modulus = System.Buffers.Text.Base64Url.DecodeFromChars(jwk.GetProperty("n").GetString()),
            Exponent = System.Buffers.Text.Base64Url.DecodeFromChars(jwk.GetProperty("e").GetString()),
        });
        var input = Jwt.Encode($$"""{"alg":"HS256","kid":"{{kid}}","typ":"JWT"}""") + "." + Jwt.Encode(JsonSerializer.Serialize(Claims()));
        var signature = HMACSHA256.HashData(Encoding.ASCII.GetBytes(rsa.ExportSubjectPublicKeyInfoPem()), Encoding.ASCII.GetBytes(input));
        return input + "." + System.Buffers.Text.Base64Url.EncodeToString(signature);
    }

    private static string TamperPayload(string token)
    {
        var parts = token.Split('.');
        var payload = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(System.Buffers.Text.Base64Url.DecodeFromChars(parts[1]))!;
        payload["roles"] = JsonSerializer.SerializeToElement(new[] { "citizen", "admin" });
        return parts[0] + "." + Jwt.Encode(JsonSerializer.Serialize(payload)) + "." + parts[2];
    }

    private static string TamperSignature(string token)
    {
        var parts = token.Split('.');
        var signature = System.Buffers.Text.Base64Url.DecodeFromChars(parts[2]);
        signature[signature.Length / 2] ^= 0x01;
        return parts[0] + "." + parts[1] + "." + System.Buffers.Text.Base64Url.EncodeToString(signature);
    }

    [Fact]
    public async Task Discovery_AndJwks_DescribeTheIssuer()
    {
        var discovery = await fixture.Anonymous().GetFromJsonAsync<JsonElement>("/.well-known/openid-configuration");
        discovery.GetProperty("issuer").GetString().Should().Be(TestIssuer.Issuer);
        discovery.GetProperty("jwks_uri").GetString().Should().Be(TestIssuer.Issuer + "/.well-known/jwks.json");
        discovery.GetProperty("token_endpoint").GetString().Should().Be(TestIssuer.Issuer + "/connect/token");
        discovery.GetProperty("grant_types_supported").EnumerateArray().Select(g => g.GetString())
            .Should().Contain(["password", "refresh_token", "client_credentials", "urn:mitreden:voting-code", "authorization_code"]);
        discovery.GetProperty("authorization_endpoint").GetString().Should().Be(TestIssuer.Issuer + "/connect/authorize");
        discovery.GetProperty("code_challenge_methods_supported").EnumerateArray().Select(m => m.GetString()).Should().Equal("S256");
        discovery.GetProperty("scopes_supported").EnumerateArray().Select(m => m.GetString())
            .Should().Contain(["identity", "proposals", "comments", "voting", "moderation"]);

        var jwks = await fixture.Anonymous().GetFromJsonAsync<JsonElement>("/.well-known/jwks.json");
        var keys = jwks.GetProperty("keys").EnumerateArray().ToList();
        keys.Should().Contain(k => k.GetProperty("kid").GetString() == _account.Tokens.Header.GetProperty("kid").GetString());
        keys.Should().OnlyContain(k => k.GetProperty("kty").GetString() == "RSA" && k.GetProperty("alg").GetString() == "RS256"
            && k.GetProperty("use").GetString() == "sig" && k.GetRawText().Contains("\"d\"") == false);
        keys.Should().HaveCount(2, "both configured keys are published; the symmetric key of refresh tokens never is");
        keys.Should().OnlyContain(k => System.Buffers.Text.Base64Url.DecodeFromChars(k.GetProperty("n").GetString()).Length == 256, "RSA 2048");
    }
}
