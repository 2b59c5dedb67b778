using System.Diagnostics.CodeAnalysis;
using System.Security.Claims;

namespace Mitreden.ServiceDefaults.Auth;

public enum TokenFailureReason
{
    None = 0,
    Malformed,
    TooLarge,
    UnsupportedAlgorithm,
    UnsupportedHeader,
    InvalidType,
    MissingKeyId,
    UnknownKey,
    AlgorithmMismatch,
    InvalidSignature,
    InvalidIssuer,
    InvalidAudience,
    MissingExpiration,
    Expired,
    NotYetValid,
    InvalidClaim,
}

/// <summary>Result of <see cref="JwtValidator"/>: a principal, or a failure reason with a message safe to show a client.</summary>
public sealed class TokenValidationOutcome
{
    private TokenValidationOutcome(ClaimsPrincipal? principal, TokenFailureReason failure, string message, DateTimeOffset? expiresAt, bool fromCache)
    {
        Principal = principal;
        Failure = failure;
        Message = message;
        ExpiresAt = expiresAt;
        FromCache = fromCache;
    }

    [MemberNotNullWhen(true, nameof(Principal))]
    [MemberNotNullWhen(true, nameof(ExpiresAt))]
    public bool Succeeded => Failure == TokenFailureReason.None;

    public ClaimsPrincipal? Principal { get; }

    public TokenFailureReason Failure { get; }

    /// <summary>A fixed, client-safe description (never echoes token content).</summary>
    public string Message { get; }

    /// <summary>The token's "exp" (successful outcomes only).</summary>
    public DateTimeOffset? ExpiresAt { get; }

    /// <summary>True when the result came from the validated-token cache.</summary>
    public bool FromCache { get; }

    public static TokenValidationOutcome Success(ClaimsPrincipal principal, DateTimeOffset expiresAt, bool fromCache = false)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return new(principal, TokenFailureReason.None, "The token is valid.", expiresAt, fromCache);
    }

    public static TokenValidationOutcome Fail(TokenFailureReason reason, string message)
    {
        if (reason == TokenFailureReason.None)
        {
            throw new ArgumentOutOfRangeException(nameof(reason), "A failure needs a reason.");
        }

        return new(null, reason, message, null, false);
    }

    public override string ToString() => Succeeded ? "Success" : $"{Failure}: {Message}";
}
