using System.Globalization;
using System.Security.Claims;
using Mitreden.ServiceDefaults.Auth;

namespace Mitreden.ServiceDefaults.Accounts;

/// <summary>What a service heard from Identity about one account (UserDeleted, UserBlocked, UserUnblocked).</summary>
/// <param name="BlockAsOf">Time of the last block or unblock applied; older events are ignored.</param>
public sealed record AccountState(DateTimeOffset? DeletedAt, DateTimeOffset? BlockedUntil, DateTimeOffset? BlockAsOf);

/// <summary>Why an account may not act now: deleted, or blocked until <see cref="BlockedUntil"/>.</summary>
public sealed record AccountRefusal(bool Deleted, DateTimeOffset? BlockedUntil);

/// <summary>The one rule for refusing a caller whose token is still valid.</summary>
public static class AccountStanding
{
    /// <summary>
    /// A deleted account may do nothing, even while its last token is valid. An account is blocked while the last
    /// block event says so, or while its token carries blocked_until, unless an unblock was heard of after the token
    /// was issued (the unblock beats the claim in an older token).
    /// </summary>
    public static AccountRefusal? Evaluate(AccountState? state, ClaimsPrincipal user, DateTimeOffset now)
    {
        if (state?.DeletedAt is not null)
        {
            return new AccountRefusal(true, null);
        }
        DateTimeOffset? until = state?.BlockedUntil is { } b && b > now ? b : null;
        if (user.BlockedUntil(now) is { } claimed && (until is null || claimed > until)
            && !(state is { BlockedUntil: null, BlockAsOf: { } unblockedAt } && user.IssuedAt() is { } iat && unblockedAt > iat))
        {
            until = claimed;
        }
        return until is { } end ? new AccountRefusal(false, end) : null;
    }
}
