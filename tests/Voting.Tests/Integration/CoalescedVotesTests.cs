using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Mitreden.TestKit;
using Mitreden.Voting.Api.Pipeline;

namespace Mitreden.Voting.Tests.Integration;

/// <summary>
/// The publisher coalesces votes that wait for the broker at the same time into one message; the consumer reads
/// both shapes. Every vote is still counted exactly once.
/// </summary>
[Collection(VotingCollection.Name)]
public sealed class CoalescedVotesTests(VotingFixture fixture)
{
    private readonly ServiceFactory<Mitreden.Voting.Api.Data.VotingDb> _factory = fixture.Factory;

    [Fact]
    public async Task ConcurrentVotes_ShareBrokerMessages_EachCountedOnce()
    {
        var (ballot, o) = await _factory.CreateOpenBallotAsync(Api.Ballot("approval", Api.TextOptions("A", "B", "C"), max: 2));
        var publisher = _factory.Services.GetRequiredService<VotePublisher>();
        var before = publisher.Published;

        var chosen = new ConcurrentDictionary<int, Guid[]>();
        await Parallel.ForEachAsync(Enumerable.Range(0, 400), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) =>
        {
            using var voter = _factory.Citizen(out var _);
            var choice = new[] { o[i % 3], o[(i + 1) % 3] }.Take(1 + i % 2).ToArray();
            await voter.VoteAsync(ballot, new { selected = choice });
            chosen[i] = choice;
        });
        await _factory.WaitConsumedAsync(ballot, 400, TimeSpan.FromSeconds(60));

        var after = publisher.Published;
        (after.Votes - before.Votes).Should().Be(400, "every vote was confirmed by the broker once");
        (after.Messages - before.Messages).Should().BeLessThan(400, "votes that waited at the same time went out together");
        (await _factory.QueryAsync<long>("SELECT count(*) FROM vote_log WHERE ballot_id = @ballot", new { ballot })).Should().Be(400);
        for (var k = 0; k < 3; k++)
        {
            (await _factory.QueryAsync<long>("SELECT votes FROM tallies WHERE ballot_id = @ballot AND option_id = @option",
                new { ballot, option = o[k] })).Should().Be(chosen.Values.Count(c => c.Contains(o[k])));
        }
    }

    [Fact]
    public void TryParseMany_OneVoteOrAnArrayOfVotes_AnythingElseIsNotAVoteMessage()
    {
        var a = Vote();
        var b = Vote();
        VoteMessage.TryParseMany(a.ToBytes()).Should().Equal(a);
        VoteMessage.TryParseMany(Array(a, b)).Should().Equal(a, b);
        VoteMessage.TryParseMany(Encoding.UTF8.GetBytes(" \n[" + Encoding.UTF8.GetString(a.ToBytes()) + "]")).Should().Equal(a);

        VoteMessage.TryParseMany("[]"u8).Should().BeNull("an empty message carries no vote");
        VoteMessage.TryParseMany("[null]"u8).Should().BeNull();
        VoteMessage.TryParseMany(Array(a, a with { VoterKey = "not-hex" })).Should().BeNull("one broken vote makes the message unreadable as a whole");
        VoteMessage.TryParseMany(Encoding.UTF8.GetBytes("[" + Encoding.UTF8.GetString(a.ToBytes()) + ",{\"voteId\":1}]")).Should().BeNull();
        VoteMessage.TryParseMany("[{ not json"u8).Should().BeNull();
        VoteMessage.TryParseMany("{\"probe\":1}"u8).Should().BeNull();
        VoteMessage.TryParseMany(""u8).Should().BeNull();
    }

    private static VoteMessage Vote() =>
        new(Guid.NewGuid(), Guid.NewGuid(), Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().Concat(Guid.NewGuid().ToByteArray()).ToArray()),
            VoteSequence.Next(TimeProvider.System), "s:" + Guid.NewGuid().ToString("N"), "mitte");

    private static byte[] Array(params VoteMessage[] votes) =>
        Encoding.UTF8.GetBytes("[" + string.Join(",", votes.Select(v => Encoding.UTF8.GetString(v.ToBytes()))) + "]");
}
