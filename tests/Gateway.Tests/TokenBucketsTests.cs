using Microsoft.Extensions.Time.Testing;

namespace Mitreden.Gateway.Tests;

public sealed class TokenBucketsTests
{
    private static int TakeAll(TokenBuckets buckets, string key, BucketRule rule, int attempts)
    {
        var taken = 0;
        for (var i = 0; i < attempts; i++)
        {
            if (buckets.TryTake(key, rule, out _))
            {
                taken++;
            }
        }
        return taken;
    }

    [Fact]
    public void TryTake_FullBucket_AllowsTheBurstThenRefuses()
    {
        var buckets = new TokenBuckets(new FakeTimeProvider());
        var rule = new BucketRule(PerSecond: 1, Burst: 5);

        TakeAll(buckets, "user:a", rule, 8).Should().Be(5);
    }

    [Fact]
    public void TryTake_Empty_SaysWhenTheNextTokenComes()
    {
        var time = new FakeTimeProvider();
        var buckets = new TokenBuckets(time);
        var rule = BucketRule.PerMinute(6, burst: 1);   // one token every 10 s
        buckets.TryTake("k", rule, out _).Should().BeTrue();

        time.Advance(TimeSpan.FromSeconds(4));
        buckets.TryTake("k", rule, out var retryAfter).Should().BeFalse();

        retryAfter.TotalSeconds.Should().BeApproximately(6, 0.01);
        time.Advance(retryAfter);
        buckets.TryTake("k", rule, out _).Should().BeTrue();
    }

    [Fact]
    public void TryTake_Refill_IsAtTheRateAndNeverAboveTheBurst()
    {
        var time = new FakeTimeProvider();
        var buckets = new TokenBuckets(time);
        var rule = new BucketRule(PerSecond: 10, Burst: 20);
        TakeAll(buckets, "k", rule, 20).Should().Be(20);

        time.Advance(TimeSpan.FromSeconds(1));
        TakeAll(buckets, "k", rule, 50).Should().Be(10);

        time.Advance(TimeSpan.FromHours(1));
        TakeAll(buckets, "k", rule, 50).Should().Be(20);
    }

    [Fact]
    public void TryTake_Keys_AreIndependent()
    {
        var buckets = new TokenBuckets(new FakeTimeProvider());
        var rule = new BucketRule(PerSecond: 1, Burst: 2);

        TakeAll(buckets, "user:a", rule, 5).Should().Be(2);
        TakeAll(buckets, "user:b", rule, 5).Should().Be(2);
    }

    [Fact]
    public void Sweep_DropsOnlyBucketsThatWouldBeFullAgain()
    {
        var time = new FakeTimeProvider();
        var buckets = new TokenBuckets(time, sweepInterval: TimeSpan.FromSeconds(10));
        var fast = new BucketRule(PerSecond: 10, Burst: 10);     // full again after 1 s
        var slow = BucketRule.PerMinute(6, burst: 5);             // full again after 50 s
        TakeAll(buckets, "fast", fast, 10);
        TakeAll(buckets, "slow", slow, 5);

        time.Advance(TimeSpan.FromSeconds(11));
        buckets.TryTake("trigger", fast, out _).Should().BeTrue();   // runs the sweep

        buckets.Count.Should().Be(2, "the fast bucket is full again and dropped; the slow one still remembers its debt");
        buckets.TryTake("slow", slow, out _).Should().BeTrue("11 s refilled one token of the slow bucket");
        buckets.TryTake("slow", slow, out _).Should().BeFalse("a dropped slow bucket would have started full");
    }

    [Fact]
    public void TryTake_ManyThreads_NeverHandOutMoreThanTheBurst()
    {
        var buckets = new TokenBuckets(new FakeTimeProvider());
        var rule = new BucketRule(PerSecond: 0.001, Burst: 1000);
        var taken = 0;

        Parallel.For(0, 8, worker =>
        {
            for (var i = 0; i < 1000; i++)
            {
                if (buckets.TryTake("shared", rule, out _))
                {
                    Interlocked.Increment(ref taken);
                }
            }
        });

        taken.Should().Be(1000);
    }
}
