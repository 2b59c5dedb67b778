using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mitreden.TestKit;

/// <summary>
/// Self-contained token factory for tests: an RSA 2048 key (RS256) and an EC P-256 key (ES256), tokens with any
/// header and claims (including deliberately broken ones) and the JWKS JSON to publish the public keys.
/// Depends on nothing but the BCL. <see cref="TestIssuer"/> signs with it too, so the test kit has one token minter.
/// </summary>
public sealed class TestTokens : IDisposable
{
    public const string DefaultIssuer = "http://127.0.0.1:18080/api/identity";
    public const string DefaultAudience = "mitreden-test";

    public TestTokens(string? rsaKeyId = null, string? ecKeyId = null, string issuer = DefaultIssuer, string audience = DefaultAudience)
    {
        Rsa = RSA.Create(2048);
        Ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        RsaKeyId = rsaKeyId ?? "rsa-" + Guid.NewGuid().ToString("N")[..8];
        EcKeyId = ecKeyId ?? "ec-" + Guid.NewGuid().ToString("N")[..8];
        Issuer = issuer;
        Audience = audience;
    }

    public RSA Rsa { get; }

    public ECDsa Ec { get; }

    public string RsaKeyId { get; }

    public string EcKeyId { get; }

    public string Issuer { get; }

    public string Audience { get; }

    /// <summary>Clock used for default iat/nbf/exp; tests may set it.</summary>
    public DateTimeOffset Now { get; set; } = DateTimeOffset.UtcNow;

    /// <summary>The public RSA key as a JWK object (kty RSA, use sig, alg RS256).</summary>
    public JsonObject RsaJwk(bool includeAlg = true)
    {
        var p = Rsa.ExportParameters(false);
        var jwk = new JsonObject { ["kty"] = "RSA", ["use"] = "sig", ["kid"] = RsaKeyId, ["n"] = B64(p.Modulus!), ["e"] = B64(p.Exponent!) };
        if (includeAlg)
        {
            jwk["alg"] = "RS256";
        }

        return jwk;
    }

    /// <summary>The public EC key as a JWK object (kty EC, crv P-256, alg ES256).</summary>
    public JsonObject EcJwk(bool includeAlg = true)
    {
        var p = Ec.ExportParameters(false);
        var jwk = new JsonObject { ["kty"] = "EC", ["use"] = "sig", ["kid"] = EcKeyId, ["crv"] = "P-256", ["x"] = B64(p.Q.X!), ["y"] = B64(p.Q.Y!) };
        if (includeAlg)
        {
            jwk["alg"] = "ES256";
        }

        return jwk;
    }

    /// <summary>JWKS document with both public keys.</summary>
    public string JwksJson => new JsonObject { ["keys"] = new JsonArray(RsaJwk(), EcJwk()) }.ToJsonString();

    /// <summary>JWKS document with the RSA key only.</summary>
    public string RsaJwksJson => new JsonObject { ["keys"] = new JsonArray(RsaJwk()) }.ToJsonString();

    /// <summary>The RSA public key as PEM text bytes (what a key-confusion attacker would use as an HMAC secret).</summary>
    public byte[] RsaPublicKeyPemBytes => Encoding.ASCII.GetBytes(Rsa.ExportSubjectPublicKeyInfoPem());

    public byte[] RsaPublicKeyDerBytes => Rsa.ExportSubjectPublicKeyInfo();

    /// <summary>Default user claims: iss, aud (array), sub, iat, nbf, exp (+10 min), jti, roles, verification, name.</summary>
    public JsonObject DefaultClaims(Guid? userId = null, params string[] roles)
    {
        var now = Now.ToUnixTimeSeconds();
        return new JsonObject
        {
            ["iss"] = Issuer,
            ["aud"] = new JsonArray(Audience),
            ["sub"] = (userId ?? Guid.NewGuid()).ToString(),
            ["iat"] = now,
            ["nbf"] = now,
            ["exp"] = now + 600,
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["roles"] = new JsonArray(roles.Length == 0 ? ["citizen"] : roles.Select(r => (JsonNode?)r).ToArray()),
            ["verification"] = "email",
            ["name"] = "Test User",
        };
    }

    public JsonObject RsaHeader() => new() { ["alg"] = "RS256", ["kid"] = RsaKeyId, ["typ"] = "JWT" };

    public JsonObject EcHeader() => new() { ["alg"] = "ES256", ["kid"] = EcKeyId, ["typ"] = "JWT" };

    /// <summary>A valid RS256 token for a user; <paramref name="claims"/> and <paramref name="header"/> may alter it.</summary>
    public string Issue(Action<JsonObject>? claims = null, Action<JsonObject>? header = null, Guid? userId = null, params string[] roles)
    {
        var h = RsaHeader();
        header?.Invoke(h);
        var c = DefaultClaims(userId, roles);
        claims?.Invoke(c);
        return SignRs256(h.ToJsonString(), c.ToJsonString());
    }

    /// <summary>A valid ES256 token; <paramref name="claims"/> and <paramref name="header"/> may alter it.</summary>
    public string IssueEs256(Action<JsonObject>? claims = null, Action<JsonObject>? header = null)
    {
        var h = EcHeader();
        header?.Invoke(h);
        var c = DefaultClaims();
        claims?.Invoke(c);
        return SignEs256(h.ToJsonString(), c.ToJsonString());
    }

    /// <summary>A client_credentials token: client_id, no sub, no roles.</summary>
    public string IssueServiceToken(string clientId = "mitreden-voting") => Issue(c =>
    {
        c.Remove("sub");
        c.Remove("roles");
        c.Remove("name");
        c.Remove("verification");
        c["client_id"] = clientId;
    });

    /// <summary>Signs raw header and payload JSON (any text, also invalid JSON) with the RSA key, RS256.</summary>
    public string SignRs256(string headerJson, string payloadJson) =>
        Sign(headerJson, payloadJson, input => Rsa.SignData(input, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

    /// <summary>Signs raw header and payload JSON with the EC key, ES256 (IEEE P1363 r||s).</summary>
    public string SignEs256(string headerJson, string payloadJson) =>
        Sign(headerJson, payloadJson, input => Ec.SignData(input, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));

    /// <summary>HS256 with any secret (e.g. the RSA public key bytes: the classic key-confusion attack).</summary>
    public static string SignHs256(string headerJson, string payloadJson, byte[] secret) =>
        Sign(headerJson, payloadJson, input => HMACSHA256.HashData(secret, input));

    /// <summary>alg none style: header.payload. (empty signature), or with a junk signature.</summary>
    public static string Unsigned(string headerJson, string payloadJson, string signature = "") =>
        B64(Encoding.UTF8.GetBytes(headerJson)) + "." + B64(Encoding.UTF8.GetBytes(payloadJson)) + "." + signature;

    public static string Sign(string headerJson, string payloadJson, Func<byte[], byte[]> signer)
    {
        var input = B64(Encoding.UTF8.GetBytes(headerJson)) + "." + B64(Encoding.UTF8.GetBytes(payloadJson));
        return input + "." + B64(signer(Encoding.ASCII.GetBytes(input)));
    }

    public static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string B64(string text) => B64(Encoding.UTF8.GetBytes(text));

    public static byte[] FromB64(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '='));
    }

    public static string Json(object value) => JsonSerializer.Serialize(value);

    public void Dispose()
    {
        Rsa.Dispose();
        Ec.Dispose();
    }
}
