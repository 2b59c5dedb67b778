using MassTransit;
using OpenIddict.Abstractions;
using Microsoft.EntityFrameworkCore;
using Mitreden.Identity.Api.Accounts;
using Mitreden.Identity.Api.Data;
using Mitreden.Identity.Contracts;
using Mitreden.ServiceDefaults.Messaging;

namespace Mitreden.Identity.Api.Consumers;

/// <summary>
/// Moderation's decision to block a user. Idempotent twice over: by message (processed-message record) and by
/// decision (unique DecisionId on the block), so a decision sent again under a new message id blocks only once.
/// </summary>
public sealed class BlockUserConsumer(IdentityDb db, IOpenIddictTokenManager tokens, TimeProvider time, ILogger<BlockUserConsumer> logger) : IConsumer<BlockUser>
{
    public async Task Consume(ConsumeContext<BlockUser> context)
    {
        if (await db.AlreadyProcessedAsync(context, nameof(BlockUserConsumer)))
        {
            return;
        }
        var command = context.Message;
        var ct = context.CancellationToken;
        if (await db.UserBlocks.AnyAsync(b => b.DecisionId == command.DecisionId, ct))
        {
            logger.LogInformation("Block decision {DecisionId} was applied before", command.DecisionId);
        }
        else if (!await db.Users.AnyAsync(u => u.Id == command.UserId, ct))
        {
            logger.LogInformation("Block decision {DecisionId} names an unknown or deleted user {UserId}; ignored", command.DecisionId, command.UserId);
        }
        else
        {
            var reason = string.IsNullOrWhiteSpace(command.Reason) ? "Moderation decision" : command.Reason.Trim();
            Blocks.Add(db, command.UserId, command.Until, reason, command.ModeratorId, command.DecisionId, time.GetUtcNow());
        }
        await db.SaveChangesAsync(ct);
        // Again on a redelivery: revoking twice is harmless, missing it is not.
        await tokens.RevokeBySubjectAsync(command.UserId.ToString(), ct);
    }
}

public sealed class BlockUserConsumerDefinition : ConsumerDefinition<BlockUserConsumer>
{
    // Prefixed: queue names are shared by all services on the broker.
    public BlockUserConsumerDefinition() => EndpointName = "identity-block-user";
}
