using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Mitreden.Identity.Api.Data;

namespace Mitreden.Identity.Api.Features.Tokens;

/// <summary>
/// Rotating refresh tokens (OAuth 2.0 Security BCP §4.14): 256 random bits, stored as SHA-256. Each use returns a
/// new token of the same family; presenting a used token again means it was stolen or replayed, so the whole family
/// (including the newest token) is revoked.
/// </summary>
public static class RefreshTokens
{
    public enum Outcome { Issued, Invalid, Reused }

    /// <summary>Adds a new token to the unit of work and returns its value (shown to the client once).</summary>
    public static string Add(IdentityDb db, Guid userId, string clientId, Guid familyId, DateTimeOffset now, TimeSpan lifetime)
    {
        var value = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        db.RefreshTokens.Add(new RefreshToken
        {
            Id = Guid.CreateVersion7(),
            FamilyId = familyId,
            UserId = userId,
            ClientId = clientId,
            TokenHash = Hash(value),
            CreatedAt = now,
            ExpiresAt = now + lifetime,
        });
        return value;
    }

    /// <summary>
    /// Marks the presented token used and adds its successor (saved together by the caller's SaveChanges). Returns the
    /// token's user on success. A reused token revokes the family at once (that write does not wait for the caller).
    /// </summary>
    public static async Task<(Outcome Outcome, RefreshToken? Token)> RedeemAsync(IdentityDb db, string value, string clientId, DateTimeOffset now, CancellationToken ct)
    {
        if (value.Length is 0 or > 200)
        {
            return (Outcome.Invalid, null);
        }
        var hash = Hash(value);
        var token = await db.RefreshTokens.SingleOrDefaultAsync(t => t.TokenHash == hash, ct);
        if (token is null || token.ClientId != clientId)
        {
            return (Outcome.Invalid, null);
        }
        if (token.UsedAt is not null || token.RevokedAt is not null)
        {
            await RevokeFamilyAsync(db, token.FamilyId, now, ct);
            return (Outcome.Reused, token);
        }
        if (token.ExpiresAt <= now)
        {
            return (Outcome.Invalid, null);
        }
        token.UsedAt = now; // concurrency token: a parallel redemption of the same value fails on save
        return (Outcome.Issued, token);
    }

    public static Task<int> RevokeFamilyAsync(IdentityDb db, Guid familyId, DateTimeOffset now, CancellationToken ct) =>
        db.RefreshTokens.Where(t => t.FamilyId == familyId && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), ct);

    public static Task<int> RevokeAllOfUserAsync(IdentityDb db, Guid userId, DateTimeOffset now, CancellationToken ct) =>
        db.RefreshTokens.Where(t => t.UserId == userId && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), ct);

    public static byte[] Hash(string value) => SHA256.HashData(Encoding.UTF8.GetBytes(value));
}
