using System.Collections.Concurrent;
using System.Net;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Mitreden.Comments.Api.Data;
using Mitreden.Comments.Contracts;
using Mitreden.Proposals.Contracts;
using Mitreden.ServiceDefaults.Messaging;
using Mitreden.TestKit;
using Npgsql;
using Mitreden.Comments.Contracts.Http;

namespace Mitreden.Comments.Tests;

[CollectionDefinition(Name)]
public sealed class CommentsCollection : ICollectionFixture<CommentsFixture>
{
    public const string Name = "comments service";
}

/// <summary>
/// The Comments service in-process on its own database and RabbitMQ vhost, shared by the integration test
/// classes (each test works on fresh item ids). A receive endpoint of our own watches what the outbox
/// publishes, so tests see the events on the real broker.
/// </summary>
public sealed class CommentsFixture : IAsyncLifetime
{
    /// <summary>Short, so the edit-window test can wait it out; long enough for an edit right after posting.</summary>
    public static readonly TimeSpan EditWindow = TimeSpan.FromSeconds(6);

    // The service's module class is static (extension methods) and cannot be a type argument; any public type
    // of the service assembly locates its entry point.
    public ServiceFactory<CommentsDb> Factory { get; } = new ServiceFactory<CommentsDb>("comments")
        .With("Comments:EditWindow", EditWindow.ToString());

    public ConcurrentQueue<CommentPosted> Posted { get; } = new();
    public ConcurrentQueue<CommentEdited> Edited { get; } = new();
    public ConcurrentQueue<CommentDeleted> Deleted { get; } = new();
    public ConcurrentQueue<CommentReported> Reported { get; } = new();

    public IBus Bus => Factory.Services.GetRequiredService<IBus>();

    public async Task InitializeAsync()
    {
        await Factory.InitializeAsync();
        await WaitUntilReadyAsync(Factory.CreateClient());
        var observer = Bus.ConnectReceiveEndpoint("comments-tests-observer", e =>
        {
            e.Handler<CommentPosted>(ctx => Enqueue(Posted, ctx.Message));
            e.Handler<CommentEdited>(ctx => Enqueue(Edited, ctx.Message));
            e.Handler<CommentDeleted>(ctx => Enqueue(Deleted, ctx.Message));
            e.Handler<CommentReported>(ctx => Enqueue(Reported, ctx.Message));
        });
        await observer.Ready;
    }

    public async Task DisposeAsync() => await ((IAsyncLifetime)Factory).DisposeAsync();

    /// <summary>Ready means database, Redis and the bus (with our consumers' queues bound) are up.</summary>
    internal static async Task WaitUntilReadyAsync(HttpClient client) =>
        await Eventually.AssertAsync(async () =>
            (await client.GetAsync("/health/ready")).StatusCode.Should().Be(HttpStatusCode.OK), TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(250));

    private static Task Enqueue<T>(ConcurrentQueue<T> queue, T message)
    {
        queue.Enqueue(message);
        return Task.CompletedTask;
    }

    public Task PublishAsync<T>(T message, Guid? messageId = null) where T : class =>
        Bus.Publish(message, ctx =>
        {
            if (messageId is { } id)
            {
                ctx.MessageId = id;
            }
        });

    /// <summary>A published item in a process whose running phase has commenting on, as Proposals would announce it.</summary>
    public async Task<TestItem> OpenItemAsync(bool preModeration = false)
    {
        var item = new TestItem(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var now = DateTimeOffset.UtcNow;
        await PublishAsync(new ItemPublished(item.ItemId, item.ProcessId, ItemKinds.Measure, "Testmaßnahme", null, null, true, null, now));
        await PublishAsync(new PhaseStarted(item.ProcessId, item.PhaseId, "Online-Beteiligung", "online",
            new PhaseSwitches(false, true, preModeration, true, false), now.AddHours(-1), now.AddDays(14)));
        var anonymous = Factory.CreateClient();
        await Eventually.AssertAsync(async () =>
        {
            var state = await anonymous.GetJsonAsync<Mitreden.Comments.Contracts.Http.CommentingView>($"/items/{item.ItemId}/commenting");
            state.Open.Should().BeTrue();
            state.PreModeration.Should().Be(preModeration);
        });
        return item;
    }

    public async Task<T> WithDbAsync<T>(Func<CommentsDb, Task<T>> read)
    {
        await using var scope = Factory.Scope();
        return await read(scope.ServiceProvider.GetRequiredService<CommentsDb>());
    }

    /// <summary>Outbox rows of one event type that mention <paramref name="commentId"/> (bodies are jsonb, filtered here).</summary>
    public async Task<List<OutboxMessage>> OutboxAsync(string eventName, Guid commentId)
    {
        var rows = await WithDbAsync(db => db.Set<OutboxMessage>().AsNoTracking()
            .Where(m => m.MessageType.StartsWith("Mitreden.Comments.Contracts." + eventName + ",")).ToListAsync());
        return rows.Where(m => m.Body.Contains(commentId.ToString(), StringComparison.Ordinal)).ToList();
    }

    public Task<Comment> CommentAsync(Guid id) => WithDbAsync(db => db.Comments.AsNoTracking().SingleAsync(c => c.Id == id));

    public async Task ExecuteSqlAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(Factory.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Bulk-inserts published top-level comments in one SQL statement (far faster than the API). Creation
    /// times step back 1 ms every <paramref name="sameTime"/> rows, so ties on created_at exist on purpose.
    /// </summary>
    public Task BulkInsertAsync(Guid itemId, Guid processId, int count, int sameTime = 1, Guid? parentId = null) =>
        ExecuteSqlAsync("""
            INSERT INTO comments (id, item_id, process_id, parent_id, author_id, author_name, author_deleted, text, stance,
                                  created_at, published_at, status, supports, open_reports)
            SELECT gen_random_uuid(), @item, @process, @parent::uuid, gen_random_uuid(), 'Massenkommentar', false,
                   'Kommentar Nummer ' || g, 'neutral',
                   @base - ((g / @same) * interval '1 millisecond'), @base, 'Published', (g * 7919) % 97, 0
            FROM generate_series(1, @count) AS g
            """,
            ("item", itemId), ("process", processId), ("parent", parentId is { } p ? p : DBNull.Value),
            ("base", DateTimeOffset.UtcNow.AddMinutes(-1)), ("same", sameTime), ("count", count));
}

public sealed record TestItem(Guid ItemId, Guid ProcessId, Guid PhaseId);
