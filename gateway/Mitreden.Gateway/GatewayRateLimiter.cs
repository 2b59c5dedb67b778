using System.Threading.RateLimiting;

namespace Mitreden.Gateway;

/// <summary>One bucket a request must take a token from.</summary>
public readonly record struct BucketTake(string Key, BucketRule Rule);

/// <summary>Which buckets a request draws from (its route's policy, and the write limits for votes and comments).</summary>
public interface IRateRules
{
    /// <summary>Fills <paramref name="takes"/> (room for <see cref="MaxTakes"/>) and returns how many apply.</summary>
    int Fill(HttpContext context, Span<BucketTake> takes);

    const int MaxTakes = 4;
}

/// <summary>
/// The gateway's one rate limiter: every bucket a request is subject to, taken in order from one
/// <see cref="TokenBuckets"/> store; refused at the first empty one, with Retry-After from that bucket.
/// </summary>
public sealed class GatewayRateLimiter(TokenBuckets buckets, IRateRules rules) : PartitionedRateLimiter<HttpContext>
{
    public override RateLimiterStatistics? GetStatistics(HttpContext resource) => null;

    protected override RateLimitLease AttemptAcquireCore(HttpContext resource, int permitCount)
    {
        var buffer = new TakeBuffer();
        Span<BucketTake> takes = buffer;
        var count = rules.Fill(resource, takes);
        for (var i = 0; i < count; i++)
        {
            if (!buckets.TryTake(takes[i].Key, takes[i].Rule, out var retryAfter))
            {
                return new Lease(false, retryAfter);
            }
        }
        return Lease.Granted;
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(HttpContext resource, int permitCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttemptAcquireCore(resource, permitCount));

    [System.Runtime.CompilerServices.InlineArray(IRateRules.MaxTakes)]
    private struct TakeBuffer
    {
        private BucketTake _first;
    }

    private sealed class Lease(bool acquired, TimeSpan retryAfter) : RateLimitLease
    {
        public static readonly Lease Granted = new(true, TimeSpan.Zero);

        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => acquired ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            if (!acquired && metadataName == MetadataName.RetryAfter.Name)
            {
                metadata = retryAfter;
                return true;
            }
            metadata = null;
            return false;
        }
    }
}
