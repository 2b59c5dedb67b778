using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Mitreden.TestKit;
using Mitreden.Voting.Api;
using Mitreden.Voting.Api.Data;
using Mitreden.Voting.Api.Pipeline;
using RabbitMQ.Client;
using StackExchange.Redis;

namespace Mitreden.Voting.Tests.Integration;

/// <summary>The consumer dies mid-batch (before and after the commit, and by losing its connection): nothing is lost or counted twice.</summary>
public sealed class ConsumerCrashTests : IAsyncLifetime
{
    private readonly CrashFixture _fixture = new();
    private ServiceFactory<VotingDb> Factory => _fixture.Factory;

    /// <summary>Runs <see cref="OnStage"/> where the consumer's batch is (to crash or hold it there).</summary>
    private sealed class ScriptedHooks : IVoteBatchHooks
    {
        public Func<VoteBatchStage, int, CancellationToken, Task>? OnStage { get; set; }

        public Task AtAsync(VoteBatchStage stage, int batch, CancellationToken ct) =>
            OnStage?.Invoke(stage, batch, ct) ?? Task.CompletedTask;
    }

    /// <summary>The Voting service with <see cref="ScriptedHooks"/> in place of the production no-op.</summary>
    private sealed class CrashFactory(ScriptedHooks hooks) : ServiceFactory<VotingDb>("voting")
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton<IVoteBatchHooks>(hooks));
        }
    }

    private sealed class CrashFixture : VotingFixture
    {
        public CrashFixture()
            : this(new ScriptedHooks())
        {
        }

        private CrashFixture(ScriptedHooks hooks)
            : base(new CrashFactory(hooks)) => Hooks = hooks;

        public ScriptedHooks Hooks { get; }
    }

    public Task InitializeAsync() => _fixture.InitializeAsync();

    public Task DisposeAsync() => _fixture.DisposeAsync();

    [Fact]
    public async Task Consumer_CrashesBeforeAndAfterCommitAndLosesConnection_FinalTallyExactNoDuplicates()
    {
        var (ballot, o) = await Factory.CreateOpenBallotAsync(Api.Ballot("approval", Api.TextOptions("A", "B", "C", "D"), max: 2));
        var hooks = _fixture.Hooks;
        var consumer = Factory.Services.GetRequiredService<VoteConsumer>();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var crashes = new ConcurrentQueue<string>();
        hooks.OnStage = async (stage, batch, ct) =>
        {
            if (stage == VoteBatchStage.Collected)
            {
                await gate.Task.WaitAsync(ct);
                if (crashes.Count == 2 && !crashes.Contains("connection"))
                {
                    crashes.Enqueue("connection");
                    consumer.AbortSession(); // the connection dies while the batch is being written
                }
            }
            else if (stage == VoteBatchStage.AfterCommit && crashes.IsEmpty && batch >= 2)
            {
                crashes.Enqueue("after-commit");
                throw new InvalidOperationException("simulated crash after commit, before ack");
            }
            else if (stage == VoteBatchStage.BeforeCommit && crashes.Count == 1)
            {
                crashes.Enqueue("before-commit");
                throw new InvalidOperationException("simulated crash before commit");
            }
        };

        try
        {
            // 2,000 voters; every tenth changes their vote: 2,200 accepted votes, 2,000 counted.
            var expected = new ConcurrentDictionary<int, Guid[]>();
            var accepted = 0;
            await Parallel.ForEachAsync(Enumerable.Range(0, 2000), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
            {
                using var voter = Factory.Citizen(out var _);
                var choice = new[] { o[i % 4], o[(i / 4 + 1 + i % 4) % 4] }.Distinct().ToArray();
                await voter.VoteAsync(ballot, new { selected = choice });
                Interlocked.Increment(ref accepted);
                if (i % 10 == 0)
                {
                    choice = [o[(i / 10) % 4]];
                    await voter.VoteAsync(ballot, new { selected = choice });
                    Interlocked.Increment(ref accepted);
                }
                expected[i] = choice;
            });
            accepted.Should().Be(2200);
            gate.SetResult();

            await Factory.WaitConsumedAsync(ballot, 2200, TimeSpan.FromSeconds(60));
            crashes.Should().Equal("after-commit", "before-commit", "connection");

            (await Factory.QueryAsync<long>("SELECT count(*) FROM vote_log WHERE ballot_id = @ballot", new { ballot })).Should().Be(2200);
            (await Factory.QueryAsync<long>("SELECT count(*) FROM current_votes WHERE ballot_id = @ballot", new { ballot })).Should().Be(2000);
            (await Factory.QueryAsync<long>("SELECT voters FROM ballot_counters WHERE ballot_id = @ballot", new { ballot })).Should().Be(2000);
            for (var k = 0; k < 4; k++)
            {
                var want = expected.Values.Count(c => c.Contains(o[k]));
                (await Factory.QueryAsync<long>("SELECT votes FROM tallies WHERE ballot_id = @ballot AND option_id = @option",
                    new { ballot, option = o[k] })).Should().Be(want, $"option {k}");
            }
            var recount = await (await Factory.Staff().PostAsync($"/ballots/{ballot}/recount", null)).Json200();
            recount.GetProperty("matches").GetBoolean().Should().BeTrue();
            recount.GetProperty("votes").GetInt64().Should().Be(2000);
            await Eventually.AssertAsync(async () => (await Factory.VirtualHost.QueueDepthAsync("votes")).Should().Be(0));
            (await Factory.VirtualHost.QueueDepthAsync("votes-error")).Should().Be(0);
        }
        finally
        {
            gate.TrySetResult();
            hooks.OnStage = null;
        }
    }

    [Fact]
    public async Task Consumer_PoisonMessages_GoToErrorQueueWithReason_OthersFlow()
    {
        var (ballot, o) = await Factory.CreateOpenBallotAsync(Api.Ballot("support", Api.TextOptions("A")));
        var connectionFactory = new ConnectionFactory { Uri = new Uri(Factory.VirtualHost.AmqpUri) };
        await using (var connection = await connectionFactory.CreateConnectionAsync())
        await using (var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true)))
        {
            var properties = new BasicProperties { Persistent = true };
            await channel.BasicPublishAsync("", "votes", true, properties, Encoding.UTF8.GetBytes("{ not a vote"));
            var stray = new VoteMessage(Guid.NewGuid(), Guid.NewGuid(), new string('a', 64), 1, "", null);
            await channel.BasicPublishAsync("", "votes", true, properties, stray.ToBytes());
            // A coalesced message (VotePublisher): its good vote counts, its vote of an unknown ballot goes alone to
            // the error queue; an empty one is unparsable as a whole.
            var good = new VoteMessage(Guid.NewGuid(), ballot, new string('b', 64), VoteSequence.Next(TimeProvider.System),
                Mitreden.Voting.Api.Counting.Choices.FromSelection([o[0]]).Choices!.ToCanonical(), null);
            var strayToo = stray with { VoteId = Guid.NewGuid() };
            await channel.BasicPublishAsync("", "votes", true, properties,
                Encoding.UTF8.GetBytes($"[{Encoding.UTF8.GetString(good.ToBytes())},{Encoding.UTF8.GetString(strayToo.ToBytes())}]"));
            await channel.BasicPublishAsync("", "votes", true, properties, "[]"u8.ToArray());
        }
        await Factory.Citizen(out _).VoteAsync(ballot, new { selected = new[] { o[0] } });
        await Factory.WaitConsumedAsync(ballot, 2);

        await Eventually.AssertAsync(async () => (await Factory.VirtualHost.QueueDepthAsync("votes-error")).Should().Be(4));
        var reasons = new List<string>();
        await using (var connection = await connectionFactory.CreateConnectionAsync())
        await using (var channel = await connection.CreateChannelAsync())
        {
            while (await channel.BasicGetAsync("votes-error", autoAck: true) is { } message)
            {
                reasons.Add(Encoding.UTF8.GetString((byte[])message.BasicProperties.Headers![VoteQueue.ReasonHeader]!));
            }
        }
        reasons.Should().BeEquivalentTo("unparsable", "unknown-ballot", "unknown-ballot", "unparsable");
        (await Factory.QueryAsync<long>("SELECT votes FROM tallies WHERE ballot_id = @ballot", new { ballot })).Should().Be(2);
    }

    /// <summary>Every batch of the consumer waits (votes stay in the queue) until the gate is opened.</summary>
    private (ScriptedHooks Hooks, TaskCompletionSource Gate) HoldConsumer()
    {
        var hooks = _fixture.Hooks;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        hooks.OnStage = async (stage, _, ct) =>
        {
            if (stage == VoteBatchStage.Collected)
            {
                await gate.Task.WaitAsync(ct);
            }
        };
        return (hooks, gate);
    }

    [Fact]
    public async Task Close_WaitsForAcceptedVotes_FinalResultIsTheRecount()
    {
        var (ballot, o) = await Factory.CreateOpenBallotAsync(Api.Ballot("approval", Api.TextOptions("A", "B"), visibility: "after-close"));
        var (hooks, gate) = HoldConsumer();
        try
        {
            for (var i = 0; i < 20; i++)
            {
                await Factory.Citizen(out _).VoteAsync(ballot, new { selected = new[] { o[i % 2] } });
            }
            var staff = Factory.Staff();
            var close = staff.PostAsync($"/ballots/{ballot}/close", null);
            await Task.Delay(2500);
            close.IsCompleted.Should().BeFalse("20 accepted votes are still waiting in the queue");
            (await Factory.Citizen(out _).VoteAsync(ballot, new { selected = new[] { o[0] } }, expected: HttpStatusCode.Conflict))
                .GetProperty("code").GetString().Should().Be("closed");
            gate.SetResult();
            var closed = await (await close).Json200();
            closed.GetProperty("state").GetString().Should().Be("closed");
            closed.GetProperty("finalVotes").GetInt64().Should().Be(20);
            (await Factory.QueryAsync<bool>("SELECT matches FROM recount_runs WHERE ballot_id = @ballot AND kind = 'final'", new { ballot })).Should().BeTrue();
            (await Factory.QueryAsync<long>("SELECT count(*) FROM outbox_messages WHERE message_type LIKE '%ResultPublished%' AND body->>'ballotId' = @b",
                new { b = ballot.ToString() })).Should().Be(1);
        }
        finally
        {
            gate.TrySetResult();
            hooks.OnStage = null;
        }
    }

    [Fact]
    public async Task Close_RedisLosesItsDataWhileVotesQueued_FinalCountHasEveryAcceptedVote()
    {
        var (ballot, o) = await Factory.CreateOpenBallotAsync(Api.Ballot("approval", Api.TextOptions("A", "B"), visibility: "after-close"));
        var (hooks, gate) = HoldConsumer();
        try
        {
            for (var i = 0; i < 30; i++)
            {
                await Factory.Citizen(out _).VoteAsync(ballot, new { selected = new[] { o[i % 2] } });
            }
            var close = Factory.Staff().PostAsync($"/ballots/{ballot}/close", null);

            // Redis loses everything of this service (a restart without persistence) while the votes wait in the queue.
            var redis = Factory.Services.GetRequiredService<IConnectionMultiplexer>();
            var prefix = Factory.Services.GetRequiredService<VotingOptions>().RedisPrefix;
            var wiped = 0;
            foreach (var endpoint in redis.GetEndPoints())
            {
                await foreach (var key in redis.GetServer(endpoint).KeysAsync(pattern: prefix + "*"))
                {
                    wiped += await redis.GetDatabase().KeyDeleteAsync(key) ? 1 : 0;
                }
            }
            wiped.Should().BeGreaterThan(0, "the accepted counter and the receipts were in Redis");

            await Task.Delay(3500);   // past the close's grace (2 s): it now waits on the counts alone
            close.IsCompleted.Should().BeFalse("30 accepted votes are still waiting in the queue, whatever Redis lost");
            gate.SetResult();
            var closed = await (await close).Json200();
            closed.GetProperty("state").GetString().Should().Be("closed");
            closed.GetProperty("finalVotes").GetInt64().Should().Be(30);
            (await Factory.QueryAsync<long>("SELECT count(*) FROM vote_log WHERE ballot_id = @ballot AND rejected_reason IS NOT NULL", new { ballot }))
                .Should().Be(0, "no accepted vote arrived after the close");
        }
        finally
        {
            gate.TrySetResult();
            hooks.OnStage = null;
        }
    }
}
