using System.Buffers;
using System.Diagnostics;
using System.Threading.Channels;
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
/// <para>
/// Votes are coalesced: a few senders (<see cref="VotingOptions.PublishSenders"/>) each publish whatever votes are
/// waiting, up to <see cref="VotingOptions.VotesPerMessage"/>, as one message (a JSON array of vote messages; a lone
/// vote goes out as itself) and complete every caller when the broker confirms it. At low load each vote travels
/// alone and waits for nothing; under load one publish and one confirm carry many votes, which is what the broker's
/// and this process's CPU per vote depends on. The consumer reads both shapes (<see cref="VoteMessage.TryParseMany"/>).
/// </para>
/// </summary>
public sealed class VotePublisher(VoteQueue queue, VotingOptions options, ILogger<VotePublisher> logger) : IAsyncDisposable
{
    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private readonly SemaphoreSlim _channelLock = new(1, 1);
    private readonly IAmqpChannel?[] _channels = new IAmqpChannel?[options.PublisherChannels];
    private int _next;
    private IConnection? _connection;
    private readonly Channel<WaitingVote> _waiting = Channel.CreateUnbounded<WaitingVote>();
    private readonly CancellationTokenSource _stopping = new();
    private Task[]? _senders;
    private long _messages;
    private long _votes;

    /// <summary>Vote messages and votes this instance had confirmed by the broker (their ratio: votes per message).</summary>
    public (long Messages, long Votes) Published => (Interlocked.Read(ref _messages), Interlocked.Read(ref _votes));

    private sealed class WaitingVote(ReadOnlyMemory<byte> body, Guid voteId, Activity? activity)
    {
        public ReadOnlyMemory<byte> Body => body;
        public Guid VoteId => voteId;
        public Activity? Activity => activity;
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

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

    /// <summary>Returns once the broker confirmed the message that carries this vote; throws if it did not in time.</summary>
    public async Task PublishVoteAsync(ReadOnlyMemory<byte> body, Guid voteId, CancellationToken ct)
    {
        // The producer span covers the wait for the confirm; the consumer continues the trace from its headers.
        using var activity = VoteTelemetry.StartPublish(queue.Votes);
        try
        {
            if (options.VotesPerMessage == 1)
            {
                await PublishAsync(queue.Votes, body, voteId.ToString("N"), VoteTelemetry.ContextHeaders(activity), ct);
                Count(1);
                return;
            }
            StartSenders();
            var vote = new WaitingVote(body, voteId, activity);
            if (!_waiting.Writer.TryWrite(vote))
            {
                throw new ObjectDisposedException(nameof(VotePublisher));
            }
            try
            {
                await vote.Done.Task.WaitAsync(options.PublishTimeout, ct);
            }
            catch (Exception)
            {
                // A sender that has not taken it yet skips it. One that has may still publish it, as a publish that
                // timed out may still land: the voter's retry then replaces it (the newest vote of a voter counts).
                vote.Done.TrySetCanceled();
                throw;
            }
        }
        catch (Exception ex)
        {
            VoteTelemetry.Failed(activity, ex);
            throw;
        }
    }

    private void Count(int votes)
    {
        Interlocked.Increment(ref _messages);
        Interlocked.Add(ref _votes, votes);
    }

    private void StartSenders()
    {
        if (Volatile.Read(ref _senders) is not null)
        {
            return;
        }
        var senders = new Task[options.PublishSenders];
        if (Interlocked.CompareExchange(ref _senders, senders, null) is null)
        {
            for (var i = 0; i < senders.Length; i++)
            {
                senders[i] = Task.Run(() => SendAsync(_stopping.Token));
            }
        }
    }

    /// <summary>One sender: takes the votes waiting now, publishes them as one message, completes their callers.</summary>
    private async Task SendAsync(CancellationToken stopping)
    {
        var reader = _waiting.Reader;
        var batch = new List<WaitingVote>(options.VotesPerMessage);
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        try
        {
            while (await reader.WaitToReadAsync(stopping))
            {
                batch.Clear();
                while (batch.Count < options.VotesPerMessage && reader.TryRead(out var vote))
                {
                    if (!vote.Done.Task.IsCompleted) // its caller gave up waiting: not sent
                    {
                        batch.Add(vote);
                    }
                }
                if (batch.Count == 0)
                {
                    continue;
                }
                try
                {
                    await PublishAsync(queue.Votes, Body(batch, buffer), batch[0].VoteId.ToString("N"),
                        VoteTelemetry.ContextHeaders(batch[0].Activity), stopping);
                    Count(batch.Count);
                    foreach (var vote in batch)
                    {
                        vote.Done.TrySetResult();
                    }
                }
                catch (Exception ex)
                {
                    foreach (var vote in batch)
                    {
                        vote.Done.TrySetException(ex);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // shutting down: DisposeAsync fails whatever still waits
        }
    }

    /// <summary>A lone vote as itself; several as a JSON array of their messages.</summary>
    private static ReadOnlyMemory<byte> Body(List<WaitingVote> batch, ArrayBufferWriter<byte> buffer)
    {
        if (batch.Count == 1)
        {
            return batch[0].Body;
        }
        buffer.ResetWrittenCount();
        buffer.Write("["u8);
        for (var i = 0; i < batch.Count; i++)
        {
            if (i > 0)
            {
                buffer.Write(","u8);
            }
            buffer.Write(batch[i].Body.Span);
        }
        buffer.Write("]"u8);
        return buffer.WrittenMemory;
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
        _waiting.Writer.TryComplete();
        await _stopping.CancelAsync();
        if (_senders is { } senders)
        {
            await Task.WhenAll(senders);
        }
        while (_waiting.Reader.TryRead(out var vote))
        {
            vote.Done.TrySetException(new ObjectDisposedException(nameof(VotePublisher)));
        }
        _stopping.Dispose();
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
