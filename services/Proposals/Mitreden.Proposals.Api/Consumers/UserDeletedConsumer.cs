using MassTransit;
using Microsoft.EntityFrameworkCore;
using Mitreden.Identity.Contracts;
using Mitreden.Proposals.Api.Data;
using Mitreden.ServiceDefaults.Messaging;

namespace Mitreden.Proposals.Api.Consumers;

/// <summary>
/// A deleted account leaves no trace of the person in Proposals: ideas keep their text but lose author and name
/// (shown as "gelöschtes Konto"); news, documents and monitoring entries staff made lose the link to them.
/// </summary>
public sealed class UserDeletedConsumer(ProposalsDb db) : IConsumer<UserDeleted>
{
    public const string DeletedAuthorName = "gelöschtes Konto";

    public Task Consume(ConsumeContext<UserDeleted> context) =>
        db.InTransactionAsync(async ct =>
        {
            if (await db.AlreadyProcessedAsync(context, nameof(UserDeletedConsumer)))
            {
                return false;
            }
            var id = context.Message.UserId;
            await db.Items.Where(i => i.AuthorId == id)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.AuthorId, (Guid?)null).SetProperty(i => i.AuthorName, DeletedAuthorName), ct);
            await db.NewsPosts.Where(n => n.AuthorId == id).ExecuteUpdateAsync(s => s.SetProperty(n => n.AuthorId, (Guid?)null), ct);
            await db.Documents.Where(d => d.UploadedBy == id).ExecuteUpdateAsync(s => s.SetProperty(d => d.UploadedBy, (Guid?)null), ct);
            await db.MonitoringEntries.Where(m => m.RecordedBy == id).ExecuteUpdateAsync(s => s.SetProperty(m => m.RecordedBy, (Guid?)null), ct);
            await db.SaveChangesAsync(ct);
            return true;
        }, context.CancellationToken);
}
