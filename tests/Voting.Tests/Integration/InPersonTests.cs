using System.Net;

namespace Mitreden.Voting.Tests.Integration;

[Collection(VotingCollection.Name)]
public sealed class InPersonTests(VotingFixture fixture)
{
    private readonly Mitreden.TestKit.ServiceFactory<Mitreden.Voting.Api.Data.VotingDb> _factory = fixture.Factory;

    [Fact]
    public async Task Import_ThenCorrection_KeepsHistoryAndCombinesWithOnline()
    {
        var (ballot, o) = await _factory.CreateOpenBallotAsync(Api.Ballot("cumulative", Api.TextOptions("Grün", "Rad"), dots: 5));
        await _factory.Citizen(out _).VoteAsync(ballot, new { points = new Dictionary<Guid, int> { [o[0]] = 3, [o[1]] = 2 } });
        await _factory.WaitConsumedAsync(ballot, 1);
        var staff = _factory.Staff();

        var first = await (await staff.PostJson($"/ballots/{ballot}/in-person-results", new
        {
            source = "Zukunftswerkstatt 12.05.", note = "Klebepunkte", participants = 40,
            results = new[] { new { optionId = o[0], value = 30m }, new { optionId = o[1], value = 12m } },
        })).Json200(HttpStatusCode.Created);
        var correction = await (await staff.PostJson($"/ballots/{ballot}/in-person-results", new
        {
            source = "Zukunftswerkstatt 12.05.", note = "Tafel 2 nachgezählt", participants = 41,
            results = new[] { new { optionId = o[0], value = 31m }, new { optionId = o[1], value = 12m } },
            supersedes = first.GetProperty("id").GetGuid(),
        })).Json200(HttpStatusCode.Created);
        correction.GetProperty("supersedes").GetGuid().Should().Be(first.GetProperty("id").GetGuid());

        var again = await (await staff.PostJson($"/ballots/{ballot}/in-person-results", new
        {
            source = "x", participants = 1, results = new[] { new { optionId = o[0], value = 1m } }, supersedes = first.GetProperty("id").GetGuid(),
        })).Json200(HttpStatusCode.Conflict);
        again.GetProperty("code").GetString().Should().Be("already-superseded");

        var history = await (await staff.GetAsync($"/ballots/{ballot}/in-person-results")).Json200();
        history.GetArrayLength().Should().Be(2);
        history[0].GetProperty("active").GetBoolean().Should().BeFalse();
        history[0].GetProperty("supersededBy").GetGuid().Should().Be(correction.GetProperty("id").GetGuid());
        history[1].GetProperty("active").GetBoolean().Should().BeTrue();

        var results = await (await _factory.Anonymous().GetAsync($"/ballots/{ballot}/results")).Json200();
        var green = results.GetProperty("options").EnumerateArray().Single(x => x.GetProperty("optionId").GetGuid() == o[0]);
        green.GetProperty("online").GetInt64().Should().Be(3);
        green.GetProperty("inPerson").GetDecimal().Should().Be(31m);
        green.GetProperty("total").GetDecimal().Should().Be(34m);
        results.GetProperty("inPersonParticipants").GetInt64().Should().Be(41);

        (await _factory.Citizen(out _).GetAsync($"/ballots/{ballot}/in-person-results")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await staff.PostJson($"/ballots/{ballot}/in-person-results", new { source = "x", results = new[] { new { optionId = Guid.NewGuid(), value = 1m } } }))
            .StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
    }
}
