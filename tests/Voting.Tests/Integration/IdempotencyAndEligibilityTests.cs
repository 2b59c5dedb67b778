using System.Net;
using System.Text.Json;

namespace Mitreden.Voting.Tests.Integration;

[Collection(VotingCollection.Name)]
public sealed class IdempotencyAndEligibilityTests(VotingFixture fixture)
{
    private readonly Mitreden.TestKit.ServiceFactory<Mitreden.Voting.Api.Data.VotingDb> _factory = fixture.Factory;

    [Fact]
    public async Task Vote_SameIdempotencyKeyTwice_SameReceiptCountedOnce()
    {
        var (ballot, o) = await _factory.CreateOpenBallotAsync(Api.Ballot("support", Api.TextOptions("X", "Y")));
        var voter = _factory.Citizen(out _);
        var key = Guid.NewGuid().ToString();
        var first = await voter.VoteAsync(ballot, new { selected = new[] { o[0] } }, key);
        var retry = await voter.VoteAsync(ballot, new { selected = new[] { o[0] } }, key);
        retry.GetProperty("voteId").GetGuid().Should().Be(first.GetProperty("voteId").GetGuid());
        retry.GetProperty("receiptHash").GetString().Should().Be(first.GetProperty("receiptHash").GetString());
        retry.GetProperty("sequence").GetInt64().Should().Be(first.GetProperty("sequence").GetInt64());

        await _factory.WaitConsumedAsync(ballot, 1);
        await Task.Delay(300); // the retry's copy is consumed too; it must not count
        (await _factory.QueryAsync<long>("SELECT count(*) FROM vote_log WHERE ballot_id = @ballot", new { ballot })).Should().Be(1);
        (await _factory.QueryAsync<long>("SELECT votes FROM tallies WHERE ballot_id = @ballot AND option_id = @o", new { ballot, o = o[0] })).Should().Be(1);

        (await voter.VoteAsync(ballot, new { selected = new[] { o[1] } }, key, HttpStatusCode.UnprocessableEntity))
            .GetProperty("errors").GetProperty("choices")[0].GetString().Should().Contain("Idempotency-Key");
        (await voter.VoteAsync(ballot, new { selected = new[] { o[1] } }, new string('k', 101), HttpStatusCode.BadRequest))
            .GetProperty("code").GetString().Should().Be("invalid-idempotency-key");
    }

    [Fact]
    public async Task Vote_UnverifiedAccount_Refused403WithReason()
    {
        var (ballot, o) = await _factory.CreateOpenBallotAsync(Api.Ballot("support", Api.TextOptions("X")));
        var problem = await _factory.Citizen(out _, verification: "none").VoteAsync(ballot, new { selected = new[] { o[0] } }, expected: HttpStatusCode.Forbidden);
        problem.GetProperty("code").GetString().Should().Be("verification-required");
        problem.GetProperty("detail").GetString().Should().Contain("bestätigtes Konto");
    }

    [Fact]
    public async Task Vote_ResidentOfOtherDistrictOrNoResident_Refused403SayingWhichDistrict()
    {
        var (ballot, o) = await _factory.CreateOpenBallotAsync(Api.Ballot("support", Api.TextOptions("X"),
            eligibility: new { kind = "resident", district = "mitte" }));
        var choices = new { selected = new[] { o[0] } };

        var other = await _factory.Citizen(out _, verification: "resident", district: "nord").VoteAsync(ballot, choices, expected: HttpStatusCode.Forbidden);
        other.GetProperty("code").GetString().Should().Be("district-mismatch");
        other.GetProperty("detail").GetString().Should().Be("Diese Abstimmung verlangt eine bestätigte Wohnadresse im Stadtteil Mitte.");

        var emailOnly = await _factory.Citizen(out _, verification: "email", district: "mitte").VoteAsync(ballot, choices, expected: HttpStatusCode.Forbidden);
        emailOnly.GetProperty("code").GetString().Should().Be("residence-required");

        await _factory.Citizen(out _, verification: "resident", district: "mitte").VoteAsync(ballot, choices);
    }

    [Fact]
    public async Task Vote_VotingGroup_OnlyCodeVotersOfThatGroup()
    {
        var group = Guid.NewGuid();
        var (ballot, o) = await _factory.CreateOpenBallotAsync(Api.Ballot("approval", Api.TextOptions("X", "Y"),
            eligibility: new { kind = "voting-group", votingGroupId = group, votingGroupName = "Ratsfraktionen" }));
        var choices = new { selected = new[] { o[0] } };

        var plain = await _factory.Citizen(out _).VoteAsync(ballot, choices, expected: HttpStatusCode.Forbidden);
        plain.GetProperty("code").GetString().Should().Be("voting-group-required");
        plain.GetProperty("detail").GetString().Should().Contain("Ratsfraktionen");

        var wrongGroup = _factory.CreateClient().WithToken(CodeVoterToken(Guid.NewGuid()));
        (await wrongGroup.VoteAsync(ballot, choices, expected: HttpStatusCode.Forbidden)).GetProperty("code").GetString().Should().Be("voting-group-required");

        var member = _factory.CreateClient().WithToken(CodeVoterToken(group));
        await member.VoteAsync(ballot, choices);
    }

