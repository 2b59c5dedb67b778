using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;

namespace Mitreden.ServiceDefaults.Auth;

/// <summary>The only JWS algorithms this platform accepts. There is deliberately no HMAC and no "none".</summary>
public static class JwtAlgorithms
{
    public const string RS256 = "RS256";
    public const string ES256 = "ES256";
}

/// <summary>
/// A public signing key from a JWKS (RFC 7517). Each key is pinned to exactly one algorithm:
/// RSA keys to RS256, EC P-256 keys to ES256. Immutable and safe for concurrent use.
/// </summary>
public sealed class JsonWebKey
{
    public const int MinRsaKeySizeBits = 2048;
    public const int MaxRsaKeySizeBits = 8192;
    private const int MaxPooledInstances = 32;
    private const int MaxKeyIdLength = 256;

    private readonly RSAParameters _rsaParameters;
    private readonly ECParameters _ecParameters;
    // RSA/ECDsa instances are not documented as thread-safe: keep a small pool, one instance per concurrent verify.
    private readonly ConcurrentBag<AsymmetricAlgorithm> _pool = [];

    private JsonWebKey(string keyId, string keyType, string algorithm, int signatureLength, RSAParameters rsa, ECParameters ec, AsymmetricAlgorithm first)
    {
        KeyId = keyId;
        KeyType = keyType;
        Algorithm = algorithm;
        SignatureLength = signatureLength;
        _rsaParameters = rsa;
        _ecParameters = ec;
        _pool.Add(first);
    }

    /// <summary>The "kid" of the key.</summary>
    public string KeyId { get; }

    /// <summary>"RSA" or "EC".</summary>
    public string KeyType { get; }

    /// <summary>The pinned algorithm: <see cref="JwtAlgorithms.RS256"/> or <see cref="JwtAlgorithms.ES256"/>.</summary>
    public string Algorithm { get; }

    /// <summary>Exact length in bytes of a valid signature made with this key.</summary>
    public int SignatureLength { get; }

    /// <summary>Creates an RS256 key from the public part of <paramref name="rsa"/>.</summary>
    public static JsonWebKey FromRsa(RSA rsa, string keyId)
    {
        ArgumentNullException.ThrowIfNull(rsa);
        return TryCreateRsa(keyId, rsa.ExportParameters(false), out var key, out var error)
            ? key
            : throw new ArgumentException(error, nameof(rsa));
    }

    /// <summary>Creates an ES256 key from the public part of a P-256 <paramref name="ecdsa"/>.</summary>
    public static JsonWebKey FromECDsa(ECDsa ecdsa, string keyId)
    {
        ArgumentNullException.ThrowIfNull(ecdsa);
        var p = ecdsa.ExportParameters(false);
        return TryCreateEc(keyId, p.Q.X ?? [], p.Q.Y ?? [], out var key, out var error)
            ? key
            : throw new ArgumentException(error, nameof(ecdsa));
    }

    /// <summary>Verifies <paramref name="signature"/> over <paramref name="data"/> with the pinned algorithm. Never throws.</summary>
    public bool VerifySignature(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != SignatureLength)
        {
            return false;
        }

        AsymmetricAlgorithm instance;
        try
        {
            instance = Rent();
        }
        catch (CryptographicException)
        {
            return false;
        }

