using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Mitreden.ServiceDefaults.Auth;

namespace Mitreden.TestKit;

/// <summary>
/// Issues RS256 tokens for integration tests of services other than Identity. The services under test get its
/// public key through <see cref="StaticSigningKeySource"/>; the real Identity issuer is covered by its own tests
/// and by the end-to-end tests.
/// </summary>
public sealed class TestIssuer
{
    public const string Issuer = "http://mitreden.test/api/identity";
    private readonly RSA _rsa = RSA.Create(2048);

    public TestIssuer(string keyId = "test-key-1")
    {
        KeyId = keyId;
        Keys = new JsonWebKeySet([JsonWebKey.FromRsa(_rsa, keyId)]);
    }

    public string KeyId { get; }
    public JsonWebKeySet Keys { get; }

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

    public string Sign(IReadOnlyDictionary<string, object?> claims, string? keyId = null)
    {
        var header = JsonSerializer.SerializeToUtf8Bytes(new { alg = "RS256", typ = "JWT", kid = keyId ?? KeyId });
        var payload = JsonSerializer.SerializeToUtf8Bytes(claims);
        var signingInput = System.Buffers.Text.Base64Url.EncodeToString(header) + "." + System.Buffers.Text.Base64Url.EncodeToString(payload);
        var signature = _rsa.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + System.Buffers.Text.Base64Url.EncodeToString(signature);
    }
}
