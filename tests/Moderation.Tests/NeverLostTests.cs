using Microsoft.EntityFrameworkCore;
using Mitreden.ServiceDefaults.Messaging;
using Mitreden.Moderation.Contracts;
using RabbitMQ.Client;

namespace Mitreden.Moderation.Tests;

[Collection(ModerationCollection.Name)]
public sealed class NeverLostTests(ModerationFixture fx)
{
    [Fact]
    public async Task Decide_WhileCommentsServiceIsDown_IsDeliveredWhenItComesBack()
    {
        // The Comments service's durable quorum queue exists (declared at its first start), but no consumer is running.
        var queue = "comments-service-down-" + Guid.NewGuid().ToString("N")[..8];
        await using (var connection = await new ConnectionFactory { Uri = new Uri(fx.Factory.VirtualHost.AmqpUri) }.CreateConnectionAsync())
        await using (var channel = await connection.CreateChannelAsync())
        {
            await BrokerTap.DeclareBoundQueueAsync(channel, BrokerTap.CommentModeratedExchange, queue, durable: true);
        }
        var posted = await fx.QueuedCommentAsync(Guid.NewGuid());

        var response = await ModerationFixture.DecideAsync(fx.Factory.Moderator(), posted.CommentId,
            new { decision = "hide", version = 0, reason = HideReasons.Advertising, noteToAuthor = "Keine Werbung." });
        var decided = await ModerationFixture.ReadAsync<DecisionResponseDto>(response);

        // Committed together with the decision, then handed to the broker by the outbox dispatcher.
        var rows = await fx.InDbAsync(db => db.Set<OutboxMessage>()
            .Where(m => m.MessageType.StartsWith(typeof(CommentModerated).FullName!)).ToListAsync());
        var row = rows.Should().ContainSingle(m => m.Body.Contains(decided.DecisionId.ToString())).Subject;
        row.CreatedAt.Should().BeCloseTo(decided.DecidedAt, TimeSpan.FromSeconds(5));
        await fx.WaitForOutboxAsync();

        // "Comments" comes back on a new connection and finds the decision waiting.
        await using var later = await new ConnectionFactory { Uri = new Uri(fx.Factory.VirtualHost.AmqpUri) }.CreateConnectionAsync();
        await using var consumer = await later.CreateChannelAsync();
        var delivered = new List<System.Text.Json.JsonElement>();
        await TestKit.Eventually.AssertAsync(async () =>
        {
            while (await consumer.BasicGetAsync(queue, autoAck: true) is { } message)
            {
                delivered.Add(BrokerTap.MessageOf(message.Body.ToArray()));
            }
            delivered.Should().Contain(m => m.GetProperty("decisionId").GetGuid() == decided.DecisionId);
        });
        var mine = delivered.Single(m => m.GetProperty("decisionId").GetGuid() == decided.DecisionId);
        mine.GetProperty("decision").GetString().Should().Be(Decisions.Hide);
        mine.GetProperty("reason").GetString().Should().Be(HideReasons.Advertising);
        await consumer.QueueDeleteAsync(queue);
    }
}
