using System.Collections.Concurrent;
using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Mitreden.Moderation.Tests;

/// <summary>
/// Listens on the broker like another service would: a queue of its own bound to a message type's exchange
/// (MassTransit names it after the type, e.g. "Mitreden.Moderation.Contracts:CommentModerated").
/// </summary>
public sealed class BrokerTap : IAsyncDisposable
{
    public const string CommentModeratedExchange = "Mitreden.Moderation.Contracts:CommentModerated";
    public const string BlockUserExchange = "Mitreden.Identity.Contracts:BlockUser";

    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<JsonElement>> _received = new();

    private BrokerTap(IConnection connection, IChannel channel)
    {
        _connection = connection;
        _channel = channel;
    }

    public static async Task<BrokerTap> StartAsync(string amqpUri, params string[] exchanges)
    {
        var connection = await new ConnectionFactory { Uri = new Uri(amqpUri) }.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync();
        var tap = new BrokerTap(connection, channel);
        foreach (var exchange in exchanges)
        {
            var queue = await DeclareBoundQueueAsync(channel, exchange, "test-tap-" + exchange.Replace(':', '-'), durable: false);
            var received = tap._received.GetOrAdd(exchange, _ => new());
            var consumer = new AsyncEventingBasicConsumer(channel);
            consumer.ReceivedAsync += (_, delivery) =>
            {
                received.Enqueue(MessageOf(delivery.Body.ToArray()));
                return Task.CompletedTask;
            };
            await channel.BasicConsumeAsync(queue, autoAck: true, consumer);
        }
        return tap;
    }

    /// <summary>Declares the exchange as MassTransit does and binds a queue to it (durable quorum, or transient for taps).</summary>
    public static async Task<string> DeclareBoundQueueAsync(IChannel channel, string exchange, string queue, bool durable)
    {
        await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false);
        await channel.QueueDeclareAsync(queue, durable: durable, exclusive: !durable, autoDelete: !durable,
            arguments: durable ? new Dictionary<string, object?> { ["x-queue-type"] = "quorum" } : null);
        await channel.QueueBindAsync(queue, exchange, routingKey: "");
        return queue;
    }

    /// <summary>The "message" part of a MassTransit envelope.</summary>
    public static JsonElement MessageOf(byte[] body)
    {
        using var envelope = JsonDocument.Parse(body);
        return envelope.RootElement.GetProperty("message").Clone();
    }

    public IReadOnlyList<JsonElement> Received(string exchange, Func<JsonElement, bool> where) =>
        _received.TryGetValue(exchange, out var queue) ? queue.Where(where).ToList() : [];

    /// <summary>
    /// Publishes a marker into <paramref name="exchange"/> and waits until the tap has received it: everything published
    /// there (and confirmed) before has been received by then.
    /// </summary>
    public async Task FlushAsync(string exchange)
    {
        var marker = Guid.NewGuid();
        var body = JsonSerializer.SerializeToUtf8Bytes(new { message = new { marker, commentId = marker } });
        await _channel.BasicPublishAsync(exchange, routingKey: "", body);
        await WaitForAsync(exchange, m => m.TryGetProperty("marker", out var found) && found.GetGuid() == marker);
    }

    public IReadOnlyList<JsonElement> CommentModerated(Guid commentId) =>
        Received(CommentModeratedExchange, m => m.GetProperty("commentId").GetGuid() == commentId);

    public async Task<JsonElement> WaitForAsync(string exchange, Func<JsonElement, bool> where, TimeSpan? timeout = null)
    {
        var found = await Mitreden.TestKit.Eventually.ValueAsync(() => Task.FromResult(Received(exchange, where)), v => v.Count > 0, timeout);
        found.Should().NotBeEmpty($"a message on {exchange} was expected");
        return found[0];
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.CloseAsync();
        await _connection.CloseAsync();
        _channel.Dispose();
        _connection.Dispose();
    }
}
