using System.Collections.Concurrent;

namespace Mitreden.LoadTests.Engine;

/// <summary>Counts and latencies of one step; thread-safe, filled by the models while requests complete.</summary>
public sealed class StepRecorder(LoadStep step)
{
    private long _issued;
    private long _ok;
    private long _lastCompletion;

    public LoadStep Step { get; } = step;
    public LatencyHistogram Latency { get; } = new();
    public ConcurrentDictionary<string, long> Errors { get; } = new();
    public long StartTicks { get; set; }
    public long EndTicks { get; set; }
    public bool StoppedByBudget { get; set; }

    public long Issued => Volatile.Read(ref _issued);
    public long Ok => Volatile.Read(ref _ok);
    public long ErrorCount => Errors.Values.Sum();
    public long LastCompletionTicks => Volatile.Read(ref _lastCompletion);

    /// <summary>When the last request left the scheduler (open model) — the achieved arrival rate's end.</summary>
    public long LastIssueTicks { get; private set; }

    public void Issue()
    {
        Interlocked.Increment(ref _issued);
        LastIssueTicks = Clock.Now;
    }

    /// <summary>Every completed operation, successful or not, has its latency recorded.</summary>
    public void Complete(Outcome outcome, long latencyMicroseconds, long completedAt)
    {
        Latency.Record(latencyMicroseconds);
        if (outcome.Ok)
        {
            Interlocked.Increment(ref _ok);
        }
        else
        {
            AddError(outcome.Error!);
        }
        long seen;
        while (completedAt > (seen = Volatile.Read(ref _lastCompletion))
               && Interlocked.CompareExchange(ref _lastCompletion, completedAt, seen) != seen)
        {
        }
    }

    /// <summary>An operation that was never sent (client saturated): an error without a latency.</summary>
    public void AddError(string kind) => Errors.AddOrUpdate(kind, 1, static (_, n) => n + 1);

    public StepSummary Summarize()
    {
        var end = Math.Max(EndTicks, LastCompletionTicks);
        var seconds = Math.Max(Clock.Seconds(end - StartTicks), 1e-6);
        // The arrival rate achieved by the scheduler: requests over the planned window, or longer if it fell behind.
        var sendSeconds = StoppedByBudget
            ? Clock.Seconds(LastIssueTicks - StartTicks)
            : Math.Max(Step.Duration.TotalSeconds, Clock.Seconds(LastIssueTicks - StartTicks));
        return new StepSummary(
            Step.Label, Step.Model.ToString().ToLowerInvariant(), Step.Warmup, Step.Rate, Step.Users,
            Step.Duration.TotalSeconds, Math.Round(seconds, 3), Issued, Ok,
            Errors.OrderByDescending(e => e.Value).ToDictionary(e => e.Key, e => e.Value),
            Math.Round(Ok / seconds, 1), Math.Round(Issued / Math.Max(sendSeconds, 1e-6), 1),
            Ms(Latency.Percentile(50)), Ms(Latency.Percentile(90)), Ms(Latency.Percentile(99)),
            Ms(Latency.Percentile(99.9)), Ms(Latency.Max), Latency.Count, StoppedByBudget);
    }

    private static double Ms(long microseconds) => Math.Round(microseconds / 1000.0, 2);
}

/// <summary>The figures of one step, as reported (milliseconds, operations per second).</summary>
public sealed record StepSummary(
    string Label, string Model, bool Warmup, double TargetRate, int Users, double PlannedSeconds, double ElapsedSeconds,
    long Issued, long Ok, IReadOnlyDictionary<string, long> Errors, double OkPerSecond, double SentPerSecond,
    double P50Ms, double P90Ms, double P99Ms, double P999Ms, double MaxMs, long Samples, bool StoppedByBudget)
{
    public long ErrorCount => Errors.Values.Sum();
    public double ErrorRate => Issued == 0 ? 0 : (double)ErrorCount / Issued;
}
