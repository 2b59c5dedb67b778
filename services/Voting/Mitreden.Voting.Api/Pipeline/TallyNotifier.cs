using System.Collections.Concurrent;
using System.Threading.Channels;
using Mitreden.Voting.Api.Domain;
using StackExchange.Redis;

namespace Mitreden.Voting.Api.Pipeline;

/// <summary>
/// "The tally of ballot X changed": published on Redis pub/sub after each committed batch (the message holds only
/// the ballot id), received by every instance, which drops its cached results and wakes its SSE streams.
/// </summary>
public sealed class TallyNotifier(IConnectionMultiplexer redis, VotingOptions options, ResultsReader results, ILogger<TallyNotifier> logger)
{
    private readonly ConcurrentDictionary<Guid, ConcurrentDictionary<Guid, Channel<byte>>> _listeners = new();

    public RedisChannel Channel => RedisChannel.Literal(options.RedisPrefix + "tally-changed");

    public async Task TallyChangedAsync(Guid ballotId)
    {
        Wake(ballotId);
        try
        {
            await redis.GetSubscriber().PublishAsync(Channel, ballotId.ToString("N"));
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not announce a tally change over Redis");
        }
    }

    public Task SubscribeAsync() => redis.GetSubscriber().SubscribeAsync(Channel, (_, message) =>
    {
        if (Guid.TryParseExact(message.ToString(), "N", out var ballotId))
        {
            Wake(ballotId);
        }
    });

    public void Wake(Guid ballotId)
    {
        results.Invalidate(ballotId);
        if (_listeners.TryGetValue(ballotId, out var listeners))
        {
            foreach (var listener in listeners.Values)
            {
                listener.Writer.TryWrite(0);
            }
        }
    }

    /// <summary>A wake-up channel for one SSE stream; dispose to stop listening.</summary>
    public Listener Listen(Guid ballotId)
    {
        var channel = System.Threading.Channels.Channel.CreateBounded<byte>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        var id = Guid.NewGuid();
        _listeners.GetOrAdd(ballotId, _ => new())[id] = channel;
        return new Listener(channel.Reader, () =>
        {
            if (_listeners.TryGetValue(ballotId, out var listeners))
            {
                listeners.TryRemove(id, out _);
            }
        });
    }

    public sealed class Listener(ChannelReader<byte> reader, Action dispose) : IDisposable
    {
        public ChannelReader<byte> Reader { get; } = reader;
        public void Dispose() => dispose();
    }
}

public sealed class TallyNotifierSubscription(TallyNotifier notifier, ILogger<TallyNotifierSubscription> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                await notifier.SubscribeAsync();
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Subscribing to tally changes failed (attempt {Attempt})", attempt);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(attempt, 10)), stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }
}
