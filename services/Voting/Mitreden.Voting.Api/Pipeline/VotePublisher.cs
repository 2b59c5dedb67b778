using Microsoft.Extensions.Diagnostics.HealthChecks;
using RabbitMQ.Client;
using IAmqpChannel = RabbitMQ.Client.IChannel;

namespace Mitreden.Voting.Api.Pipeline;

/// <summary>
/// Publishes to the votes queue over a small set of channels with publisher confirms; a call returns only once
/// the broker has confirmed the message (a quorum queue confirms after a majority has written it). Publishes share
/// the channels and wait for their confirms side by side (the client tracks each by its sequence number), so the
/// number of votes awaiting a confirm is not capped by the number of channels (RabbitMQ.Client allows 128 per channel
/// and slows publishing down beyond 64): when confirms slow down (a busy broker or machine), more votes wait at once
/// instead of queueing for a free channel until their time is up. A channel that failed is replaced by the next
/// publish that picks it; the connection recovers by itself.
/// </summary>
public sealed class VotePublisher(VoteQueue queue, VotingOptions options, ILogger<VotePublisher> logger) : IAsyncDisposable
{
    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private readonly SemaphoreSlim _channelLock = new(1, 1);
    private readonly IAmqpChannel?[] _channels = new IAmqpChannel?[options.PublisherChannels];
    private int _next;
    private IConnection? _connection;

    public bool IsConnected => _connection?.IsOpen == true;

    public async Task PublishAsync(string routingKey, ReadOnlyMemory<byte> body, string messageId,
        IDictionary<string, object?>? headers, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.PublishTimeout);
        var slot = (int)((uint)Interlocked.Increment(ref _next) % (uint)_channels.Length);
        var channel = await ChannelAsync(slot, timeout.Token);
        var properties = new BasicProperties
        {
            Persistent = true,
            MessageId = messageId,
            ContentType = "application/json",
            Headers = headers,
        };
        try
        {
            // With confirmation tracking this completes when the broker acks, and throws on nack or return.
            await channel.BasicPublishAsync("", routingKey, mandatory: true, properties, body, timeout.Token);
        }
        catch (Exception) when (!channel.IsOpen)
        {
            await DropAsync(slot, channel);
            throw;
        }
    }

    public async Task PublishVoteAsync(ReadOnlyMemory<byte> body, Guid voteId, CancellationToken ct)
    {
        // The producer span covers the wait for the confirm; the consumer continues the trace from its headers.
        using var activity = VoteTelemetry.StartPublish(queue.Votes);
        try
        {
            await PublishAsync(queue.Votes, body, voteId.ToString("N"), VoteTelemetry.ContextHeaders(activity), ct);
        }
        catch (Exception ex)
        {
            VoteTelemetry.Failed(activity, ex);
            throw;
        }
    }

    private async Task<IAmqpChannel> ChannelAsync(int slot, CancellationToken ct)
    {
        if (Volatile.Read(ref _channels[slot]) is { IsOpen: true } open)
        {
            return open;
        }
        await _channelLock.WaitAsync(ct);
        try
        {
            if (_channels[slot] is { IsOpen: true } again)
            {
                return again;
            }
            if (_channels[slot] is { } broken)
            {
                _channels[slot] = null;
                await DisposeQuietlyAsync(broken);
            }
            var connection = await ConnectionAsync(ct);
            var channel = await connection.CreateChannelAsync(
                new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), ct);
            Volatile.Write(ref _channels[slot], channel);
            return channel;
        }
        finally
        {
            _channelLock.Release();
        }
    }

    private async Task DropAsync(int slot, IAmqpChannel channel)
    {
        if (Interlocked.CompareExchange(ref _channels[slot], null, channel) == channel)
        {
            await DisposeQuietlyAsync(channel);
        }
    }

    private async Task<IConnection> ConnectionAsync(CancellationToken ct)
    {
        if (_connection is { IsOpen: true } open)
        {
            return open;
        }
        await _connectLock.WaitAsync(ct);
        try
        {
            if (_connection is { IsOpen: true } again)
            {
                return again;
            }
            if (_connection is not null)
            {
                await DisposeQuietlyAsync(_connection);
            }
            var connection = await queue.CreateFactory("publisher", automaticRecovery: true).CreateConnectionAsync(ct);
            await using (var setup = await connection.CreateChannelAsync(cancellationToken: ct))
            {
                await queue.DeclareAsync(setup, ct);
            }
            _connection = connection;
            return connection;
        }
        finally
        {
            _connectLock.Release();
        }
    }

    /// <summary>Connects and declares the queues at start, so the first vote does not pay for it.</summary>
    public async Task WarmUpAsync(CancellationToken ct) => await ConnectionAsync(ct);

    private async Task DisposeQuietlyAsync(IAmqpChannel channel)
    {
        try
        {
            await channel.DisposeAsync();
        }
        catch (Exception ex)
        {
            logger.LogDebug(ex, "Disposing a failed publisher channel");
        }
    }

    private static async Task DisposeQuietlyAsync(IConnection connection)
    {
        try
        {
            await connection.DisposeAsync();
        }
        catch (Exception)
        {
            // it is broken already
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var channel in _channels)
        {
            if (channel is not null)
            {
                await DisposeQuietlyAsync(channel);
            }
        }
        if (_connection is not null)
        {
            await DisposeQuietlyAsync(_connection);
        }
    }
}

/// <summary>Ready only when votes can be published.</summary>
public sealed class VoteQueueHealthCheck(VotePublisher publisher) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            await publisher.WarmUpAsync(timeout.Token);
            return HealthCheckResult.Healthy("votes queue reachable");
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("votes queue not reachable", ex);
        }
    }
}
