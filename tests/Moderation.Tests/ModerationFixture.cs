using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Mitreden.Comments.Contracts;
using Mitreden.Moderation.Api;
using Mitreden.Moderation.Api.Data;
using Mitreden.ServiceDefaults.Messaging;
using Mitreden.TestKit;
using Mitreden.Moderation.Contracts.Http;

namespace Mitreden.Moderation.Tests;

/// <summary>
/// One Moderation service for all integration tests (real PostgreSQL and RabbitMQ, own database and vhost).
/// Tests keep apart by using a fresh process id each.
/// </summary>
public sealed class ModerationFixture : IAsyncLifetime
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public ServiceFactory<ModerationDb> Factory { get; } = new("moderation");
    public BrokerTap Tap { get; private set; } = null!;
    public IBus Bus => Factory.Services.GetRequiredService<IBus>();

    /// <summary>Which published messages the service has finished consuming.</summary>
    public ConsumedMessages Consumed { get; } = new();

    public async Task InitializeAsync()
    {
        await Factory.InitializeAsync();
        // Bound before the service starts, so nothing it publishes is missed.
        Tap = await BrokerTap.StartAsync(Factory.VirtualHost.AmqpUri, BrokerTap.CommentModeratedExchange, BrokerTap.BlockUserExchange);
        var bus = Factory.Services.GetRequiredService<IBusControl>();
        bus.ConnectConsumeObserver(Consumed);
        (await bus.WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(60))).Should().Be(BusHealthStatus.Healthy);
    }

    public async Task DisposeAsync()
    {
        await Tap.DisposeAsync();
        await ((IAsyncLifetime)Factory).DisposeAsync();
    }

    public async Task<T> InDbAsync<T>(Func<ModerationDb, Task<T>> read)
    {
        await using var scope = Factory.Scope();
        return await read(scope.ServiceProvider.GetRequiredService<ModerationDb>());
    }

    public Task<ModeratedComment?> CommentAsync(Guid id) =>
        InDbAsync(db => db.Comments.AsNoTracking().Include(c => c.Flags).Include(c => c.Reports).AsSplitQuery().SingleOrDefaultAsync(c => c.Id == id));

    /// <summary>Waits until the comment satisfies <paramref name="until"/> (consumers run asynchronously).</summary>
    public async Task<ModeratedComment> WaitForCommentAsync(Guid id, Func<ModeratedComment, bool> until)
    {
        var comment = await Eventually.ValueAsync(() => CommentAsync(id), c => c is not null && until(c));
        comment.Should().NotBeNull();
        until(comment!).Should().BeTrue("the comment should reach the expected state, but is {0}", JsonSerializer.Serialize(comment, Json));
        return comment!;
    }

    /// <summary>Waits until every outbox row has reached the broker.</summary>
    public Task WaitForOutboxAsync() => Eventually.AssertAsync(async () =>
        (await InDbAsync(db => db.Set<OutboxMessage>().AnyAsync(m => m.DispatchedAt == null))).Should().BeFalse());

    public async Task<CommentPosted> PostAsync(Guid processId, string text, Guid? authorId = null, bool awaitingReview = false,
        DateTimeOffset? postedAt = null)
    {
        var posted = new CommentPosted(Guid.NewGuid(), Guid.NewGuid(), processId, null, authorId ?? Guid.NewGuid(), text,
            Stances.Neutral, awaitingReview, postedAt ?? DateTimeOffset.UtcNow);
        await Bus.Publish(posted);
        return posted;
    }

    public async Task<CommentReported> ReportAsync(CommentPosted comment, Guid? reporterId = null, string reason = ReportReasons.Insult,
        string? note = null, Guid? messageId = null)
    {
        var report = new CommentReported(comment.CommentId, comment.ItemId, comment.ProcessId, Guid.NewGuid(), reporterId ?? Guid.NewGuid(),
            reason, note, 1, DateTimeOffset.UtcNow);
        await PublishAsync(report, messageId);
        return report;
    }

    /// <summary>Publishes as another service would, under the given message id or a new one; returns the id.</summary>
    public async Task<Guid> PublishAsync<T>(T message, Guid? messageId = null) where T : class
    {
        var id = messageId ?? Guid.NewGuid();
        await Bus.Publish(message, ctx => ctx.MessageId = id);
        return id;
    }

    /// <summary>
    /// Waits until the service has handled the given messages and everything they caused it to publish has reached the
    /// tap: the outbox is empty, then a marker sent after it arrives (a queue keeps its order). What the tap holds then is
    /// all that was published — no sleeping.
    /// </summary>
    public async Task WaitUntilSettledAsync(params Guid[] messageIds)
    {
        await Consumed.WaitForAsync(messageIds);
        await WaitForOutboxAsync();
        await Tap.FlushAsync(BrokerTap.CommentModeratedExchange);
    }

    /// <summary>A clean comment with one report: in the queue, still visible.</summary>
    public async Task<CommentPosted> QueuedCommentAsync(Guid processId, string? text = null, Guid? authorId = null)
    {
        // Distinct texts: the same text over and over would (rightly) trip the repeated-text rule.
        var posted = await PostAsync(processId, text ?? $"Die Radwege in der Innenstadt sind zu schmal ({Random.Shared.Next()}).", authorId);
        await ReportAsync(posted, note: "Bitte prüfen");
        await WaitForCommentAsync(posted.CommentId, c => c.InQueue && c.OpenReports == 1 && c.AuthorId != null);
        return posted;
    }

    public static async Task<T> ReadAsync<T>(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.Should().BeTrue("the call should succeed, but got {0}: {1}", (int)response.StatusCode, body);
        return JsonSerializer.Deserialize<T>(body, Json)!;
    }

    public static Task<HttpResponseMessage> DecideAsync(HttpClient client, Guid commentId, object body) =>
        client.PostAsJsonAsync($"/queue/{commentId}/decision", body, Json);
}

[CollectionDefinition(Name)]
public sealed class ModerationCollection : ICollectionFixture<ModerationFixture>
{
    public const string Name = "moderation";
}
