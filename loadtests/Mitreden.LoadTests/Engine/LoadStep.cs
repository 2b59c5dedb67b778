using System.Globalization;

namespace Mitreden.LoadTests.Engine;

public enum LoadModel
{
    /// <summary>Requests arrive at a target rate whatever the responses do (users arriving from the radio).</summary>
    Open,

    /// <summary>A fixed number of users, each sending its next request when the previous one returned.</summary>
    Closed,
}

/// <summary>One step of a plan: an arrival rate (open) or a number of users (closed) for a duration.</summary>
public sealed record LoadStep(LoadModel Model, double Rate, int Users, TimeSpan Duration, bool Warmup = false)
{
    public string Label => (Warmup ? "warm-up " : "") + (Model == LoadModel.Open
        ? $"{Rate.ToString("0.#", CultureInfo.InvariantCulture)}/s"
        : $"{Users} users");

    public static LoadStep Open(double rate, double seconds, bool warmup = false) =>
        new(LoadModel.Open, rate, 0, TimeSpan.FromSeconds(seconds), warmup);

    public static LoadStep Closed(int users, double seconds, bool warmup = false) =>
        new(LoadModel.Closed, 0, users, TimeSpan.FromSeconds(seconds), warmup);

    /// <summary>Requests the step will issue at most (open: rate × duration; closed: unknown, 0).</summary>
    public long PlannedRequests => Model == LoadModel.Open ? (long)Math.Round(Rate * Duration.TotalSeconds) : 0;

    /// <summary>
    /// Parses a plan such as <c>"500x20,1000x30,1500x60"</c> (open: rate × seconds) or <c>"u64x10"</c>
    /// (closed: users × seconds).
    /// </summary>
    public static IReadOnlyList<LoadStep> ParsePlan(string text)
    {
        var steps = new List<LoadStep>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var x = part.IndexOf('x');
            if (x <= 0 || !double.TryParse(part[(x + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || seconds <= 0)
            {
                throw new FormatException($"Step '{part}' is not RATExSECONDS or uUSERSxSECONDS.");
            }
            var head = part[..x];
            if (head.StartsWith('u') && int.TryParse(head[1..], CultureInfo.InvariantCulture, out var users) && users > 0)
            {
                steps.Add(Closed(users, seconds));
            }
            else if (double.TryParse(head, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) && rate > 0)
            {
                steps.Add(Open(rate, seconds));
            }
            else
            {
                throw new FormatException($"Step '{part}' is not RATExSECONDS or uUSERSxSECONDS.");
            }
        }
        return steps;
    }
}

/// <summary>Hard caps over a whole run: no run issues more requests or lasts longer than this.</summary>
public sealed class RunBudget(long maxRequests, TimeSpan maxDuration)
{
    private readonly long _deadline = Clock.Now + Clock.Ticks(maxDuration);
    private long _taken;

    public long MaxRequests { get; } = maxRequests;
    public TimeSpan MaxDuration { get; } = maxDuration;
    public long Taken => Volatile.Read(ref _taken);
    public bool Expired => Clock.Now >= _deadline;

    /// <summary>Reserves one request; false once either cap is reached.</summary>
    public bool TryTake() => !Expired && Interlocked.Increment(ref _taken) <= MaxRequests;

    public static RunBudget Unlimited => new(long.MaxValue, TimeSpan.FromDays(1));
}

/// <summary>One operation of a scenario (usually one HTTP request); <paramref name="sequence"/> counts from 0 per step.</summary>
public delegate Task<Outcome> Operation(long sequence, CancellationToken cancellationToken);
