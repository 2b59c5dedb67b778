namespace Mitreden.LoadTests.Engine;

/// <summary>
/// Every latency, in microseconds, in an HDR-style log-linear histogram: values below 256 µs have a bucket each;
/// above, every power of two is split into 128 equal buckets, so a bucket is at most 1/128 of its value wide and
/// its midpoint is within 0.4 % of every value in it. Nothing is averaged away: the count per bucket is exact,
/// the maximum is kept exactly, and recording is one lock-free increment (safe from any number of threads).
/// </summary>
public sealed class LatencyHistogram
{
    private const int SubBucketBits = 7;
    private const int SubBuckets = 1 << SubBucketBits;          // 128 buckets per power of two
    private const int LinearLimit = SubBuckets * 2;             // 0..255 µs: one bucket per microsecond
    private const int MaxExponent = 40;                         // 2^40 µs ≈ 12.7 days: anything above is clamped

    /// <summary>Largest value with its own bucket; larger ones are counted there (and still reach <see cref="Max"/>).</summary>
    public const long HighestTrackable = (1L << MaxExponent) - 1;

    private readonly long[] _counts = new long[IndexOf(HighestTrackable) + 1];
    private long _total;
    private long _max;
    private long _min = long.MaxValue;
    private long _sum;

    public long Count => Volatile.Read(ref _total);
    public long Max => Count == 0 ? 0 : Volatile.Read(ref _max);
    public long Min => Count == 0 ? 0 : Volatile.Read(ref _min);
    public double Mean => Count == 0 ? 0 : (double)Volatile.Read(ref _sum) / Count;

    public void Record(long microseconds)
    {
        if (microseconds < 0)
        {
            microseconds = 0;
        }
        Interlocked.Increment(ref _counts[IndexOf(Math.Min(microseconds, HighestTrackable))]);
        Interlocked.Increment(ref _total);
        Interlocked.Add(ref _sum, microseconds);
        long seen;
        while (microseconds > (seen = Volatile.Read(ref _max)) && Interlocked.CompareExchange(ref _max, microseconds, seen) != seen)
        {
        }
        while (microseconds < (seen = Volatile.Read(ref _min)) && Interlocked.CompareExchange(ref _min, microseconds, seen) != seen)
        {
        }
    }

    /// <summary>
    /// The value at percentile <paramref name="percent"/> (0..100): the smallest recorded value such that at least
    /// that share of all values is less or equal ("nearest rank"), reported as its bucket's midpoint.
    /// 100 returns the exact maximum.
    /// </summary>
    public long Percentile(double percent)
    {
        var total = Count;
        if (total == 0)
        {
            return 0;
        }
        if (percent >= 100)
        {
            return Max;
        }
        var rank = Math.Max(1, (long)Math.Ceiling(percent / 100.0 * total));
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += Volatile.Read(ref _counts[i]);
            if (seen >= rank)
            {
                var (low, width) = BucketRange(i);
                var mid = low + (width - 1) / 2;
                return Math.Clamp(mid, Min, Max);   // the first and last bucket never report past the real extremes
            }
        }
        return Max;
    }

    /// <summary>How many recorded values are at or above <paramref name="microseconds"/> (to bucket precision).</summary>
    public long CountAtOrAbove(long microseconds)
    {
        long n = 0;
        for (var i = IndexOf(Math.Clamp(microseconds, 0, HighestTrackable)); i < _counts.Length; i++)
        {
            n += Volatile.Read(ref _counts[i]);
        }
        return n;
    }

    public void Add(LatencyHistogram other)
    {
        for (var i = 0; i < _counts.Length; i++)
        {
            var c = Volatile.Read(ref other._counts[i]);
            if (c != 0)
            {
                Interlocked.Add(ref _counts[i], c);
            }
        }
        if (other.Count == 0)
        {
            return;
        }
        Interlocked.Add(ref _total, other.Count);
        Interlocked.Add(ref _sum, Volatile.Read(ref other._sum));
        _max = Math.Max(_max, other.Max);
        _min = Math.Min(_min, other.Min);
    }

    internal static int IndexOf(long value)
    {
        if (value < LinearLimit)
        {
            return (int)value;
        }
        var msb = 63 - System.Numerics.BitOperations.LeadingZeroCount((ulong)value);   // >= 8
        var shift = msb - SubBucketBits;                                                 // >= 1
        var mantissa = (int)(value >> shift);                                            // 128..255
        return LinearLimit + (shift - 1) * SubBuckets + (mantissa - SubBuckets);
    }

    /// <summary>Lowest value and width of bucket <paramref name="index"/>.</summary>
    internal static (long Low, long Width) BucketRange(int index)
    {
        if (index < LinearLimit)
        {
            return (index, 1);
        }
        var shift = (index - LinearLimit) / SubBuckets + 1;
        var mantissa = (index - LinearLimit) % SubBuckets + SubBuckets;
        return ((long)mantissa << shift, 1L << shift);
    }
}
