using System.Net;
using Mitreden.TestKit;

namespace Mitreden.Voting.Tests.Integration;

/// <summary>Results hidden until close must not leak through any channel (decidim#12348 leaked counts via open data).</summary>
[Collection(VotingCollection.Name)]
public sealed class HiddenResultsTests(VotingFixture fixture)
{
    private readonly ServiceFactory<Mitreden.Voting.Api.Data.VotingDb> _factory = fixture.Factory;

    [Fact]
    public async Task HiddenUntilClose_EveryChannelRefuses_UntilTheBallotIsClosed()
    {
        var (ballot, o) = await _factory.CreateOpenBallotAsync(Api.Ballot("approval", Api.ItemOptions(3), visibility: "after-close", max: 2));
        var voter = _factory.Citizen(out _);
        var receipt = await voter.VoteAsync(ballot, new { selected = new[] { o[0] } });
        await _factory.WaitConsumedAsync(ballot, 1);
        var staff = _factory.Staff();

        foreach (var (client, url) in new[]
                 {
                     (_factory.Anonymous(), $"/ballots/{ballot}/results"),
                     (voter, $"/ballots/{ballot}/results"),
                     (staff, $"/ballots/{ballot}/results"),
                     (staff, $"/ballots/{ballot}/results/stream"),
                     (staff, $"/ballots/{ballot}/exports/tally?format=csv-de"),
                     (staff, $"/ballots/{ballot}/exports/tally?format=json"),
                     (staff, $"/ballots/{ballot}/exports/votes?format=xlsx"),
                 })
        {
            var problem = await (await client.GetAsync(url)).Json200(HttpStatusCode.Forbidden);
            problem.GetProperty("code").GetString().Should().Be("results-hidden-until-close", url);
        }

        var view = await (await _factory.Anonymous().GetAsync($"/ballots/{ballot}")).Json200();
        view.ToString().Should().NotContain("\"voters\"").And.NotContain("\"online\"");
        var status = await (await _factory.Anonymous().GetAsync($"/ballots/{ballot}/receipts/{receipt.GetProperty("receiptHash").GetString()}")).Json200();
        status.GetProperty("status").GetString().Should().Be("counted");
        status.EnumerateObject().Select(p => p.Name).Should().BeEquivalentTo("ballotId", "receiptHash", "status", "reason");
        var recount = await (await staff.PostAsync($"/ballots/{ballot}/recount", null)).Json200();
        recount.GetProperty("matches").GetBoolean().Should().BeTrue();
        recount.GetProperty("votes").ValueKind.Should().Be(System.Text.Json.JsonValueKind.Null, "participation stays hidden too");
        (await _factory.QueryAsync<long>("SELECT count(*) FROM outbox_messages WHERE message_type LIKE '%ItemSupportChanged%' AND body->>'ballotId' = @b",
            new { b = ballot.ToString() })).Should().Be(0, "support counts of a hidden ballot must not reach Proposals");

        await staff.PostAsync($"/ballots/{ballot}/close", null);
        var results = await (await _factory.Anonymous().GetAsync($"/ballots/{ballot}/results")).Json200();
        results.GetProperty("final").GetBoolean().Should().BeTrue();
        VoteFlowTests.Score(results, o[0]).Should().Be(1);
        (await staff.GetAsync($"/ballots/{ballot}/exports/tally?format=csv")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await _factory.QueryAsync<long>("SELECT count(*) FROM outbox_messages WHERE message_type LIKE '%ItemSupportChanged%' AND body->>'ballotId' = @b",
            new { b = ballot.ToString() })).Should().Be(3, "the final counts are published at close");
    }

    [Fact]
    public async Task LiveSupportBallot_EmitsItemSupportChanged()
    {
        var (ballot, o) = await _factory.CreateOpenBallotAsync(Api.Ballot("support", Api.ItemOptions(2)));
        await _factory.Citizen(out _).VoteAsync(ballot, new { selected = new[] { o[1] } });
        await Eventually.AssertAsync(async () =>
            (await _factory.QueryAsync<long>("""
                SELECT count(*) FROM outbox_messages WHERE message_type LIKE '%ItemSupportChanged%'
                AND body->>'ballotId' = @b AND body->>'itemId' = @item AND (body->>'supports')::bigint = 1
                """, new { b = ballot.ToString(), item = o[1].ToString() })).Should().BeGreaterThan(0));
    }

    [Fact]
    public async Task LiveSupportBallots_ItemSupportChanged_SaysWhetherCitizensOrAVotingGroupVoted()
    {
        var group = Guid.NewGuid();
        var (citizens, c) = await _factory.CreateOpenBallotAsync(Api.Ballot("support", Api.ItemOptions(1)));
        var (council, g) = await _factory.CreateOpenBallotAsync(Api.Ballot("support", Api.ItemOptions(1),
            eligibility: new { kind = "voting-group", votingGroupId = group, votingGroupName = "Stadtrat" }));
        await _factory.Citizen(out _).VoteAsync(citizens, new { selected = new[] { c[0] } });
        var member = _factory.CreateClient().WithToken(_factory.Issuer.Sign(new Dictionary<string, object?>
        {
            ["iss"] = Mitreden.TestKit.TestIssuer.Issuer,
            ["aud"] = new[] { _factory.Audience },
            ["sub"] = Guid.NewGuid().ToString(),
            ["iat"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["exp"] = DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeSeconds(),
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["roles"] = new[] { "citizen", "code-voter" },
            ["verification"] = "none",
            ["voting_group"] = group.ToString(),
            ["client_id"] = "mitreden-web",
        }));
        await member.VoteAsync(council, new { selected = new[] { g[0] } });

        foreach (var (ballot, electorate) in new[] { (citizens, "citizens"), (council, "voting-group") })
        {
            await Eventually.AssertAsync(async () =>
                (await _factory.QueryAsync<long>("""
                    SELECT count(*) FROM outbox_messages WHERE message_type LIKE '%ItemSupportChanged%'
                    AND body->>'ballotId' = @b AND (body->>'supports')::bigint = 1 AND body->>'electorate' = @electorate
                    """, new { b = ballot.ToString(), electorate })).Should().BeGreaterThan(0, $"{electorate} ballot"));
        }
    }

    [Fact]
    public async Task AfterVote_VisibleOnlyToThoseWhoVoted()
    {
        var (ballot, o) = await _factory.CreateOpenBallotAsync(Api.Ballot("scoring", Api.TextOptions("X", "Y"), visibility: "after-vote", maxScore: 5));
        var voter = _factory.Citizen(out _);
        (await (await voter.GetAsync($"/ballots/{ballot}/results")).Json200(HttpStatusCode.Forbidden))
            .GetProperty("code").GetString().Should().Be("results-after-vote");
        await voter.VoteAsync(ballot, new { points = new Dictionary<Guid, int> { [o[0]] = 4, [o[1]] = 0 } });
        await _factory.WaitConsumedAsync(ballot, 1);
        var results = await (await voter.GetAsync($"/ballots/{ballot}/results")).Json200();
        VoteFlowTests.Score(results, o[0]).Should().Be(4);
        (await _factory.Anonymous().GetAsync($"/ballots/{ballot}/results")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await _factory.Staff().GetAsync($"/ballots/{ballot}/exports/tally")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }
}
