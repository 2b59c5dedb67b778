using MassTransit;
using Microsoft.EntityFrameworkCore;
using Mitreden.Identity.Contracts;
using Mitreden.Proposals.Api.Data;
using Mitreden.Proposals.Api.Features.Events;
using Mitreden.Proposals.Api.Features.Processes;
using Mitreden.ServiceDefaults.Messaging;

namespace Mitreden.Proposals.Api.Consumers;

/// <summary>
/// A deleted account leaves no trace of the person in Proposals: ideas keep their text but lose author and name
/// (shown as "gelöschtes Konto"); news, documents and monitoring entries staff made lose the link to them. Seats at
/// coming events are given up (the waiting list moves up), memberships of processes end; registrations for past events stay on the sign-in
/// record under "gelöschtes Konto" and a random id.
/// </summary>
public sealed class UserDeletedConsumer(ProposalsDb db, TimeProvider clock) : IConsumer<UserDeleted>
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
            var now = clock.GetUtcNow();
            var coming = await (from r in db.EventRegistrations
                                join e in db.Events on r.EventId equals e.Id
                                where r.AccountId == id && e.StartsAt > now && !e.Cancelled
                                select e.Id).ToListAsync(ct);
            foreach (var eventId in coming)
            {
                var row = await EventRegistrationsApi.LockAsync(db, eventId, ct);
                await db.EventRegistrations.Where(r => r.EventId == eventId && r.AccountId == id).ExecuteDeleteAsync(ct);
                if (row is not null)
                {
                    await EventRegistrationsApi.MoveUpAsync(db, row, ct);
                }
            }
            await db.EventRegistrations.Where(r => r.AccountId == id)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.AccountId, r => Guid.NewGuid()).SetProperty(r => r.Name, DeletedAuthorName), ct);
            // Memberships go, and Comments and Voting learn the shorter member lists.
            var memberOf = await db.ProcessMembers.Where(m => m.AccountId == id).Select(m => m.ProcessId).ToListAsync(ct);
            await db.ProcessMembers.Where(m => m.AccountId == id).ExecuteDeleteAsync(ct);
            foreach (var process in await db.Processes.Where(p => memberOf.Contains(p.Id)).ToListAsync(ct))
            {
                await ProcessVisibilityApi.AnnounceAsync(db, process, now, ct);
            }
            await db.SaveChangesAsync(ct);
            return true;
        }, context.CancellationToken);
}
