using System.Text.Json;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Mitreden.TestKit;

/// <summary>
/// Issues RS256 tokens (signed by <see cref="TestTokens"/>, the kit's one token minter) for integration tests of services other than
/// Identity. The services under test get its public key as their bearer configuration (<see cref="Configuration"/>);
/// the real Identity issuer is covered by its own tests and by the end-to-end tests.
/// </summary>
public sealed class TestIssuer
{
    public const string Issuer = "http://mitreden.test/api/identity";
    private readonly TestTokens _tokens;

    public TestIssuer(string keyId = "test-key-1")
    {
        KeyId = keyId;
        _tokens = new TestTokens(rsaKeyId: keyId, issuer: Issuer);
        Configuration = new OpenIdConnectConfiguration { Issuer = Issuer };
        Configuration.SigningKeys.Add(new RsaSecurityKey(_tokens.Rsa.ExportParameters(false)) { KeyId = keyId });
    }

    public string KeyId { get; }

    /// <summary>What a service under test knows about the issuer: its name and public key, as discovery would tell it.</summary>
    public OpenIdConnectConfiguration Configuration { get; }

    public string Token(Guid userId, string audience, IEnumerable<string>? roles = null, string verification = "email",
        string? district = null, string? name = null, TimeSpan? lifetime = null, string? issuer = null)
    {
        var now = DateTimeOffset.UtcNow;
        var claims = new Dictionary<string, object?>
        {
            ["iss"] = issuer ?? Issuer,
            ["aud"] = new[] { audience },
            ["sub"] = userId.ToString(),
            ["iat"] = now.ToUnixTimeSeconds(),
            ["nbf"] = now.ToUnixTimeSeconds(),
            ["exp"] = (now + (lifetime ?? TimeSpan.FromMinutes(10))).ToUnixTimeSeconds(),
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["roles"] = (roles ?? ["citizen"]).ToArray(),
            ["verification"] = verification,
            ["name"] = name ?? "Test " + userId.ToString("N")[..6],
            ["client_id"] = "mitreden-web",
        };
        if (district is not null)
        {
            claims["district"] = district;
        }
        return Sign(claims);
    }

    /// <summary>A client_credentials token for service-to-service calls (no sub).</summary>
    public string ServiceToken(string clientId, string audience)
    {
        var now = DateTimeOffset.UtcNow;
        return Sign(new Dictionary<string, object?>
        {
            ["iss"] = Issuer,
            ["aud"] = new[] { audience },
            ["iat"] = now.ToUnixTimeSeconds(),
            ["exp"] = now.AddMinutes(10).ToUnixTimeSeconds(),
            ["client_id"] = clientId,
            ["roles"] = new[] { "service" },
        });
    }

    /// <summary>Signs any claims with the test key; <paramref name="keyId"/> names another kid in the header (attack tests).</summary>
    public string Sign(IReadOnlyDictionary<string, object?> claims, string? keyId = null)
    {
        var header = _tokens.RsaHeader();
        header["kid"] = keyId ?? KeyId;
        var payload = JsonSerializer.Serialize(claims.Where(c => c.Value is not null).ToDictionary(c => c.Key, c => c.Value));
        return _tokens.SignRs256(header.ToJsonString(), payload);
    }
}
