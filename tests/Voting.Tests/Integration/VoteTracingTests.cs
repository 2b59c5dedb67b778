using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Mitreden.TestKit;
using Mitreden.Voting.Api.Pipeline;

namespace Mitreden.Voting.Tests.Integration;

/// <summary>
/// Votes bypass MassTransit, so Voting carries the trace context through the votes queue itself: the consumer's batch
/// span must continue the trace of the request that cast the vote, across the real broker.
/// </summary>
[Collection(VotingCollection.Name)]
public sealed class VoteTracingTests(VotingFixture fixture)
{
    private readonly Mitreden.TestKit.ServiceFactory<Mitreden.Voting.Api.Data.VotingDb> _factory = fixture.Factory;

    [Fact]
    public async Task CastVote_WithTraceParent_ConsumerSpanContinuesTheRequestTrace()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is VoteTelemetry.Name or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        var counted = new ConcurrentQueue<(string Instrument, double Value)>();
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == VoteTelemetry.Name)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        meters.SetMeasurementEventCallback<long>((instrument, value, _, _) => counted.Enqueue((instrument.Name, value)));
        meters.SetMeasurementEventCallback<double>((instrument, value, _, _) => counted.Enqueue((instrument.Name, value)));
        meters.Start();

        var (ballot, o) = await _factory.CreateOpenBallotAsync(Api.Ballot("support", Api.TextOptions("Spur", "Keine Spur")));
        var voter = _factory.Citizen(out _);
        var traceId = ActivityTraceId.CreateRandom();
        voter.DefaultRequestHeaders.Add("traceparent", $"00-{traceId.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        await voter.VoteAsync(ballot, new { selected = new[] { o[0] } });
        await _factory.WaitConsumedAsync(ballot, 1);

        await Eventually.AssertAsync(() =>
        {
            spans.Should().Contain(s => s.TraceId == traceId && s.DisplayName == "votes process");
            return Task.CompletedTask;
        }, TimeSpan.FromSeconds(10));
        var ours = spans.Where(s => s.TraceId == traceId).ToList();
        var request = ours.Single(s => s.Source.Name == "Microsoft.AspNetCore");
        var publish = ours.Single(s => s.DisplayName == "votes publish");
        var process = ours.Single(s => s.DisplayName == "votes process");
        publish.Kind.Should().Be(ActivityKind.Producer);
        publish.ParentSpanId.Should().Be(request.SpanId, "the publish span belongs to the request that cast the vote");
        process.Kind.Should().Be(ActivityKind.Consumer);
        process.ParentSpanId.Should().Be(publish.SpanId, "the consumer continues from the context in the message headers");
        process.GetTagItem("messaging.destination.name").Should().Be("votes");

        meters.RecordObservableInstruments();
        counted.Should().Contain(m => m.Instrument == "mitreden.votes.accepted" && m.Value == 1);
        counted.Should().Contain(m => m.Instrument == "mitreden.votes.counted" && m.Value >= 1);
        counted.Should().Contain(m => m.Instrument == "mitreden.votes.queue_lag" && m.Value >= 0 && m.Value < 60);
    }
}