        bool healthy = true;
        try
        {
            return instance switch
            {
                RSA rsa => rsa.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
                ECDsa ec => ec.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
                _ => false,
            };
        }
        catch (CryptographicException)
        {
            healthy = false;
            return false;
        }
        finally
        {
            if (healthy && _pool.Count < MaxPooledInstances)
            {
                _pool.Add(instance);
            }
            else
            {
                instance.Dispose();
            }
        }
    }

    /// <summary>Writes the public JWK JSON object (kty, use, alg, kid and n/e or crv/x/y).</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("kty", KeyType);
        writer.WriteString("use", "sig");
        writer.WriteString("alg", Algorithm);
        writer.WriteString("kid", KeyId);
        if (KeyType == "RSA")
        {
            writer.WriteString("n", Base64UrlStrict.Encode(_rsaParameters.Modulus));
            writer.WriteString("e", Base64UrlStrict.Encode(_rsaParameters.Exponent));
        }
        else
        {
            writer.WriteString("crv", "P-256");
            writer.WriteString("x", Base64UrlStrict.Encode(_ecParameters.Q.X));
            writer.WriteString("y", Base64UrlStrict.Encode(_ecParameters.Q.Y));
        }

        writer.WriteEndObject();
    }

    /// <summary>Reads one JWK object. Returns false (with a reason) for anything unusable; never throws.</summary>
    internal static bool TryRead(JsonElement element, out JsonWebKey key, out string error)
    {
        key = null!;
        if (element.ValueKind != JsonValueKind.Object)
        {
            error = "a key is not a JSON object";
            return false;
        }

        if (!TryGetString(element, "kty", out var kty, required: true))
        {
            error = "kty missing";
            return false;
        }

        if (!TryGetString(element, "kid", out var kid, required: true))
        {
            error = "kid missing";
            return false;
        }

        if (!TryGetString(element, "use", out var use, required: false) || (use is not null && use != "sig"))
        {
            error = $"key '{kid}' is not a signature key";
            return false;
        }

        if (element.TryGetProperty("key_ops", out var ops) && !ContainsString(ops, "verify"))
        {
            error = $"key '{kid}' key_ops does not allow verify";
            return false;
        }

        if (!TryGetString(element, "alg", out var alg, required: false))
        {
            error = $"key '{kid}' alg is not a string";
            return false;
        }

        switch (kty)
        {
            case "RSA":
                if (alg is not null && alg != JwtAlgorithms.RS256)
                {
                    error = $"key '{kid}' algorithm '{alg}' is not supported";
                    return false;
                }

                if (!TryGetBytes(element, "n", out var n) || !TryGetBytes(element, "e", out var e))
                {
                    error = $"key '{kid}' n/e missing or not base64url";
                    return false;
                }

                return TryCreateRsa(kid!, new RSAParameters { Modulus = n, Exponent = e }, out key, out error);

            case "EC":
                if (!TryGetString(element, "crv", out var crv, required: true) || crv != "P-256")
                {
                    error = $"key '{kid}' curve is not P-256";
                    return false;
                }

                if (alg is not null && alg != JwtAlgorithms.ES256)
                {
                    error = $"key '{kid}' algorithm '{alg}' is not supported";
                    return false;
                }

                if (!TryGetBytes(element, "x", out var x) || !TryGetBytes(element, "y", out var y))
                {
                    error = $"key '{kid}' x/y missing or not base64url";
                    return false;
                }

                return TryCreateEc(kid!, x, y, out key, out error);

            default:
                error = $"key '{kid}' type '{kty}' is not supported";
                return false;
        }
    }

    private static bool TryCreateRsa(string keyId, RSAParameters parameters, out JsonWebKey key, out string error)
    {
        key = null!;
        if (!IsValidKeyId(keyId, out error))
        {
            return false;
        }

        var modulus = TrimLeadingZeros(parameters.Modulus);
        var exponent = TrimLeadingZeros(parameters.Exponent);
        int modulusBits = modulus.Length == 0 ? 0 : ((modulus.Length - 1) * 8) + (32 - System.Numerics.BitOperations.LeadingZeroCount((uint)modulus[0]));
        if (modulusBits < MinRsaKeySizeBits || modulusBits > MaxRsaKeySizeBits)
        {
            error = $"key '{keyId}' RSA modulus must be {MinRsaKeySizeBits}..{MaxRsaKeySizeBits} bits";
            return false;
        }

        if (exponent.Length is 0 or > 8 || (exponent[^1] & 1) == 0 || (exponent.Length == 1 && exponent[0] < 3))
        {
            error = $"key '{keyId}' RSA exponent is invalid";
            return false;
        }

        var publicParameters = new RSAParameters { Modulus = modulus, Exponent = exponent };
        try
        {
            var rsa = RSA.Create(publicParameters);
            key = new JsonWebKey(keyId, "RSA", JwtAlgorithms.RS256, modulus.Length, publicParameters, default, rsa);
            error = string.Empty;
            return true;
        }
        catch (CryptographicException)
        {
            error = $"key '{keyId}' RSA parameters were rejected";
            return false;
        }
    }

    private static bool TryCreateEc(string keyId, byte[] x, byte[] y, out JsonWebKey key, out string error)
    {
        key = null!;
        if (!IsValidKeyId(keyId, out error))
        {
            return false;
        }

        if (x.Length != 32 || y.Length != 32)
        {
            error = $"key '{keyId}' P-256 coordinates must be 32 bytes";
            return false;
        }

        var parameters = new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = x, Y = y } };
        try
        {
            // Import validates that the point lies on the curve.
            var ec = ECDsa.Create(parameters);
            key = new JsonWebKey(keyId, "EC", JwtAlgorithms.ES256, 64, default, parameters, ec);
            error = string.Empty;
            return true;
        }
        catch (CryptographicException)
        {
            error = $"key '{keyId}' is not a valid P-256 point";
            return false;
        }
    }

    private AsymmetricAlgorithm Rent()
    {
        if (_pool.TryTake(out var instance))
        {
            return instance;
        }

        return KeyType == "RSA" ? RSA.Create(_rsaParameters) : ECDsa.Create(_ecParameters);
    }

    private static bool IsValidKeyId(string keyId, out string error)
    {
        if (string.IsNullOrEmpty(keyId) || keyId.Length > MaxKeyIdLength)
        {
            error = "kid must be 1..256 characters";
            return false;
        }

        error = string.Empty;
        return true;
    }

    private static byte[] TrimLeadingZeros(byte[]? value)
    {
        if (value is null)
        {
            return [];
        }

        int i = 0;
        while (i < value.Length - 1 && value[i] == 0)
        {
            i++;
        }

        return i == 0 ? value : value[i..];
    }

    private static bool TryGetString(JsonElement obj, string name, out string? value, bool required)
    {
        value = null;
        if (!obj.TryGetProperty(name, out var property))
        {
            return !required;
        }

        if (property.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        value = property.GetString();
        return !string.IsNullOrEmpty(value);
    }

    private static bool TryGetBytes(JsonElement obj, string name, out byte[] bytes)
    {
        bytes = [];
        return obj.TryGetProperty(name, out var property)
            && property.ValueKind == JsonValueKind.String
            && Base64UrlStrict.TryDecode(property.GetString(), out bytes)
            && bytes.Length > 0;
    }

    private static bool ContainsString(JsonElement array, string value)
    {
        if (array.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String && item.ValueEquals(value))
            {
                return true;
            }
        }

        return false;
    }
}
