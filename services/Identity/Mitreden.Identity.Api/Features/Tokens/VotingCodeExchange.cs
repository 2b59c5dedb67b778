using Microsoft.EntityFrameworkCore;
using Mitreden.Identity.Api.Data;
using Mitreden.Identity.Api.Features.Abuse;
using Mitreden.Identity.Api.Features.Codes;

namespace Mitreden.Identity.Api.Features.Tokens;

/// <summary>
/// A voting code exchanged for a code voter's claims: by the urn:mitreden:voting-code grant (<see cref="TokenApi"/>) and
/// by Identity's voting-code page, so both count wrong codes against the same limit.
/// </summary>
public static class VotingCodeExchange
{
    public const string RateLimitBucket = "voting-code-failures";

    public readonly record struct Result(TokenClaims? Claims, TimeSpan? RetryAfter);

    /// <summary>Wrong codes count against the caller's address; at the limit every attempt is refused for a while.</summary>
    public static async Task<Result> ExchangeAsync(HttpContext http, string? code, IdentityDb db, IdentitySecrets secrets,
        IdentitySettings settings, FailureLimiter limiter, TimeProvider time, CancellationToken ct)
    {
        var address = AttemptGuard.Address(http);
        if (await limiter.RetryAfterAsync(RateLimitBucket, address, settings.VotingCodeFailuresPerWindow) is { } wait)
        {
            return new Result(null, wait);
        }

        VotingCode? match = null;
        if (OneTimeCodes.Normalize(code) is { } normalized)
        {
            var salts = await db.VotingCodeGroups.Select(g => g.Salt).ToListAsync(ct);
            var candidates = OneTimeCodes.Candidates(secrets.CodePepper, salts, normalized);
            if (candidates.Length > 0)
            {
                match = await db.VotingCodes.FirstOrDefaultAsync(c => candidates.Contains(c.CodeHash), ct);
            }
        }
        if (match is null)
        {
            await limiter.RecordFailureAsync(RateLimitBucket, address, settings.VotingCodeFailureWindow);
            return new Result(null, null);
        }

        var now = time.GetUtcNow();
        match.FirstUsedAt ??= now;
        match.LastUsedAt = now;
        await db.SaveChangesAsync(ct);
        return new Result(new TokenClaims
        {
            Subject = match.Subject.ToString(),
            Roles = [TokenClaims.CodeVoterRole],
            Verification = TokenClaims.CodeVerification,
            ClientId = Clients.WebClientId,
            VotingGroup = match.GroupId,
        }, null);
    }
}
