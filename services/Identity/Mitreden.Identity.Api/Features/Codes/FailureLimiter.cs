using System.Globalization;
using StackExchange.Redis;

namespace Mitreden.Identity.Api.Features.Codes;

/// <summary>
/// Counts failed attempts (or all attempts, <see cref="HitAsync"/>) per subject (a user, an address) in Redis, in a
/// window that starts with the first one. At the limit every further attempt is refused until the window ends.
/// </summary>
public sealed class FailureLimiter(IConnectionMultiplexer redis, IdentitySettings settings)
{
    // Returns the remaining window in ms when the limit is reached, otherwise -3.
    private const string CheckScript = """
        local count = tonumber(redis.call('GET', KEYS[1]) or '0')
        if count >= tonumber(ARGV[1]) then return redis.call('PTTL', KEYS[1]) end
        return -3
        """;

    private const string FailScript = """
        local count = redis.call('INCR', KEYS[1])
        if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
        return count
        """;

    // Counts one attempt; returns the remaining window in ms when the count is past the limit, otherwise -3.
    private const string HitScript = """
        local count = redis.call('INCR', KEYS[1])
        if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
        if count > tonumber(ARGV[1]) then return redis.call('PTTL', KEYS[1]) end
        return -3
        """;

    /// <summary>Counts an attempt (right or wrong) and says how long to wait when it is one too many.</summary>
    public async Task<TimeSpan?> HitAsync(string bucket, string subject, int limit, TimeSpan window)
    {
        var remaining = (long)await redis.GetDatabase().ScriptEvaluateAsync(HitScript, [Key(bucket, subject)], [limit, (long)window.TotalMilliseconds]);
        return remaining == -3 ? null : TimeSpan.FromMilliseconds(Math.Max(remaining, 1000));
    }

    public async Task ForgetAsync(string bucket, string subject) => await redis.GetDatabase().KeyDeleteAsync(Key(bucket, subject));

    public async Task<TimeSpan?> RetryAfterAsync(string bucket, string subject, int limit)
    {
        var remaining = (long)await redis.GetDatabase().ScriptEvaluateAsync(CheckScript, [Key(bucket, subject)], [limit]);
        return remaining == -3 ? null : TimeSpan.FromMilliseconds(Math.Max(remaining, 1000));
    }

    public async Task RecordFailureAsync(string bucket, string subject, TimeSpan window) =>
        await redis.GetDatabase().ScriptEvaluateAsync(FailScript, [Key(bucket, subject)], [(long)window.TotalMilliseconds]);

    public string Key(string bucket, string subject) => $"{settings.RedisKeyPrefix}:{bucket}:{subject}";

    public static string RetryAfterHeader(TimeSpan wait) => ((long)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}
