using Microsoft.EntityFrameworkCore;
using Mitreden.Identity.Api.Data;
using Mitreden.Identity.Api.Features.Audit;
using Mitreden.Identity.Contracts;
using Mitreden.ServiceDefaults.Messaging;

namespace Mitreden.Identity.Api.Accounts;

/// <summary>
/// Time-limited blocks. A blocked user still signs in and reads (tokens carry blocked_until, and /account/me shows
/// reason and end); other services refuse posting until then and also learn of it from UserBlocked.
/// </summary>
public static class Blocks
{
    public const int MaxReasonLength = 1000;

    public static Task<UserBlock?> ActiveAsync(IdentityDb db, Guid userId, DateTimeOffset now, CancellationToken ct) =>
        db.UserBlocks.AsNoTracking()
            .Where(b => b.UserId == userId && b.LiftedAt == null && b.Until > now)
            .OrderByDescending(b => b.Until)
            .FirstOrDefaultAsync(ct);

    /// <summary>Adds the block, its audit row and UserBlocked to the unit of work (the caller saves once).</summary>
    public static UserBlock Add(IdentityDb db, Guid userId, DateTimeOffset until, string reason, Guid? blockedBy, Guid? decisionId, DateTimeOffset now)
    {
        var block = new UserBlock
        {
            Id = Guid.CreateVersion7(),
            UserId = userId,
            Until = until.ToUniversalTime(),
            Reason = reason.Length > MaxReasonLength ? reason[..MaxReasonLength] : reason,
            BlockedBy = blockedBy,
            BlockedAt = now,
            DecisionId = decisionId,
        };
        db.UserBlocks.Add(block);
        AuditLog.Add(db, blockedBy, AuditActions.UserBlocked, AuditTargets.User, userId,
            new { blockId = block.Id, until = block.Until, decisionId }, now);
        db.AddOutboxMessage(new UserBlocked(userId, block.Until, block.Reason, blockedBy, now));
        return block;
    }

    /// <summary>Lifts every active block; returns how many there were (UserUnblocked only when there was one).</summary>
    public static async Task<int> LiftAsync(IdentityDb db, Guid userId, Guid liftedBy, DateTimeOffset now, CancellationToken ct)
    {
        var active = await db.UserBlocks.Where(b => b.UserId == userId && b.LiftedAt == null && b.Until > now).ToListAsync(ct);
        if (active.Count == 0)
        {
            return 0;
        }
        foreach (var block in active)
        {
            block.LiftedAt = now;
            block.LiftedBy = liftedBy;
        }
        AuditLog.Add(db, liftedBy, AuditActions.UserUnblocked, AuditTargets.User, userId, new { blockIds = active.Select(b => b.Id).ToArray() }, now);
        db.AddOutboxMessage(new UserUnblocked(userId, now));
        return active.Count;
    }
}
