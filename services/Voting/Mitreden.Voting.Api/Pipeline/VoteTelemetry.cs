using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text;
using RabbitMQ.Client;

namespace Mitreden.Voting.Api.Pipeline;

/// <summary>
/// Traces and metrics of the vote path. Votes bypass MassTransit (RabbitMQ.Client straight to the quorum queue), so
/// the W3C trace context travels in the message's AMQP headers (<c>traceparent</c>, <c>tracestate</c>), set here.
/// Everything is a no-op unless a listener (the OpenTelemetry SDK, when OTLP is configured) is attached.
/// </summary>
public static class VoteTelemetry
{
    public const string Name = "Mitreden.Voting";

    /// <summary>A span may carry at most this many links (the OpenTelemetry SDK's default span link limit).</summary>
    public const int MaxLinks = 128;

    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    public static readonly Counter<long> Accepted = Meter.CreateCounter<long>("mitreden.votes.accepted", "{vote}",
        "Votes confirmed by the broker and answered with a receipt (a retry with the same Idempotency-Key counts once).");

    public static readonly Counter<long> Counted = Meter.CreateCounter<long>("mitreden.votes.counted", "{vote}",
        "Vote messages the consumer committed, by outcome: counted, duplicate, rejected, poison.");

    public static readonly Histogram<double> QueueLag = Meter.CreateHistogram("mitreden.votes.queue_lag", "s",
        "Time from accepting a vote (its sequence) to committing it in the database.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300] });

    /// <summary>The producer span of one vote; null when nobody listens.</summary>
    public static Activity? StartPublish(string queue)
    {
        var activity = Source.StartActivity($"{queue} publish", ActivityKind.Producer);
        activity?.SetTag("messaging.system", "rabbitmq");
        activity?.SetTag("messaging.operation.type", "send");
        activity?.SetTag("messaging.destination.name", queue);
        return activity;
    }

    /// <summary>The headers that carry <paramref name="activity"/>'s context; null (no allocation) without one.</summary>
    public static Dictionary<string, object?>? ContextHeaders(Activity? activity)
    {
        if (activity is null)
        {
            return null;
        }
        var headers = new Dictionary<string, object?>(2);
        DistributedContextPropagator.Current.Inject(activity, headers, static (carrier, key, value) =>
        {
            if (key is "traceparent" or "tracestate")   // baggage is not ours to forward into the queue
            {
                ((Dictionary<string, object?>)carrier!)[key] = value;
            }
        });
        return headers;
    }

    /// <summary>The sender's context from a delivery's headers (AMQP hands strings back as bytes); default if none.</summary>
    public static ActivityContext Extract(IReadOnlyBasicProperties properties)
    {
        if (properties.Headers is not { } headers || !headers.TryGetValue("traceparent", out var parent))
        {
            return default;
        }
        headers.TryGetValue("tracestate", out var state);
        return ActivityContext.TryParse(AsString(parent), AsString(state), isRemote: true, out var context) ? context : default;
    }

    private static string? AsString(object? value) => value switch
    {
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        string text => text,
        _ => null,
    };

    /// <summary>
    /// The consumer span of one batch. Its parent is the first vote's context, so a vote's trace runs unbroken from
    /// the gateway through the API and the consumer into PostgreSQL (at low traffic a batch is usually one vote);
    /// every other vote of the batch is linked (up to the link limit). Null when nobody listens.
    /// </summary>
    public static Activity? StartBatch<T>(string queue, IReadOnlyList<T> messages, Func<T, ActivityContext> senderOf)
    {
        if (!Source.HasListeners())
        {
            return null;
        }
        var parent = default(ActivityContext);
        List<ActivityLink>? links = null;
        foreach (var message in messages)
        {
            var sender = senderOf(message);
            if (sender == default)
            {
                continue;
            }
            if (parent == default)
            {
                parent = sender;
            }
            else if ((links ??= []).Count < MaxLinks)
            {
                links.Add(new ActivityLink(sender));
            }
        }
        var activity = Source.StartActivity(ActivityKind.Consumer, parent, links: links, name: $"{queue} process");
        activity?.SetTag("messaging.system", "rabbitmq");
        activity?.SetTag("messaging.operation.type", "process");
        activity?.SetTag("messaging.destination.name", queue);
        activity?.SetTag("messaging.batch.message_count", messages.Count);
        return activity;
    }

    public static void Failed(Activity? activity, Exception exception) =>
        activity?.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
}