    [Fact]
    public async Task MyEligibility_BeforeVoting_SaysWhetherAndWhyNotWithTheSameReasonAsTheRefusal()
    {
        var (ballot, _) = await _factory.CreateOpenBallotAsync(Api.Ballot("support", Api.TextOptions("X"),
            eligibility: new { kind = "resident", district = "mitte" }));
        async Task<JsonElement> AskAsync(HttpClient client)
        {
            var response = await client.GetAsync($"/ballots/{ballot}/eligibility/me");
            response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        }

        var resident = await AskAsync(_factory.Citizen(out _, verification: "resident", district: "mitte"));
        resident.GetProperty("mayVote").GetBoolean().Should().BeTrue();
        (resident.TryGetProperty("reason", out var none) ? none.ValueKind : JsonValueKind.Null).Should().Be(JsonValueKind.Null, "nothing stands in the way");
        resident.GetProperty("rule").GetProperty("kind").GetString().Should().Be("resident");
        resident.GetProperty("rule").GetProperty("district").GetString().Should().Be("mitte");

        var other = await AskAsync(_factory.Citizen(out _, verification: "resident", district: "nord"));
        other.GetProperty("mayVote").GetBoolean().Should().BeFalse();
        other.GetProperty("reason").GetString().Should().Be("district-mismatch");
        other.GetProperty("message").GetString().Should().Contain("Stadtteil Mitte");

        (await AskAsync(_factory.Citizen(out _, verification: "email"))).GetProperty("reason").GetString().Should().Be("residence-required");
        (await _factory.CreateClient().GetAsync($"/ballots/{ballot}/eligibility/me")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await _factory.Citizen(out _).GetAsync($"/ballots/{Guid.NewGuid()}/eligibility/me")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Vote_InvalidChoicesOrUnknownBallot_AreClientErrors()
    {
        var (ballot, o) = await _factory.CreateOpenBallotAsync(Api.Ballot("cumulative", Api.TextOptions("X", "Y"), dots: 5, maxPerOption: 3));
        var voter = _factory.Citizen(out _);
        var tooMany = await voter.VoteAsync(ballot, new { points = new Dictionary<Guid, int> { [o[0]] = 4 } }, expected: HttpStatusCode.UnprocessableEntity);
        tooMany.GetProperty("errors").GetProperty("choices")[0].GetString().Should().Contain("höchstens 3");
        await voter.VoteAsync(ballot, new { selected = new[] { o[0] } }, expected: HttpStatusCode.UnprocessableEntity);
        await voter.VoteAsync(Guid.NewGuid(), new { selected = new[] { o[0] } }, expected: HttpStatusCode.NotFound);
        (await voter.PostJson($"/ballots/{ballot}/votes", new { points = new Dictionary<Guid, int> { [o[0]] = 1 }, extra = 1 }))
            .StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await _factory.Anonymous().PostJson($"/ballots/{ballot}/votes", new { points = new Dictionary<Guid, int> { [o[0]] = 1 } }))
            .StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        await voter.VoteAsync(ballot, new { points = new Dictionary<Guid, int> { [o[0]] = 3, [o[1]] = 2 } });
    }

    [Fact]
    public async Task Ballot_CreateAndOpen_OnlyStaff_DraftsInvisibleToCitizens()
    {
        var citizen = _factory.Citizen(out _);
        (await citizen.PostJson("/ballots", Api.Ballot("support", Api.TextOptions("X")))).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var (draft, _) = await _factory.CreateOpenBallotAsync(Api.Ballot("support", Api.TextOptions("X")), open: false);
        (await citizen.GetAsync($"/ballots/{draft}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await _factory.Staff().GetAsync($"/ballots/{draft}")).StatusCode.Should().Be(HttpStatusCode.OK);
        var invalid = await (await _factory.Staff().PostJson("/ballots", Api.Ballot("approval", Api.TextOptions("X", "Y"), min: 3, max: 2)))
            .Json200(HttpStatusCode.UnprocessableEntity);
        invalid.GetProperty("errorCodes").GetProperty("maxSelections").GetString().Should().Be("ballot-selections-inconsistent");
        invalid.GetProperty("errorCodes").GetProperty("minSelections").GetString().Should().Be("ballot-min-selections-above-options");
    }

    private string CodeVoterToken(Guid group) => _factory.Issuer.Sign(new Dictionary<string, object?>
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
    });
}
