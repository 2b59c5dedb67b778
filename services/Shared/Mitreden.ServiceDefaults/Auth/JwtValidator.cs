using System.Buffers;
using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Json;

namespace Mitreden.ServiceDefaults.Auth;

/// <summary>What a token must match. Issuer and audience are compared exactly (ordinal).</summary>
public sealed class JwtValidationParameters
{
    public const int DefaultMaxTokenLength = 8 * 1024;

    public required string Issuer { get; init; }

    public required string Audience { get; init; }

    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Longer tokens are refused before any decoding.</summary>
    public int MaxTokenLength { get; init; } = DefaultMaxTokenLength;
}

/// <summary>
/// A small, strict JWS (compact serialization) validator for RS256 and ES256 access tokens.
/// It never throws on token input: every problem is a <see cref="TokenValidationOutcome"/> failure.
/// Order: size → cache → structure → header (alg, kid, typ, crit) → key by kid → alg equals the key's pinned alg →
/// signature → payload (iss, aud, exp, nbf, claim types). The payload is not looked at before the signature verifies.
/// </summary>
public sealed class JwtValidator
{
    public const string AuthenticationType = "Bearer";
    public const string NameClaimType = MitredenClaimTypes.Name;
    public const string RoleClaimType = ClaimTypes.Role;

