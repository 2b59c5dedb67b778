using System.Net;
using System.Text.Json;
using Mitreden.TestKit;
using Mitreden.Voting.Api;
using Mitreden.Voting.Api.Data;

namespace Mitreden.Voting.Tests.Integration;

/// <summary>After close the result is fixed; a correction is an explicit staff action that publishes a new version.</summary>
[Collection(VotingCollection.Name)]
public sealed class FinalResultTests(VotingFixture fixture)
{
    private readonly ServiceFactory<VotingDb> _factory = fixture.Factory;

    private async Task<(Guid Ballot, Guid[] Options)> ClosedApprovalBallotAsync()
    {
        var (ballot, o) = await _factory.CreateOpenBallotAsync(Api.Ballot("approval", Api.TextOptions("A", "B", "C"), max: 2));
        await _factory.Citizen(out _).VoteAsync(ballot, new { selected = new[] { o[0] } });
        await _factory.Citizen(out _).VoteAsync(ballot, new { selected = new[] { o[0], o[1] } });
        await _factory.WaitConsumedAsync(ballot, 2);
        var staff = _factory.Staff();
        (await staff.PostJson($"/ballots/{ballot}/in-person-results", new
        {
            source = "Papierstimmzettel Bürgerbüro", participants = 3,
            results = new[] { new { optionId = o[2], value = 3m }, new { optionId = o[1], value = 1m } },
        })).StatusCode.Should().Be(HttpStatusCode.Created);
        await staff.PostAsync($"/ballots/{ballot}/close", null);
        await Eventually.AssertAsync(async () =>
            (await (await _factory.Anonymous().GetAsync($"/ballots/{ballot}")).Json200()).GetProperty("state").GetString().Should().Be("closed"),
            TimeSpan.FromSeconds(30));
        return (ballot, o);
    }

    [Fact]
    public async Task ImportInPerson_ClosedBallot_409AndResultUnchanged()
    {
        var (ballot, o) = await ClosedApprovalBallotAsync();
        var before = await (await _factory.Anonymous().GetAsync($"/ballots/{ballot}/results")).Json200();

        var refused = await (await _factory.Staff().PostJson($"/ballots/{ballot}/in-person-results", new
        {
            source = "Nachzügler", participants = 5, results = new[] { new { optionId = o[1], value = 5m } },
        })).Json200(HttpStatusCode.Conflict);
        refused.GetProperty("code").GetString().Should().Be("result-final");

        var after = await (await _factory.Anonymous().GetAsync($"/ballots/{ballot}/results")).Json200();
        after.GetProperty("options").ToString().Should().Be(before.GetProperty("options").ToString());
        after.GetProperty("digest").GetString().Should().Be(before.GetProperty("digest").GetString());
        after.GetProperty("version").GetInt32().Should().Be(1);
    }

