using Microsoft.AspNetCore.Identity;
using Mitreden.Identity.Api.Data;
using Mitreden.Identity.Api.Features.Abuse;

namespace Mitreden.Identity.Api.Accounts;

/// <summary>
/// The one password check of every sign-in (Identity's sign-in page, and the test client's password grant): the limits
/// and lockout of <see cref="AttemptGuard"/> first, then the password, with a decoy hash for unknown addresses so an
/// unknown address costs as much time as a wrong password and no answer tells whether an account exists.
/// </summary>
public sealed class PasswordCheck(UserManager<MitredenUser> users, AttemptGuard guard)
{
    // Verified for unknown emails, so an unknown address costs as much time as a wrong password.
    private static readonly Lazy<string> DecoyHash = new(() => new PasswordHasher<MitredenUser>().HashPassword(null!, Guid.NewGuid().ToString()));

    /// <summary>Longest email address looked up; longer ones are wrong credentials (after the decoy hash).</summary>
    public const int MaxEmailLength = 256;

    /// <summary>The account, or why not: <see cref="Outcome.RetryAfter"/> set when a limit refuses any attempt now.</summary>
    public readonly record struct Outcome(MitredenUser? User, TimeSpan? RetryAfter);

    public async Task<Outcome> CheckAsync(HttpContext http, string email, string password)
    {
        email = email.Trim();
        if (await guard.SignInRefusedAsync(http, email) is { } wait)
        {
            return new Outcome(null, wait);
        }
        var user = email.Length <= MaxEmailLength ? await users.FindByEmailAsync(email) : null;
        if (user is null)
        {
            users.PasswordHasher.VerifyHashedPassword(null!, DecoyHash.Value, password);
            await guard.SignInFailedAsync(http, email);
            return new Outcome(null, null);
        }
        if (!await users.CheckPasswordAsync(user, password))
        {
            await guard.SignInFailedAsync(http, email);
            return new Outcome(null, null);
        }
        await guard.SignInSucceededAsync(http, email);
        return new Outcome(user, null);
    }
}
