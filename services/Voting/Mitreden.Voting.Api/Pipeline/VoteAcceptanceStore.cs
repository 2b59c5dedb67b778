using System.Text.Json;
using StackExchange.Redis;

namespace Mitreden.Voting.Api.Pipeline;

/// <summary>The receipt a voter got, with the message it stands for (so a retry can publish exactly the same).</summary>
public sealed record StoredReceipt(Guid VoteId, long Sequence, string ReceiptHash, string Choices, string Message);

/// <summary>
/// What the vote path keeps in Redis (all of it optional for correctness, which the consumer guarantees):
/// idempotency records (SET NX, 24 h), an accepted-votes counter per ballot (the close's second lower bound; its
/// count of record is <see cref="AcceptedVotes"/> in PostgreSQL), receipts not yet consumed, and the voter's pending
/// vote for "my vote".
/// </summary>
public sealed class VoteAcceptanceStore(IConnectionMultiplexer redis, VotingOptions options, ILogger<VoteAcceptanceStore> logger)
{
    private static readonly TimeSpan Retention = TimeSpan.FromHours(24);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private const string AcceptScript = """
        if ARGV[4] == '1' then redis.call('HINCRBY', KEYS[1], ARGV[1], 1) end
        redis.call('SET', KEYS[2], ARGV[1], 'EX', ARGV[3])
        redis.call('SET', KEYS[3], ARGV[2], 'EX', ARGV[3])
        return 1
        """;

    private string P => options.RedisPrefix;

    private string IdempotencyKey(string voterKeyHex, string key) => $"{P}idem:{voterKeyHex}:{key}";

    /// <summary>Reserves the idempotency key for this receipt; returns the earlier receipt if the key was used before.</summary>
    public async Task<(bool Reserved, StoredReceipt? Existing)> ReserveAsync(string voterKeyHex, string key, StoredReceipt receipt)
    {
        var redisKey = IdempotencyKey(voterKeyHex, key);
        if (await redis.GetDatabase().StringSetAsync(redisKey, JsonSerializer.Serialize(receipt, Json), Retention, When.NotExists))
        {
            return (true, null);
        }
        var existing = await redis.GetDatabase().StringGetAsync(redisKey);
        return (false, existing.IsNull ? null : JsonSerializer.Deserialize<StoredReceipt>(existing.ToString(), Json));
    }

    /// <summary>After the broker confirmed: count it as accepted (once), remember the receipt and the pending vote.</summary>
    public async Task AcceptedAsync(Guid ballotId, string voterKeyHex, StoredReceipt receipt, bool countAsNew)
    {
        try
        {
            await redis.GetDatabase().ScriptEvaluateAsync(AcceptScript,
                [AcceptedKey, $"{P}receipt:{receipt.ReceiptHash}", PendingKey(ballotId, voterKeyHex)],
                [ballotId.ToString("N"), JsonSerializer.Serialize(receipt, Json), (int)Retention.TotalSeconds, countAsNew ? "1" : "0"]);
        }
        catch (Exception ex)
        {
            // The vote is safe in the queue; only the close's wait and the "pending" display lose precision.
            logger.LogWarning(ex, "Could not record an accepted vote of ballot {BallotId} in Redis", ballotId);
        }
    }

    private string AcceptedKey => $"{P}accepted";

    private string PendingKey(Guid ballotId, string voterKeyHex) => $"{P}pending:{ballotId:N}:{voterKeyHex}";

    public async Task<long> AcceptedCountAsync(Guid ballotId)
    {
        var value = await redis.GetDatabase().HashGetAsync(AcceptedKey, ballotId.ToString("N"));
        return value.IsNull ? 0 : (long)value;
    }

    public async Task<StoredReceipt?> PendingAsync(Guid ballotId, string voterKeyHex)
    {
        try
        {
            var value = await redis.GetDatabase().StringGetAsync(PendingKey(ballotId, voterKeyHex));
            return value.IsNull ? null : JsonSerializer.Deserialize<StoredReceipt>(value.ToString(), Json);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not read the pending vote from Redis");
            return null;
        }
    }

    /// <summary>The ballot of a receipt accepted in the last 24 h (null when unknown or Redis is away).</summary>
    public async Task<Guid?> ReceiptBallotAsync(string receiptHash)
    {
        try
        {
            var value = await redis.GetDatabase().StringGetAsync($"{P}receipt:{receiptHash}");
            return Guid.TryParseExact(value.ToString(), "N", out var id) ? id : null;
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not read a receipt from Redis");
            return null;
        }
    }
}
