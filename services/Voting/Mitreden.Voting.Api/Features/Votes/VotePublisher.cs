using System.Threading.Channels;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using RabbitMQ.Client;
using IAmqpChannel = RabbitMQ.Client.IChannel;

namespace Mitreden.Voting.Api.Features.Votes;

/// <summary>
/// Publishes to the votes queue over a small pool of channels with publisher confirms; a call returns only once
/// the broker has confirmed the message (a quorum queue confirms after a majority has written it). A channel
/// that failed is thrown away and replaced; the connection recovers by itself.
/// </summary>
public sealed class VotePublisher(VoteQueue queue, VotingOptions options, ILogger<VotePublisher> logger) : IAsyncDisposable
{
    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private readonly SemaphoreSlim _slots = new(options.PublisherChannels, options.PublisherChannels);
    private readonly Channel<IAmqpChannel> _idle = Channel.CreateUnbounded<IAmqpChannel>();
    private IConnection? _connection;

    public bool IsConnected => _connection?.IsOpen == true;

    public async Task PublishAsync(string routingKey, ReadOnlyMemory<byte> body, string messageId,
        IDictionary<string, object?>? headers, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.PublishTimeout);
        await _slots.WaitAsync(timeout.Token);
        IAmqpChannel? channel = null;
        try
        {
            channel = await RentAsync(timeout.Token);
            var properties = new BasicProperties
            {
                Persistent = true,
                MessageId = messageId,
                ContentType = "application/json",
                Headers = headers,
            };
            // With confirmation tracking this completes when the broker acks, and throws on nack or return.
            await channel.BasicPublishAsync("", routingKey, mandatory: true, properties, body, timeout.Token);
            _idle.Writer.TryWrite(channel);
            channel = null;
        }
        finally
        {
            if (channel is not null)
            {
                await DropAsync(channel);
            }
            _slots.Release();
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

    private async Task<IAmqpChannel> RentAsync(CancellationToken ct)
    {
        while (_idle.Reader.TryRead(out var idle))
        {
            if (idle.IsOpen)
            {
                return idle;
            }
            await DropAsync(idle);
        }
        var connection = await ConnectionAsync(ct);
        return await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), ct);
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

    private async Task DropAsync(IAmqpChannel channel)
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
        while (_idle.Reader.TryRead(out var channel))
        {
            await DropAsync(channel);
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
