using Microsoft.Extensions.Options;

namespace Mitreden.Voting.Api;

/// <summary>
/// Settings of the vote path (section "Voting"), bound from configuration and checked at start: a wrong value stops the
/// start with a message naming its key. The voter-key secret is required.
/// </summary>
public sealed class VotingOptions
{
    public const string Section = "Voting";

    /// <summary>Key of the HMAC that turns (account, ballot) into the pseudonymous voter key. Base64, at least 32 bytes.</summary>
    public byte[] VoterKeySecret { get; set; } = [];

    /// <summary>Prefix of every Redis key and channel of this service (tests use their own).</summary>
    public string RedisPrefix { get; set; } = "voting:";

    public string VotesQueue { get; set; } = "votes";
    public string ErrorQueue { get; set; } = "votes-error";

    /// <summary>Keys Voting:Api:*.</summary>
    public ApiSettings Api { get; set; } = new();

    /// <summary>Keys Voting:Consumer:*.</summary>
    public ConsumerSettings Consumer { get; set; } = new();

    /// <summary>Serves the HTTP API in this process (off for a consumer-only process: voting-consumer).</summary>
    public bool ApiEnabled => Api.Enabled;

    /// <summary>Runs the vote consumer in this process (off for pure API instances).</summary>
    public bool ConsumerEnabled => Consumer.Enabled;

    public int BatchSize => Consumer.BatchSize;
    public TimeSpan BatchWindow => Consumer.BatchWindow;
    public ushort Prefetch => Consumer.Prefetch;

    /// <summary>Channels the publisher spreads votes over; each carries many votes awaiting their confirms at once.</summary>
    public int PublisherChannels { get; set; } = 24;
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Most votes one broker message carries: votes that wait for the broker while a message is being confirmed go
    /// out together in the next one (a JSON array), one publish and one confirm for all. 1 = one vote per message.
    /// </summary>
    public int VotesPerMessage { get; set; } = 64;

    /// <summary>Messages of coalesced votes that may await their confirms at once (fewer: more votes per message).</summary>
    public int PublishSenders { get; set; } = 4;

    private TimeSpan? _closeGrace;

    /// <summary>
    /// After a ballot's end, the final count waits at least this long, so votes that were accepted just before the
    /// end and are still being confirmed by the broker are counted (≥ <see cref="PublishTimeout"/>; unset: one second more).
    /// </summary>
    public TimeSpan CloseGrace
    {
        get => _closeGrace ?? PublishTimeout + TimeSpan.FromSeconds(1);
        set => _closeGrace = value;
    }

    public TimeSpan CloseDrainTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a staff request to close a ballot waits for the final count before it answers 202 (below the gateway's 30 s).</summary>
    public TimeSpan CloseRequestWait { get; set; } = TimeSpan.FromSeconds(20);
    public TimeSpan CloserInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>ItemSupportChanged is emitted at most this often per ballot.</summary>
    public TimeSpan SupportEventInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long results are served from memory.</summary>
    public TimeSpan ResultsCacheTime { get; set; } = TimeSpan.FromMilliseconds(250);

    public sealed class ApiSettings
    {
        public bool Enabled { get; set; } = true;
    }

    public sealed class ConsumerSettings
    {
        public bool Enabled { get; set; } = true;
        public int BatchSize { get; set; } = 500;
        public TimeSpan BatchWindow { get; set; } = TimeSpan.FromMilliseconds(50);
        public ushort Prefetch { get; set; } = 500;
    }

    /// <summary>Binds section "Voting" and checks it at start, each rule with the key it is about.</summary>
    public static OptionsBuilder<VotingOptions> Add(IServiceCollection services) =>
        services.AddOptions<VotingOptions>().BindConfiguration(Section)
            .Validate(o => o.VoterKeySecret.Length >= 32, "Voting:VoterKeySecret is required: base64 of at least 32 random bytes.")
            .Validate(o => o.BatchSize is >= 1 and <= 5000, "Voting:Consumer:BatchSize must be between 1 and 5000.")
            .Validate(o => o.Prefetch >= o.BatchSize, "Voting:Consumer:Prefetch must be at least Voting:Consumer:BatchSize.")
            .Validate(o => o.BatchWindow > TimeSpan.Zero, "Voting:Consumer:BatchWindow must be a positive time span.")
            .Validate(o => o.PublisherChannels is >= 1 and <= 256, "Voting:PublisherChannels must be between 1 and 256.")
            .Validate(o => o.PublishTimeout > TimeSpan.Zero, "Voting:PublishTimeout must be a positive time span.")
            .Validate(o => o.VotesPerMessage is >= 1 and <= 1000, "Voting:VotesPerMessage must be between 1 and 1000.")
            .Validate(o => o.PublishSenders is >= 1 and <= 256, "Voting:PublishSenders must be between 1 and 256.")
            .Validate(o => o.CloseGrace >= o.PublishTimeout, "Voting:CloseGrace must be at least Voting:PublishTimeout.")
            .Validate(o => o.CloseRequestWait >= TimeSpan.Zero && o.CloseRequestWait < TimeSpan.FromSeconds(30),
                "Voting:CloseRequestWait must be between 00:00:00 and 00:00:30 (the gateway's activity timeout for Voting).")
            .Validate(o => o.CloserInterval > TimeSpan.Zero && o.SupportEventInterval > TimeSpan.Zero && o.ResultsCacheTime >= TimeSpan.Zero,
                "Voting:CloserInterval and Voting:SupportEventInterval must be positive, Voting:ResultsCacheTime not negative.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.RedisPrefix) && !string.IsNullOrWhiteSpace(o.VotesQueue) && !string.IsNullOrWhiteSpace(o.ErrorQueue),
                "Voting:RedisPrefix, Voting:VotesQueue and Voting:ErrorQueue must not be empty.")
            .ValidateOnStart();
}
