using Mitreden.ServiceDefaults.Configuration;

namespace Mitreden.Voting.Api;

/// <summary>Settings of the vote path (section "Voting"); the voter-key secret is required.</summary>
public sealed class VotingOptions
{
    /// <summary>Key of the HMAC that turns (account, ballot) into the pseudonymous voter key. Base64, 32 bytes.</summary>
    public required byte[] VoterKeySecret { get; init; }

    /// <summary>Prefix of every Redis key and channel of this service (tests use their own).</summary>
    public string RedisPrefix { get; init; } = "voting:";

    public string VotesQueue { get; init; } = "votes";
    public string ErrorQueue { get; init; } = "votes-error";

    /// <summary>Serves the HTTP API in this process (off for a consumer-only process: voting-consumer).</summary>
    public bool ApiEnabled { get; init; } = true;

    /// <summary>Runs the vote consumer in this process (off for pure API instances).</summary>
    public bool ConsumerEnabled { get; init; } = true;

    public int BatchSize { get; init; } = 500;
    public TimeSpan BatchWindow { get; init; } = TimeSpan.FromMilliseconds(50);
    public ushort Prefetch { get; init; } = 500;

    /// <summary>Channels the publisher spreads votes over; each carries many votes awaiting their confirms at once.</summary>
    public int PublisherChannels { get; init; } = 24;
    public TimeSpan PublishTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// After a ballot's end, the final count waits at least this long, so votes that were accepted just before the
    /// end and are still being confirmed by the broker are counted (≥ <see cref="PublishTimeout"/>).
    /// </summary>
    public TimeSpan CloseGrace { get; init; } = TimeSpan.FromSeconds(6);
    public TimeSpan CloseDrainTimeout { get; init; } = TimeSpan.FromMinutes(5);
    public TimeSpan CloserInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>ItemSupportChanged is emitted at most this often per ballot.</summary>
    public TimeSpan SupportEventInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long results are served from memory.</summary>
    public TimeSpan ResultsCacheTime { get; init; } = TimeSpan.FromMilliseconds(250);

    public static VotingOptions From(IConfiguration configuration)
    {
        var section = configuration.GetSection("Voting");
        var publishTimeout = section.GetValue("PublishTimeout", TimeSpan.FromSeconds(5));
        var options = new VotingOptions
        {
            VoterKeySecret = configuration.GetRequiredSecret("Voting:VoterKeySecret"),
            RedisPrefix = section.GetValue("RedisPrefix", "voting:")!,
            VotesQueue = section.GetValue("VotesQueue", "votes")!,
            ErrorQueue = section.GetValue("ErrorQueue", "votes-error")!,
            ApiEnabled = section.GetValue("Api:Enabled", true),
            ConsumerEnabled = section.GetValue("Consumer:Enabled", true),
            BatchSize = section.GetValue("Consumer:BatchSize", 500),
            BatchWindow = section.GetValue("Consumer:BatchWindow", TimeSpan.FromMilliseconds(50)),
            Prefetch = section.GetValue<ushort>("Consumer:Prefetch", 500),
            PublisherChannels = section.GetValue("PublisherChannels", 24),
            PublishTimeout = publishTimeout,
            CloseGrace = section.GetValue("CloseGrace", publishTimeout + TimeSpan.FromSeconds(1)),
            CloseDrainTimeout = section.GetValue("CloseDrainTimeout", TimeSpan.FromMinutes(5)),
            CloserInterval = section.GetValue("CloserInterval", TimeSpan.FromSeconds(1)),
            SupportEventInterval = section.GetValue("SupportEventInterval", TimeSpan.FromSeconds(1)),
            ResultsCacheTime = section.GetValue("ResultsCacheTime", TimeSpan.FromMilliseconds(250)),
        };
        if (options.BatchSize is < 1 or > 5000 || options.Prefetch < options.BatchSize || options.PublisherChannels is < 1 or > 256)
        {
            throw new InvalidOperationException("Voting: BatchSize must be 1..5000, Prefetch ≥ BatchSize, PublisherChannels 1..256.");
        }
        if (options.CloseGrace < options.PublishTimeout)
        {
            throw new InvalidOperationException("Voting:CloseGrace must be at least Voting:PublishTimeout.");
        }
        return options;
    }
}
