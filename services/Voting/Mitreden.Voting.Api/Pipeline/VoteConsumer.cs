using System.Diagnostics;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Mitreden.ServiceDefaults.Messaging;
using Npgsql;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Mitreden.Voting.Api.Pipeline;

/// <summary>
/// Consumes the votes queue (prefetch ~500 messages) in batches of up to 500 votes or 50 ms (a message may carry
/// several votes: <see cref="VotePublisher"/> coalesces them), writes each batch in one
/// transaction (<see cref="VoteBatchWriter"/>), and acknowledges it (multiple=true) only after the commit. A crash
/// anywhere means redelivery, which the vote_log primary key makes harmless. A message that can never be processed
/// goes to the error queue with a reason header; if a whole batch fails for a non-transient reason, it is retried
/// one vote at a time to isolate the poison. Runs in every instance unless Voting:Consumer:Enabled is false.
/// </summary>
public sealed class VoteConsumer(VoteQueue queue, VotingOptions options, VoteBatchWriter writer, IVoteBatchHooks hooks,
    TallyNotifier notifier, OutboxSignal outboxSignal, ILogger<VoteConsumer> logger) : BackgroundService
{
    private readonly Lock _sessionLock = new();
    private CancellationTokenSource? _session;
    private int _batches;

    /// <summary>
    /// One message and its votes (null: not a vote message, it goes to the error queue); Sender is the trace context
    /// of the request that accepted its first vote (default if none).
    /// </summary>
    private sealed record Delivery(ulong Tag, byte[] Body, ActivityContext Sender, IReadOnlyList<VoteMessage>? Votes)
    {
        public int VoteCount => Votes?.Count ?? 1;
    }

    /// <summary>Total messages acknowledged since start (for tests and logs).</summary>
    public long Acknowledged => Interlocked.Read(ref _acknowledged);
    private long _acknowledged;

    /// <summary>
    /// True while a session is subscribed to the votes queue and has committed a batch or found the queue empty
    /// (readiness of a consumer-only process); false again when the session ends.
    /// </summary>
    public bool IsConsuming => Volatile.Read(ref _consuming);
    private bool _consuming;

    /// <summary>Kills the current session like a crash would (no ack); the consumer reconnects by itself.</summary>
    public void AbortSession()
    {
        lock (_sessionLock)
        {
            _session?.Cancel();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunSessionAsync(stoppingToken);
                failures = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                failures++;
                logger.LogWarning(ex, "Vote consumer session ended; unacknowledged votes will be redelivered. Reconnecting");
                var delay = TimeSpan.FromMilliseconds(Math.Min(5000, 200 * failures));
                await Task.Delay(delay, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task RunSessionAsync(CancellationToken stoppingToken)
    {
        using var session = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        lock (_sessionLock)
        {
            _session = session;
        }
        var ct = session.Token;
        // No automatic recovery: after a connection loss, delivery tags start anew; we start a new session instead.
        await using var connection = await queue.CreateFactory("consumer", automaticRecovery: false).CreateConnectionAsync(ct);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: ct);
        await queue.DeclareAsync(channel, ct);
        await channel.BasicQosAsync(0, options.Prefetch, false, ct);
        await using var errors = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), ct);

        var buffer = Channel.CreateUnbounded<Delivery>(new UnboundedChannelOptions { SingleReader = true });
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, e) =>
        {
            var sender = VoteTelemetry.Source.HasListeners() ? VoteTelemetry.Extract(e.BasicProperties) : default;
            var body = e.Body.ToArray();
            buffer.Writer.TryWrite(new Delivery(e.DeliveryTag, body, sender, VoteMessage.TryParseMany(body)));
            return Task.CompletedTask;
        };
        consumer.ShutdownAsync += (_, e) =>
        {
            buffer.Writer.TryComplete(new InvalidOperationException($"Channel shut down: {e.ReplyCode} {e.ReplyText}"));
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue.Votes, autoAck: false, consumer, ct);
        logger.LogInformation("Vote consumer started on {Queue} (batch {Batch}, prefetch {Prefetch})", queue.Votes, options.BatchSize, options.Prefetch);
        try
        {
            await ConsumeAsync(buffer.Reader, channel, errors, ct);
        }
        finally
        {
            Volatile.Write(ref _consuming, false);
        }
    }

    private async Task ConsumeAsync(ChannelReader<Delivery> reader, IChannel channel, IChannel errors, CancellationToken ct)
    {
        var batch = new List<Delivery>(options.BatchSize);
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            batch.Clear();
            if (!await CollectAsync(reader, batch, ct))
            {
                Volatile.Write(ref _consuming, true); // nothing to count: as ready as after a batch
                if (await writer.FlushSupportEventsAsync(ct))
                {
                    outboxSignal.Notify();
                }
                continue;
            }
            using var activity = VoteTelemetry.StartBatch(queue.Votes, batch, d => d.Sender);
            try
            {
                await ProcessAsync(batch, channel, errors, ct);
                Volatile.Write(ref _consuming, true);
            }
            catch (Exception ex)
            {
                VoteTelemetry.Failed(activity, ex);
                throw;
            }
        }
    }

    /// <summary>Waits up to 1 s for the first message, then collects until the batch is full or the window is over.</summary>
    private async Task<bool> CollectAsync(ChannelReader<Delivery> reader, List<Delivery> batch, CancellationToken ct)
    {
        using (var idle = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            idle.CancelAfter(TimeSpan.FromSeconds(1));
            try
            {
                if (!await reader.WaitToReadAsync(idle.Token))
                {
                    await reader.Completion; // rethrows why the channel was closed
                    throw new InvalidOperationException("The delivery buffer was completed.");
                }
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return false;
            }
        }
        // A batch holds up to BatchSize votes (a delivery may carry several): one transaction of bounded size.
        var window = Stopwatch.StartNew();
        var votes = 0;
        while (votes < options.BatchSize)
        {
            while (votes < options.BatchSize && reader.TryRead(out var delivery))
            {
                batch.Add(delivery);
                votes += delivery.VoteCount;
            }
            var left = options.BatchWindow - window.Elapsed;
            if (votes >= options.BatchSize || left <= TimeSpan.Zero)
            {
                break;
            }
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
            wait.CancelAfter(left);
            try
            {
                if (!await reader.WaitToReadAsync(wait.Token))
                {
                    break;
                }
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                break;
            }
        }
        return batch.Count > 0;
    }

    private async Task ProcessAsync(List<Delivery> batch, IChannel channel, IChannel errors, CancellationToken ct)
    {
        var number = Interlocked.Increment(ref _batches);
        await hooks.AtAsync(VoteBatchStage.Collected, number, ct);

        var poison = new List<(byte[] Body, string Reason)>();
        var messages = new List<VoteMessage>(batch.Count);
        foreach (var delivery in batch)
        {
            if (delivery.Votes is { } votes)
            {
                messages.AddRange(votes);
            }
            else
            {
                poison.Add((delivery.Body, "unparsable"));
            }
        }

        var changed = new HashSet<Guid>();
        var supportEmitted = false;
        if (messages.Count > 0)
        {
            List<BatchOutcome> outcomes;
            try
            {
                outcomes = [await writer.WriteAsync(messages, number, ct)];
            }
            catch (Exception ex) when (IsPoisonCandidate(ex))
            {
                logger.LogWarning(ex, "Vote batch {Batch} failed; retrying its {Count} messages one by one", number, messages.Count);
                outcomes = [];
                foreach (var message in messages)
                {
                    try
                    {
                        outcomes.Add(await writer.WriteAsync([message], number, ct));
                    }
                    catch (Exception single) when (IsPoisonCandidate(single))
                    {
                        var reason = single is PostgresException pg ? $"database-error-{pg.SqlState}" : "processing-error";
                        logger.LogError(single, "Vote {VoteId} of ballot {BallotId} cannot be processed ({Reason}); moved to the error queue",
                            message.VoteId, message.BallotId, reason);
                        poison.Add((message.ToBytes(), reason));
                    }
                }
            }
            foreach (var outcome in outcomes)
            {
                changed.UnionWith(outcome.ChangedBallots);
                supportEmitted |= outcome.SupportEmitted.Count > 0;
                poison.AddRange(outcome.Poison.Select(p => (p.Message.ToBytes(), p.Reason)));
            }
            RecordCounted(outcomes, messages);
        }
        if (poison.Count > 0)
        {
            VoteTelemetry.Counted.Add(poison.Count, new KeyValuePair<string, object?>("outcome", "poison"));
        }

        await hooks.AtAsync(VoteBatchStage.AfterCommit, number, ct);

        foreach (var (body, reason) in poison)
        {
            logger.LogError("A vote message was moved to {Queue}: {Reason}", queue.Errors, reason);
            var properties = new BasicProperties
            {
                Persistent = true,
                ContentType = "application/json",
                Headers = new Dictionary<string, object?> { [VoteQueue.ReasonHeader] = Encoding.UTF8.GetBytes(reason) },
            };
            await errors.BasicPublishAsync("", queue.Errors, mandatory: true, properties, body, ct);
        }

        await channel.BasicAckAsync(batch[^1].Tag, multiple: true, ct);
        Interlocked.Add(ref _acknowledged, batch.Count);

        if (supportEmitted)
        {
            outboxSignal.Notify();
        }
        foreach (var ballotId in changed)
        {
            await notifier.TallyChangedAsync(ballotId);
        }
    }

    private static void RecordCounted(List<BatchOutcome> outcomes, List<VoteMessage> messages)
    {
        if (VoteTelemetry.Counted.Enabled)
        {
            VoteTelemetry.Counted.Add(outcomes.Sum(o => o.NewVotes - o.Rejected), new KeyValuePair<string, object?>("outcome", "counted"));
            VoteTelemetry.Counted.Add(outcomes.Sum(o => o.Duplicates), new KeyValuePair<string, object?>("outcome", "duplicate"));
            VoteTelemetry.Counted.Add(outcomes.Sum(o => o.Rejected), new KeyValuePair<string, object?>("outcome", "rejected"));
        }
        if (VoteTelemetry.QueueLag.Enabled)
        {
            // The sequence is the acceptance time in microseconds (VoteSequence); a redelivered copy shows its full wait.
            var now = DateTimeOffset.UtcNow;
            foreach (var message in messages)
            {
                VoteTelemetry.QueueLag.Record((now - VoteSequence.ToTime(message.Sequence)).TotalSeconds);
            }
        }
    }

    /// <summary>Errors that a single message can cause; anything else (broker, shutdown, test crash) ends the session.</summary>
    private static bool IsPoisonCandidate(Exception ex) =>
        ex is FormatException or ArgumentException or InvalidCastException or OverflowException
        || (ex is PostgresException pg && !VoteBatchWriter.IsTransient(pg));
}

/// <summary>Ready when the vote consumer is subscribed to the votes queue (used where it is all the process does).</summary>
public sealed class VoteConsumerHealthCheck(VoteConsumer consumer) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(consumer.IsConsuming
            ? HealthCheckResult.Healthy("consuming the votes queue")
            : HealthCheckResult.Unhealthy("not consuming the votes queue yet (connecting, or no batch committed)"));
}
