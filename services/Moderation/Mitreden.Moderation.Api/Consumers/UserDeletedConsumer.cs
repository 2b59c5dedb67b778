using MassTransit;
using Microsoft.EntityFrameworkCore;
using Mitreden.Identity.Contracts;
using Mitreden.Moderation.Api.Data;
using Mitreden.ServiceDefaults.Data;
using Mitreden.ServiceDefaults.Messaging;

namespace Mitreden.Moderation.Api.Consumers;

/// <summary>
/// A deleted account leaves no trace of the person in Moderation: the copies of their comments and the decisions
/// on them lose the author; their reports keep counting under a random reporter id (so one person's reports still
/// count once); decisions and audit entries they made as moderator lose the actor.
/// </summary>
public sealed class UserDeletedConsumer(ModerationDb db) : IConsumer<UserDeleted>
{
    public Task Consume(ConsumeContext<UserDeleted> context) =>
        db.InTransactionAsync(async ct =>
        {
            if (await db.AlreadyProcessedAsync(context, nameof(UserDeletedConsumer)))
            {
                return false;
            }
            var id = context.Message.UserId;
            var standIn = Guid.NewGuid();
            await db.Comments.Where(c => c.AuthorId == id).ExecuteUpdateAsync(s => s.SetProperty(c => c.AuthorId, (Guid?)null), ct);
            await db.Decisions.Where(d => d.AuthorId == id).ExecuteUpdateAsync(s => s.SetProperty(d => d.AuthorId, (Guid?)null), ct);
            await db.Decisions.Where(d => d.ModeratorId == id).ExecuteUpdateAsync(s => s.SetProperty(d => d.ModeratorId, (Guid?)null), ct);
            await db.Reports.Where(r => r.ReporterId == id).ExecuteUpdateAsync(s => s.SetProperty(r => r.ReporterId, standIn), ct);
            await db.AuditLog.Where(a => a.ActorId == id).ExecuteUpdateAsync(s => s.SetProperty(a => a.ActorId, (Guid?)null), ct);
            await db.SaveChangesAsync(ct);
            return true;
        }, context.CancellationToken);
}