    [Fact]
    public async Task Correct_ClosedBallot_NewVersionWithNewDigestAuditedAndOldVersionReadable()
    {
        var (ballot, o) = await ClosedApprovalBallotAsync();
        var anonymous = _factory.Anonymous();
        var before = await (await anonymous.GetAsync($"/ballots/{ballot}/results")).Json200();
        var firstDigest = before.GetProperty("digest").GetString()!;
        var staffId = Guid.NewGuid();
        var staff = _factory.ClientFor(staffId, ["staff"]);
        var entry = (await (await staff.GetAsync($"/ballots/{ballot}/in-person-results")).Json200())[0].GetProperty("id").GetGuid();

        (await (await staff.PostJson($"/ballots/{ballot}/results/corrections", new
        {
            source = "Papierstimmzettel Bürgerbüro", participants = 3, results = new[] { new { optionId = o[2], value = 1m } }, supersedes = entry,
        })).Json200(HttpStatusCode.UnprocessableEntity)).GetProperty("errors").GetProperty("reason")[0].GetString()
            .Should().Be("Bitte begründen Sie die Berichtigung (10 bis 2.000 Zeichen).", "a reason is required");

        var created = await (await staff.PostJson($"/ballots/{ballot}/results/corrections", new
        {
            reason = "Urne 2 doppelt gezählt; Nachzählung am 14.05. durch den Wahlvorstand.",
            source = "Papierstimmzettel Bürgerbüro (nachgezählt)", participants = 3,
            results = new[] { new { optionId = o[2], value = 2m }, new { optionId = o[1], value = 1m } }, supersedes = entry,
        })).Json200(HttpStatusCode.Created);
        created.GetProperty("version").GetInt32().Should().Be(2);
        var newDigest = created.GetProperty("digest").GetString()!;
        newDigest.Should().NotBe(firstDigest).And.HaveLength(64);
        created.GetProperty("previousDigest").GetString().Should().Be(firstDigest);

        var results = await (await anonymous.GetAsync($"/ballots/{ballot}/results")).Json200();
        results.GetProperty("final").GetBoolean().Should().BeTrue();
        results.GetProperty("digest").GetString().Should().Be(newDigest);
        results.GetProperty("version").GetInt32().Should().Be(2);
        results.GetProperty("correctedAt").ValueKind.Should().Be(JsonValueKind.String);
        Option(results, o[2]).GetProperty("inPerson").GetDecimal().Should().Be(2m);

        var versions = await (await anonymous.GetAsync($"/ballots/{ballot}/results/versions")).Json200();
        versions.EnumerateArray().Select(v => v.GetProperty("version").GetInt32()).Should().Equal(2, 1);
        var first = await (await anonymous.GetAsync($"/ballots/{ballot}/results/versions/1")).Json200();
        first.GetProperty("digest").GetString().Should().Be(firstDigest);
        first.GetProperty("current").GetBoolean().Should().BeFalse();
        first.GetProperty("options").EnumerateArray().Single(x => x.GetProperty("optionId").GetGuid() == o[2])
            .GetProperty("inPerson").GetDecimal().Should().Be(3m);
        (await anonymous.GetAsync($"/ballots/{ballot}/results/versions/7")).StatusCode.Should().Be(HttpStatusCode.NotFound);

        var audit = await (await staff.GetAsync($"/ballots/{ballot}/results/corrections")).Json200();
        audit.GetArrayLength().Should().Be(1);
        audit[0].GetProperty("correctedBy").GetGuid().Should().Be(staffId);
        audit[0].GetProperty("reason").GetString().Should().StartWith("Urne 2");
        audit[0].GetProperty("previousDigest").GetString().Should().Be(firstDigest);
        audit[0].GetProperty("digest").GetString().Should().Be(newDigest);
        (await _factory.Citizen(out _).GetAsync($"/ballots/{ballot}/results/corrections")).StatusCode.Should().Be(HttpStatusCode.Forbidden);

        var tamper = async () => await _factory.QueryAsync<int>("UPDATE result_versions SET reason = 'x' WHERE ballot_id = @ballot", new { ballot });
        await tamper.Should().ThrowAsync<Npgsql.PostgresException>("the audit trail is append-only");
    }

    [Fact]
    public async Task Correct_OpenBallot_409NotClosed()
    {
        var (ballot, o) = await _factory.CreateOpenBallotAsync(Api.Ballot("support", Api.TextOptions("A", "B")));
        var refused = await (await _factory.Staff().PostJson($"/ballots/{ballot}/results/corrections", new
        {
            reason = "Eine Berichtigung vor dem Ende.", source = "Papier", participants = 1, results = new[] { new { optionId = o[0], value = 1m } },
        })).Json200(HttpStatusCode.Conflict);
        refused.GetProperty("code").GetString().Should().Be("not-closed");
    }

    private static JsonElement Option(JsonElement results, Guid id) =>
        results.GetProperty("options").EnumerateArray().Single(x => x.GetProperty("optionId").GetGuid() == id);
}
