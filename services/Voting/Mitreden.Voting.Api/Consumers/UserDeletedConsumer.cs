using MassTransit;
using Microsoft.EntityFrameworkCore;
using Mitreden.Identity.Contracts;
using Mitreden.ServiceDefaults.Data;
using Mitreden.ServiceDefaults.Messaging;
using Mitreden.Voting.Api.Data;

namespace Mitreden.Voting.Api.Consumers;

/// <summary>
/// A deleted account's votes stay counted: they are keyed by the pseudonymous voter key, never by the account id,
/// and nothing is changed there. What staff recorded (in-person results, result versions, surveys) and account-bound
/// survey answers lose the link to them.
/// </summary>
public sealed class UserDeletedConsumer(VotingDb db) : IConsumer<UserDeleted>
{
    public Task Consume(ConsumeContext<UserDeleted> context) =>
        db.InTransactionAsync(async ct =>
        {
            if (await db.AlreadyProcessedAsync(context, nameof(UserDeletedConsumer)))
            {
                return false;
            }
            var id = context.Message.UserId;
            await db.InPersonEntries.Where(e => e.CreatedBy == id).ExecuteUpdateAsync(s => s.SetProperty(e => e.CreatedBy, Guid.Empty), ct);
            await db.ResultVersions.Where(v => v.CreatedBy == id).ExecuteUpdateAsync(s => s.SetProperty(v => v.CreatedBy, (Guid?)null), ct);
            await db.RecountRuns.Where(r => r.RequestedBy == id).ExecuteUpdateAsync(s => s.SetProperty(r => r.RequestedBy, (Guid?)null), ct);
            await db.SurveyResponses.Where(r => r.AccountId == id).ExecuteUpdateAsync(s => s.SetProperty(r => r.AccountId, (Guid?)null), ct);
            await db.Surveys.Where(s => s.CreatedBy == id).ExecuteUpdateAsync(s => s.SetProperty(x => x.CreatedBy, (Guid?)null), ct);
            await db.SaveChangesAsync(ct);
            return true;
        }, context.CancellationToken);
}
