using System.Collections.Concurrent;

namespace Mitreden.Gateway;

/// <summary>A sustained rate and a burst: a full bucket holds <see cref="Burst"/> tokens and refills at <see cref="PerSecond"/>.</summary>
public readonly record struct BucketRule(double PerSecond, int Burst)
{
    public static BucketRule PerMinute(int perMinute, int burst) => new(Math.Max(1, perMinute) / 60.0, Math.Max(1, burst));

    /// <summary>After this long without use a bucket is full again, i.e. no different from a new one.</summary>
    public TimeSpan RefillTime => TimeSpan.FromSeconds(Burst / PerSecond);
}

/// <summary>
/// Token buckets by key (an account or an address) without timers. A bucket refills lazily when it is used; a
/// bucket unused long enough to be full again is dropped by a sweep that runs at most once per sweep interval on
/// a calling thread. The framework's partitioned limiter instead wakes ten times a second and walks every
/// partition under one lock — with one partition per voter that walk was a tenth of the gateway's CPU under
/// load (loadtests/README.md).
/// </summary>
public sealed class TokenBuckets(TimeProvider time, TimeSpan sweepInterval, int maxBuckets = 2_000_000)
{
    private sealed class Bucket(double tokens, long stamp)
    {
        public double Tokens = tokens;
        public long Stamp = stamp;
        public long RefillTicks;   // idle this long, the bucket is full again
        public bool Removed;
    }

    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private readonly long _sweepTicks = (long)(sweepInterval.TotalSeconds * time.TimestampFrequency);
    private long _nextSweep = time.GetTimestamp() + (long)(sweepInterval.TotalSeconds * time.TimestampFrequency);
    private long _lastSweep = time.GetTimestamp();
    private int _sweeping;

    public TokenBuckets(TimeProvider time) : this(time, TimeSpan.FromSeconds(10))
    {
    }

    public int Count => _buckets.Count;

    /// <summary>Takes one token of the bucket <paramref name="key"/>; when empty, says how long until the next token.</summary>
    public bool TryTake(string key, BucketRule rule, out TimeSpan retryAfter)
    {
        var now = time.GetTimestamp();
        // Over the cap (a flood of addresses), sweep sooner — but at most once a second, the walk is O(n).
        if (now >= Volatile.Read(ref _nextSweep)
            || (_buckets.Count >= maxBuckets && now >= Volatile.Read(ref _lastSweep) + time.TimestampFrequency))
        {
            Sweep(now);
        }
        while (true)
        {
            var bucket = _buckets.GetOrAdd(key, static (_, state) => new Bucket(state.Burst, state.Now), (rule.Burst, Now: now));
            lock (bucket)
            {
                if (bucket.Removed)
                {
                    continue; // swept between lookup and lock: take a fresh one
                }
                var elapsed = Math.Max(0, now - bucket.Stamp) / (double)time.TimestampFrequency;
                bucket.Tokens = Math.Min(rule.Burst, bucket.Tokens + elapsed * rule.PerSecond);
                bucket.Stamp = Math.Max(bucket.Stamp, now);
                bucket.RefillTicks = (long)Math.Ceiling(rule.Burst / rule.PerSecond * time.TimestampFrequency);
                if (bucket.Tokens >= 1 - 1e-6)   // rounding of the refill must not cost a whole token
                {
                    bucket.Tokens = Math.Max(0, bucket.Tokens - 1);
                    retryAfter = TimeSpan.Zero;
                    return true;
                }
                retryAfter = TimeSpan.FromTicks((long)Math.Ceiling((1 - bucket.Tokens) / rule.PerSecond * TimeSpan.TicksPerSecond));
                return false;
            }
        }
    }

    /// <summary>Drops buckets that have been idle long enough to be full again (they would start full anyway).</summary>
    private void Sweep(long now)
    {
        if (Interlocked.Exchange(ref _sweeping, 1) == 1)
        {
            return;
        }
        try
        {
            Volatile.Write(ref _nextSweep, now + _sweepTicks);
            Volatile.Write(ref _lastSweep, now);
            foreach (var (key, bucket) in _buckets)
            {
                lock (bucket)
                {
                    if (!bucket.Removed && now - bucket.Stamp >= bucket.RefillTicks)
                    {
                        bucket.Removed = true;
                        _buckets.TryRemove(new KeyValuePair<string, Bucket>(key, bucket));
                    }
                }
            }
        }
        finally
        {
            Volatile.Write(ref _sweeping, 0);
        }
    }
}