    private const int MaxKeyIdLength = 256;

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        MaxDepth = 16,
        AllowDuplicateProperties = false,
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
    };

    private static readonly string[] OptionalStringClaims =
    [
        MitredenClaimTypes.Verification,
        MitredenClaimTypes.District,
        MitredenClaimTypes.Name,
        MitredenClaimTypes.ClientId,
        MitredenClaimTypes.TokenId,
        MitredenClaimTypes.VotingGroup,
    ];

    private readonly JwtValidationParameters _parameters;
    private readonly ISigningKeySource _keys;
    private readonly ValidatedTokenCache? _cache;

    public JwtValidator(JwtValidationParameters parameters, ISigningKeySource keySource, ValidatedTokenCache? cache = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(keySource);
        ArgumentException.ThrowIfNullOrWhiteSpace(parameters.Issuer, nameof(parameters));
        ArgumentException.ThrowIfNullOrWhiteSpace(parameters.Audience, nameof(parameters));
        ArgumentOutOfRangeException.ThrowIfLessThan(parameters.ClockSkew, TimeSpan.Zero, nameof(parameters));
        _parameters = parameters;
        _keys = keySource;
        _cache = cache;
    }

    public JwtValidationParameters Parameters => _parameters;

    /// <summary>Validates with the keys currently held by the key source (no refresh on an unknown kid).</summary>
    public TokenValidationOutcome Validate(string token, DateTimeOffset now)
    {
        try
        {
            if (Prepare(token, now, out var header) is { } early)
            {
                return early;
            }

            return Complete(header, _keys.FindKey(header.KeyId), now);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return Unprocessable();
        }
    }

    /// <summary>Like <see cref="Validate"/>, but an unknown kid lets the key source refresh (rate-limited) first.</summary>
    public async ValueTask<TokenValidationOutcome> ValidateAsync(string token, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ParsedHeader header;
        try
        {
            if (Prepare(token, now, out header) is { } early)
            {
                return early;
            }

            if (_keys.FindKey(header.KeyId) is { } known)
            {
                return Complete(header, known, now);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return Unprocessable();
        }

        JsonWebKey? key;
        try
        {
            key = await _keys.FindKeyAsync(header.KeyId, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            key = null;
        }

        try
        {
            return Complete(header, key, now);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return Unprocessable();
        }
    }

    internal static ClaimsPrincipal CreatePrincipal(IEnumerable<Claim> claims) =>
        new(new ClaimsIdentity(claims, AuthenticationType, NameClaimType, RoleClaimType));

    private static TokenValidationOutcome Unprocessable() =>
        TokenValidationOutcome.Fail(TokenFailureReason.Malformed, "The token could not be processed.");

    private static TokenValidationOutcome Malformed(string message) =>
        TokenValidationOutcome.Fail(TokenFailureReason.Malformed, message);

    /// <summary>Checks size, cache, structure and header. Returns an outcome when done early (failure or cache hit).</summary>
    private TokenValidationOutcome? Prepare(string token, DateTimeOffset now, out ParsedHeader header)
    {
        header = default;
        if (string.IsNullOrEmpty(token))
        {
            return Malformed("The token is empty.");
        }

        if (token.Length > _parameters.MaxTokenLength)
        {
            return TokenValidationOutcome.Fail(TokenFailureReason.TooLarge, "The token is too large.");
        }

        ValidatedTokenCache.TokenHash hash = default;
        if (_cache is not null)
        {
            hash = ValidatedTokenCache.Hash(token);
            if (_cache.TryGet(hash, now, out var entry))
            {
                return TokenValidationOutcome.Success(CreatePrincipal(entry.Claims), entry.ExpiresAt, fromCache: true);
            }
        }

        int firstDot = token.IndexOf('.');
        int secondDot = firstDot < 0 ? -1 : token.IndexOf('.', firstDot + 1);
        if (firstDot <= 0 || secondDot < 0 || secondDot == firstDot + 1 || secondDot == token.Length - 1
            || token.IndexOf('.', secondDot + 1) >= 0)
        {
            return Malformed("The token must have three non-empty parts.");
        }

        var headerPart = token.AsSpan(0, firstDot);
        var payloadPart = token.AsSpan(firstDot + 1, secondDot - firstDot - 1);
        var signaturePart = token.AsSpan(secondDot + 1);
        if (!Base64UrlStrict.IsValid(payloadPart) || !Base64UrlStrict.IsValid(signaturePart)
            || !Base64UrlStrict.TryDecode(headerPart, out var headerBytes))
        {
            return Malformed("The token is not valid base64url.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(headerBytes, DocumentOptions);
        }
        catch (JsonException)
        {
            return Malformed("The token header is not valid JSON.");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Malformed("The token header is not a JSON object.");
            }

            if (!root.TryGetProperty("alg", out var alg) || alg.ValueKind != JsonValueKind.String
                || !(alg.ValueEquals(JwtAlgorithms.RS256) || alg.ValueEquals(JwtAlgorithms.ES256)))
            {
                return TokenValidationOutcome.Fail(TokenFailureReason.UnsupportedAlgorithm, "The token algorithm is not allowed.");
            }

            if (root.TryGetProperty("crit", out _) || root.TryGetProperty("cty", out _) || root.TryGetProperty("b64", out _))
            {
                return TokenValidationOutcome.Fail(TokenFailureReason.UnsupportedHeader, "The token uses unsupported header parameters.");
            }

            if (root.TryGetProperty("typ", out var typ)
                && (typ.ValueKind != JsonValueKind.String
                    || !(string.Equals(typ.GetString(), "JWT", StringComparison.OrdinalIgnoreCase)
                         || string.Equals(typ.GetString(), "at+jwt", StringComparison.OrdinalIgnoreCase))))
            {
                return TokenValidationOutcome.Fail(TokenFailureReason.InvalidType, "The token type is not allowed.");
            }

            if (!root.TryGetProperty("kid", out var kid) || kid.ValueKind != JsonValueKind.String
                || kid.GetString() is not { Length: > 0 and <= MaxKeyIdLength } keyId)
            {
                return TokenValidationOutcome.Fail(TokenFailureReason.MissingKeyId, "The token has no key id.");
            }

            header = new ParsedHeader(token, firstDot, secondDot, alg.GetString()!, keyId, hash);
            return null;
        }
    }

    private TokenValidationOutcome Complete(in ParsedHeader header, JsonWebKey? key, DateTimeOffset now)
    {
        if (key is null)
        {
            return TokenValidationOutcome.Fail(TokenFailureReason.UnknownKey, "The token signing key is unknown.");
        }

        if (!string.Equals(key.Algorithm, header.Algorithm, StringComparison.Ordinal))
        {
            return TokenValidationOutcome.Fail(TokenFailureReason.AlgorithmMismatch, "The token algorithm does not match its key.");
        }

        if (!VerifySignature(header, key))
        {
            return TokenValidationOutcome.Fail(TokenFailureReason.InvalidSignature, "The token signature is invalid.");
        }

        var token = header.Token;
        if (!Base64UrlStrict.TryDecode(token.AsSpan(header.FirstDot + 1, header.SecondDot - header.FirstDot - 1), out var payloadBytes))
        {
            return Malformed("The token payload is not valid base64url.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(payloadBytes, DocumentOptions);
        }
        catch (JsonException)
        {
            return Malformed("The token payload is not valid JSON.");
        }

        using (document)
        {
            var payload = document.RootElement;
            if (payload.ValueKind != JsonValueKind.Object)
            {
                return Malformed("The token payload is not a JSON object.");
            }

            if (CheckPayload(payload, now, out var expiresAt, out var claims) is { } failure)
            {
                return failure;
            }

            var claimArray = claims.ToArray();
            if (_cache is not null)
            {
                _cache.Add(header.Hash, claimArray, expiresAt, now);
            }

            return TokenValidationOutcome.Success(CreatePrincipal(claimArray), expiresAt);
        }
    }

    private static bool VerifySignature(in ParsedHeader header, JsonWebKey key)
    {
        var token = header.Token;
        if (!Base64UrlStrict.TryDecode(token.AsSpan(header.SecondDot + 1), out var signature))
        {
            return false;
        }

        // The signing input is ASCII (base64url was checked), so one byte per char.
        int length = header.SecondDot;
        byte[] rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            int written = Encoding.ASCII.GetBytes(token.AsSpan(0, length), rented);
            return key.VerifySignature(rented.AsSpan(0, written), signature);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private TokenValidationOutcome? CheckPayload(JsonElement payload, DateTimeOffset now, out DateTimeOffset expiresAt, out List<Claim> claims)
    {
        expiresAt = default;
        claims = [];
        double nowSeconds = now.ToUnixTimeMilliseconds() / 1000.0;
        double skew = _parameters.ClockSkew.TotalSeconds;

        if (!payload.TryGetProperty("iss", out var iss) || iss.ValueKind != JsonValueKind.String || !iss.ValueEquals(_parameters.Issuer))
        {
            return TokenValidationOutcome.Fail(TokenFailureReason.InvalidIssuer, "The token issuer is not accepted.");
        }

        if (!payload.TryGetProperty("aud", out var aud) || !AudienceMatches(aud, _parameters.Audience))
        {
            return TokenValidationOutcome.Fail(TokenFailureReason.InvalidAudience, "The token audience is not accepted.");
        }

        if (!payload.TryGetProperty("exp", out var expElement))
        {
            return TokenValidationOutcome.Fail(TokenFailureReason.MissingExpiration, "The token has no expiry.");
        }

        if (!TryGetNumericDate(expElement, out double exp))
        {
            return TokenValidationOutcome.Fail(TokenFailureReason.InvalidClaim, "The token claim 'exp' is not a number.");
        }

        if (!(nowSeconds < exp + skew))
        {
            return TokenValidationOutcome.Fail(TokenFailureReason.Expired, "The token has expired.");
        }

        if (payload.TryGetProperty("nbf", out var nbfElement))
        {
            if (!TryGetNumericDate(nbfElement, out double nbf))
            {
                return TokenValidationOutcome.Fail(TokenFailureReason.InvalidClaim, "The token claim 'nbf' is not a number.");
            }

            if (!(nowSeconds >= nbf - skew))
            {
                return TokenValidationOutcome.Fail(TokenFailureReason.NotYetValid, "The token is not valid yet.");
            }
        }

        double? issuedAt = null;
        if (payload.TryGetProperty("iat", out var iat))
        {
            if (!TryGetNumericDate(iat, out var iatSeconds))
            {
                return TokenValidationOutcome.Fail(TokenFailureReason.InvalidClaim, "The token claim 'iat' is not a number.");
            }
            issuedAt = iatSeconds;
        }

        var issuer = _parameters.Issuer;
        if (!TryGetOptionalString(payload, MitredenClaimTypes.Subject, out var sub))
        {
            return InvalidClaim(MitredenClaimTypes.Subject);
        }

        if (sub is not null)
        {
            claims.Add(new Claim(ClaimTypes.NameIdentifier, sub, ClaimValueTypes.String, issuer));
            claims.Add(new Claim(MitredenClaimTypes.Subject, sub, ClaimValueTypes.String, issuer));
        }

        if (payload.TryGetProperty(MitredenClaimTypes.Roles, out var roles))
        {
            switch (roles.ValueKind)
            {
                case JsonValueKind.String:
                    AddRole(claims, roles.GetString()!, issuer);
                    break;
                case JsonValueKind.Array:
                    foreach (var role in roles.EnumerateArray())
                    {
                        if (role.ValueKind != JsonValueKind.String)
                        {
                            return InvalidClaim(MitredenClaimTypes.Roles);
                        }

                        AddRole(claims, role.GetString()!, issuer);
                    }

                    break;
                case JsonValueKind.Null:
                    break;
                default:
                    return InvalidClaim(MitredenClaimTypes.Roles);
            }
        }

        foreach (var name in OptionalStringClaims)
        {
            if (!TryGetOptionalString(payload, name, out var value))
            {
                return InvalidClaim(name);
            }

            if (value is not null)
            {
                claims.Add(new Claim(name, value, ClaimValueTypes.String, issuer));
            }
        }

        if (issuedAt is { } issued)
        {
            claims.Add(new Claim(MitredenClaimTypes.IssuedAt, ((long)issued).ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer64, issuer));
        }

        if (payload.TryGetProperty(MitredenClaimTypes.BlockedUntil, out var blockedUntil) && blockedUntil.ValueKind != JsonValueKind.Null)
        {
            if (!TryGetNumericDate(blockedUntil, out var until))
            {
                return InvalidClaim(MitredenClaimTypes.BlockedUntil);
            }
            claims.Add(new Claim(MitredenClaimTypes.BlockedUntil, ((long)until).ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer64, issuer));
        }

        // Clamp far-future expiries to what DateTimeOffset can hold.
        const double maxSeconds = 253_402_300_799; // 9999-12-31T23:59:59Z
        expiresAt = exp >= maxSeconds
            ? DateTimeOffset.MaxValue
            : DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Max(exp * 1000, 0));
        return null;
    }

    private static TokenValidationOutcome InvalidClaim(string name) =>
        TokenValidationOutcome.Fail(TokenFailureReason.InvalidClaim, string.Create(CultureInfo.InvariantCulture, $"The token claim '{name}' has the wrong type."));

    private static void AddRole(List<Claim> claims, string role, string issuer)
    {
        if (role.Length > 0)
        {
            claims.Add(new Claim(ClaimTypes.Role, role, ClaimValueTypes.String, issuer));
        }
    }

    private static bool AudienceMatches(JsonElement aud, string audience)
    {
        switch (aud.ValueKind)
        {
            case JsonValueKind.String:
                return aud.ValueEquals(audience);
            case JsonValueKind.Array:
                bool found = false;
                foreach (var item in aud.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.String)
                    {
                        return false; // strict: a malformed audience list is rejected as a whole
                    }

                    found |= item.ValueEquals(audience);
                }

                return found;
            default:
                return false;
        }
    }

    private static bool TryGetNumericDate(JsonElement element, out double value)
    {
        value = 0;
        return element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out value) && double.IsFinite(value);
    }

    /// <summary>Absent or null → (true, null); a non-empty string → (true, value); anything else → false.</summary>
    private static bool TryGetOptionalString(JsonElement payload, string name, out string? value)
    {
        value = null;
        if (!payload.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        value = element.GetString();
        if (string.IsNullOrEmpty(value))
        {
            value = null;
            return name != MitredenClaimTypes.Subject; // an empty sub is never acceptable
        }

        return true;
    }

    private readonly record struct ParsedHeader(
        string Token, int FirstDot, int SecondDot, string Algorithm, string KeyId, ValidatedTokenCache.TokenHash Hash);
}
