using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace Mitreden.Identity.Api.Features.Keys;

/// <summary>
/// The public signing keys Identity publishes (JWKS) and validates its own tokens with. RS256 only: kty, use, alg,
/// kid, n, e (RFC 7517/7518), written here; validation itself is Microsoft.IdentityModel's.
/// </summary>
public sealed class SigningKeySet
{
    public static readonly SigningKeySet Empty = new([]);

    private readonly Dictionary<string, RsaSecurityKey> _byKid;

    public SigningKeySet(IEnumerable<(string Kid, RSAParameters PublicKey)> keys)
    {
        Keys = keys.Select(k => new RsaSecurityKey(new RSAParameters { Modulus = k.PublicKey.Modulus, Exponent = k.PublicKey.Exponent }) { KeyId = k.Kid })
            .ToList();
        _byKid = Keys.ToDictionary(k => k.KeyId, StringComparer.Ordinal);
    }

    public IReadOnlyList<RsaSecurityKey> Keys { get; }

    public RsaSecurityKey? Find(string? kid) => kid is not null && _byKid.TryGetValue(kid, out var key) ? key : null;

    public string ToJson() => JsonSerializer.Serialize(new
    {
        keys = Keys.Select(k => new
        {
            kty = "RSA",
            use = "sig",
            alg = SecurityAlgorithms.RsaSha256,
            kid = k.KeyId,
            n = Base64UrlEncoder.Encode(k.Parameters.Modulus),
            e = Base64UrlEncoder.Encode(k.Parameters.Exponent),
        }),
    });
}
