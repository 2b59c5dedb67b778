using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Mitreden.TestKit;
using Mitreden.Voting.Api;
using Mitreden.Voting.Api.Data;
using Mitreden.Voting.Api.Pipeline;

namespace Mitreden.Voting.Tests.Integration;

/// <summary>
/// The two roles of a Voting process in production: API-only instances accept votes whatever state the consumer is
/// in (the votes wait in the quorum queue), and the consumer-only process is ready as soon as it consumes.
/// (ConsumerCrashTests covers the process that does both, as tests and `./mitreden up` run it.)
/// </summary>
public sealed class ProcessRoleTests
{
    private static ServiceFactory<VotingDb> Role(bool api, bool consumer) =>
        VotingFixture.Configure(new ServiceFactory<VotingDb>("voting"))
            .With("Voting:Api:Enabled", api ? "true" : "false")
            .With("Voting:Consumer:Enabled", consumer ? "true" : "false")
            .With("Voting:PublisherChannels", "2");

    private static async Task<JsonElement> ReadyChecksAsync(ServiceFactory<VotingDb> factory)
    {
        using var client = factory.Anonymous();
        JsonElement checks = default;
        await Eventually.AssertAsync(async () =>
        {
            var response = await client.GetAsync("/health/ready");
            var body = await response.Content.ReadAsStringAsync();
            response.StatusCode.Should().Be(HttpStatusCode.OK, body);
            checks = JsonDocument.Parse(body).RootElement.GetProperty("checks").Clone();
        }, TimeSpan.FromSeconds(30));
        return checks;
    }

    [Fact]
    public async Task ApiOnly_NoConsumerAnywhere_AcceptsVotesAndEveryConcurrentPublishIsConfirmedOnce()
    {
        var factory = Role(api: true, consumer: false);
        await ((IAsyncLifetime)factory).InitializeAsync();
        try
        {
            var checks = await ReadyChecksAsync(factory);
            checks.TryGetProperty("votes-queue", out _).Should().BeTrue("an API instance is ready when it can publish votes");
            checks.TryGetProperty("votes-consumer", out _).Should().BeFalse("accepting votes does not depend on a consumer");
            factory.Services.GetService<VoteConsumer>().Should().BeNull();

            var (ballot, o) = await factory.CreateOpenBallotAsync(Api.Ballot("support", Api.TextOptions("A")));
            for (var i = 0; i < 20; i++)
            {
                await factory.Citizen(out _).VoteAsync(ballot, new { selected = new[] { o[0] } });
            }
            await Eventually.AssertAsync(async () => (await factory.VirtualHost.QueueDepthAsync("votes")).Should().Be(20));

            // 600 publishes at once over 2 channels: they share the channels instead of waiting for a free one, and the
            // broker confirms each exactly once (the error queue is only a place to count them; nothing consumes it).
            var publisher = factory.Services.GetRequiredService<VotePublisher>();
            var queue = factory.Services.GetRequiredService<VoteQueue>();
            await Parallel.ForEachAsync(Enumerable.Range(0, 600), new ParallelOptions { MaxDegreeOfParallelism = 600 }, async (i, ct) =>
                await publisher.PublishAsync(queue.Errors, Encoding.UTF8.GetBytes($"{{\"probe\":{i}}}"), $"probe-{i}", null, ct));
            await Eventually.AssertAsync(async () => (await factory.VirtualHost.QueueDepthAsync(queue.Errors)).Should().Be(600));
            (await factory.VirtualHost.QueueDepthAsync("votes")).Should().Be(20);
        }
        finally
        {
            await ((IAsyncLifetime)factory).DisposeAsync();
        }
    }

    [Fact]
    public async Task ConsumerOnly_ReadyWhenConsuming_NoApiNoPublisherCheck()
    {
        var factory = Role(api: false, consumer: true);
        await ((IAsyncLifetime)factory).InitializeAsync();
        try
        {
            var checks = await ReadyChecksAsync(factory);
            checks.GetProperty("votes-consumer").GetProperty("status").GetString().Should().Be("Healthy");
            checks.EnumerateObject().Select(c => c.Name).Should().Equal(["votes-consumer"],
                "a consumer-only process publishes no votes, and its consumer needs the broker and the database to commit");
            factory.Services.GetRequiredService<VoteConsumer>().IsConsuming.Should().BeTrue();
            (await factory.Staff().PostJson("/ballots", Api.Ballot("support", Api.TextOptions("A")))).StatusCode
                .Should().Be(HttpStatusCode.NotFound, "the API is off");
        }
        finally
        {
            await ((IAsyncLifetime)factory).DisposeAsync();
        }
    }
}
