using Mitreden.LoadTests.Engine;

namespace Mitreden.LoadTests.Tests;

public class LatencyHistogramTests
{
    [Fact]
    public void Percentile_LogNormalSamples_WithinOnePercentOfExactSort()
    {
        var random = new Random(42);
        var samples = new long[200_000];
        for (var i = 0; i < samples.Length; i++)
        {
            // log-normal around ~3 ms with a long tail up to seconds, like real latencies
            var normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            samples[i] = (long)Math.Exp(8 + 1.5 * normal);
        }
        var histogram = new LatencyHistogram();
        foreach (var s in samples)
        {
            histogram.Record(s);
        }
        var sorted = samples.Order().ToArray();

        foreach (var p in new[] { 1.0, 10, 50, 90, 99, 99.9, 99.99 })
        {
            var exact = sorted[(int)Math.Ceiling(p / 100 * sorted.Length) - 1];
            var estimate = histogram.Percentile(p);
            Math.Abs(estimate - exact).Should().BeLessThanOrEqualTo(Math.Max(1, (long)(exact * 0.01)),
                $"p{p}: exact {exact} µs, histogram {estimate} µs");
        }
        histogram.Max.Should().Be(sorted[^1]);
        histogram.Min.Should().Be(sorted[0]);
        histogram.Count.Should().Be(samples.Length);
    }

    [Fact]
    public void Percentile_SmallValues_Exact()
    {
        var histogram = new LatencyHistogram();
        for (var v = 1; v <= 100; v++)
        {
            histogram.Record(v);
        }
        histogram.Percentile(50).Should().Be(50);
        histogram.Percentile(99).Should().Be(99);
        histogram.Percentile(100).Should().Be(100);
    }

    [Fact]
    public void BucketRange_EveryBucket_AtMostOneHundredTwentyEighthOfItsValue()
    {
        for (var i = 256; i <= LatencyHistogram.IndexOf(LatencyHistogram.HighestTrackable); i++)
        {
            var (low, width) = LatencyHistogram.BucketRange(i);
            LatencyHistogram.IndexOf(low).Should().Be(i);
            LatencyHistogram.IndexOf(low + width - 1).Should().Be(i);
            ((double)width / low).Should().BeLessThanOrEqualTo(1.0 / 128);
        }
    }

    [Fact]
    public async Task Record_FromManyThreads_LosesNothing()
    {
        var histogram = new LatencyHistogram();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 50_000; i++)
            {
                histogram.Record(i % 5000 + t);
            }
        })));
        histogram.Count.Should().Be(400_000);
        histogram.Max.Should().Be(4999 + 7);
        histogram.CountAtOrAbove(0).Should().Be(400_000);
    }

    [Fact]
    public void Record_HugeAndNegativeValues_ClampedButMaxKept()
    {
        var histogram = new LatencyHistogram();
        histogram.Record(-5);
        histogram.Record(long.MaxValue / 2);
        histogram.Count.Should().Be(2);
        histogram.Percentile(100).Should().Be(long.MaxValue / 2);
        histogram.Percentile(50).Should().Be(0);
    }
}
