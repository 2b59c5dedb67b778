using System.Security.Claims;

namespace Mitreden.ServiceDefaults.Auth;

/// <summary>Typed access to the claims of a validated Mitreden principal.</summary>
public static class UserClaims
{
    /// <summary>The user id (GUID in "sub"). Throws if the principal is not a user (use on user-only endpoints).</summary>
    public static Guid UserId(this ClaimsPrincipal user) =>
        user.TryGetUserId(out var id)
            ? id
            : throw new InvalidOperationException("The principal has no user id ('sub' is missing or not a GUID).");

    public static bool TryGetUserId(this ClaimsPrincipal user, out Guid userId)
    {
        ArgumentNullException.ThrowIfNull(user);
        var sub = user.FindFirst(MitredenClaimTypes.Subject)?.Value ?? user.FindFirst(ClaimTypes.NameIdentifier)?.Value;
        return Guid.TryParse(sub, out userId) && userId != Guid.Empty;
    }

    public static bool IsInRoleAny(this ClaimsPrincipal user, params string[] roles)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(roles);
        foreach (var role in roles)
        {
            if (user.IsInRole(role))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>"none", "email" or "resident"; "none" when the claim is absent.</summary>
    public static string Verification(this ClaimsPrincipal user) =>
        user.FindFirst(MitredenClaimTypes.Verification)?.Value ?? "none";

    /// <summary>
    /// True when the account has confirmed its email address: verification "email", or "resident" (residency is
    /// verified on top of an account; a letter code proves more than a mail link). Voting-code holders ("code") have no address.
    /// </summary>
    public static bool EmailConfirmed(this ClaimsPrincipal user) => user.Verification() is "email" or "resident";

    public static string? District(this ClaimsPrincipal user) => user.FindFirst(MitredenClaimTypes.District)?.Value;

    public static string? DisplayName(this ClaimsPrincipal user) => user.FindFirst(MitredenClaimTypes.Name)?.Value;

    public static string? VotingGroup(this ClaimsPrincipal user) => user.FindFirst(MitredenClaimTypes.VotingGroup)?.Value;

    /// <summary>When the caller's account is blocked from posting, the end of the block; otherwise null.</summary>
    public static DateTimeOffset? BlockedUntil(this ClaimsPrincipal user, DateTimeOffset now)
    {
        var value = user.FindFirst(MitredenClaimTypes.BlockedUntil)?.Value;
        if (value is null || !long.TryParse(value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var seconds))
        {
            return null;
        }
        var until = DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(seconds, 0, 253_402_300_799));
        return until > now ? until : null;
    }

    /// <summary>When the caller's token was issued, if it says so.</summary>
    public static DateTimeOffset? IssuedAt(this ClaimsPrincipal user) =>
        long.TryParse(user.FindFirst(MitredenClaimTypes.IssuedAt)?.Value, System.Globalization.NumberStyles.Integer,
            System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(seconds, 0, 253_402_300_799))
            : null;

    public static string? ClientId(this ClaimsPrincipal user) => user.FindFirst(MitredenClaimTypes.ClientId)?.Value;

    /// <summary>A client_credentials token: has client_id and no sub, or carries the "service" role.</summary>
    public static bool IsServiceClient(this ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true
        && ((user.HasClaim(c => c.Type == MitredenClaimTypes.ClientId) && !user.HasClaim(c => c.Type == MitredenClaimTypes.Subject))
            || user.IsInRole(MitredenRoles.Service));
}
