using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Mitreden.ServiceDefaults.Messaging;

public static class ProcessedMessages
{
    /// <summary>
    /// True when this consumer has already handled the message. Otherwise records it in the current unit of
    /// work, so the record commits (or rolls back) together with the consumer's own changes; two concurrent
    /// deliveries collide on the primary key and the loser is retried, then sees the record.
    /// </summary>
    public static async Task<bool> AlreadyProcessedAsync(this DbContext db, ConsumeContext context, string consumer)
    {
        var messageId = context.MessageId ?? throw new InvalidOperationException("Message has no MessageId.");
        var seen = await db.Set<ProcessedMessage>()
            .AnyAsync(m => m.Consumer == consumer && m.MessageId == messageId, context.CancellationToken);
        if (seen)
        {
            return true;
        }
        db.Set<ProcessedMessage>().Add(new ProcessedMessage
        {
            Consumer = consumer,
            MessageId = messageId,
            ProcessedAt = DateTimeOffset.UtcNow,
        });
        return false;
    }
}
