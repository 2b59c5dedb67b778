using MassTransit;
using Microsoft.EntityFrameworkCore;
using Mitreden.Proposals.Api.Data;
using Mitreden.ServiceDefaults.Messaging;
using Mitreden.Voting.Contracts;

namespace Mitreden.Proposals.Api.Consumers;

/// <summary>
/// Keeps the latest support count per (item, ballot). The event carries the absolute count, so an older event that
/// arrives late is ignored instead of overwriting a newer count. Citizens' support and a closed group's votes (the
/// ballot's electorate) are kept apart.
/// </summary>
public sealed class ItemSupportChangedConsumer(ProposalsDb db) : IConsumer<ItemSupportChanged>
{
    public async Task Consume(ConsumeContext<ItemSupportChanged> context)
    {
        if (await db.AlreadyProcessedAsync(context, nameof(ItemSupportChangedConsumer)))
        {
            return;
        }
        var m = context.Message;
        var at = m.At.ToUniversalTime();
        var electorate = m.Electorate == SupportElectorates.VotingGroup ? SupportElectorates.VotingGroup : SupportElectorates.Citizens;
        var row = await db.ItemSupports.SingleOrDefaultAsync(s => s.ItemId == m.ItemId && s.BallotId == m.BallotId, context.CancellationToken);
        if (row is null)
        {
            if (await db.Items.AnyAsync(i => i.Id == m.ItemId, context.CancellationToken))
            {
                db.ItemSupports.Add(new ItemSupport { ItemId = m.ItemId, BallotId = m.BallotId, Supports = Math.Max(0, m.Supports), At = at, Electorate = electorate });
            }
        }
        else if (at >= row.At)
        {
            row.Supports = Math.Max(0, m.Supports);
            row.At = at;
            row.Electorate = electorate;
        }
        await db.SaveChangesAsync(context.CancellationToken);
    }
}

public sealed class ItemSupportChangedConsumerDefinition : ConsumerDefinition<ItemSupportChangedConsumer>
{
    public ItemSupportChangedConsumerDefinition() => EndpointName = "proposals-item-support-changed";
}
