using System.Net;
using System.Text.Json;
using Mitreden.TestKit;
using Mitreden.Voting.Api;
using Mitreden.Voting.Api.Data;

namespace Mitreden.Voting.Tests.Integration;

/// <summary>In-person numbers must be possible for the stated participants under the ballot's method; errors per field, in German.</summary>
[Collection(VotingCollection.Name)]
public sealed class InPersonValidationTests(VotingFixture fixture)
{
    private readonly ServiceFactory<VotingDb> _factory = fixture.Factory;

    private static object[] Costs(params decimal[] costs) => costs.Select((c, i) => (object)new { title = $"Vorhaben {i + 1}", cost = c }).ToArray();

    public static TheoryData<string, object, int?, decimal[], string, string> Impossible => new()
    {
        // method, ballot, participants, values per option (in order), the field that must carry the error, its code
        { "500 votes, 10 participants", Api.Ballot("approval", Api.TextOptions("A", "B")), 10, [500m, 3m], "results[0].value", "in-person-value-above-participants" },
        { "fractional votes", Api.Ballot("support", Api.TextOptions("A", "B")), 40, [10m, 17.5m], "results[1].value", "in-person-value-not-whole" },
        { "no participants", Api.Ballot("approval", Api.TextOptions("A", "B")), 0, [0m, 0m], "participants", "in-person-participants-missing" },
        { "participants missing", Api.Ballot("approval", Api.TextOptions("A", "B")), null, [1m, 1m], "participants", "in-person-participants-missing" },
        { "support: over max selections", Api.Ballot("support", Api.TextOptions("A", "B", "C"), max: 2), 2, [2m, 2m, 1m], "results", "in-person-total-too-high" },
        { "approval: under min selections", Api.Ballot("approval", Api.TextOptions("A", "B", "C"), min: 2), 3, [1m, 1m, 0m], "results", "in-person-total-too-low" },
        { "scoring: over max points", Api.Ballot("scoring", Api.TextOptions("A", "B"), maxScore: 5), 2, [11m, 0m], "results[0].value", "in-person-value-above-participants" },
        { "cumulative: over dots per option", Api.Ballot("cumulative", Api.TextOptions("A", "B", "C"), dots: 5, maxPerOption: 3), 2, [7m, 0m, 0m], "results[0].value", "in-person-value-above-participants" },
        { "cumulative: over all dots", Api.Ballot("cumulative", Api.TextOptions("A", "B", "C"), dots: 5, maxPerOption: 3), 2, [5m, 5m, 1m], "results", "in-person-total-too-high" },
        { "ranking: over first place", Api.Ballot("ranking", Api.TextOptions("A", "B", "C")), 2, [5m, 1m, 0m], "results[0].value", "in-person-value-above-participants" },
        { "ranking: not full rankings", Api.Ballot("ranking", Api.TextOptions("A", "B", "C")), 2, [4m, 1m, 0m], "results", "in-person-total-too-low" },
        { "budget: over the budget", Api.Ballot("budget", Costs(600m, 500m), budget: 1000m), 2, [2m, 2m], "results", "in-person-budget-exceeded" },
    };

    [Theory]
    [MemberData(nameof(Impossible))]
    public async Task ImportInPerson_ImpossibleForMethod_422WithGermanErrorAndCodeAtField(string scenario, object ballotSpec, int? participants, decimal[] values, string field, string code)
    {
        var (ballot, o) = await _factory.CreateOpenBallotAsync(ballotSpec);
        var response = await _factory.Staff().PostJson($"/ballots/{ballot}/in-person-results", new
        {
            source = "Papierstimmzettel", participants, results = o.Select((id, i) => new { optionId = id, value = values[i] }).ToArray(),
        });
        var problem = await response.Json200(HttpStatusCode.UnprocessableEntity);
        var errors = problem.GetProperty("errors");
        errors.TryGetProperty(field, out var messages).Should().BeTrue($"{scenario}: {errors}");
        messages[0].GetString().Should().MatchRegex("[äöüß]|Bitte|höchstens|mindestens|ganze", scenario);
        problem.GetProperty("errorCodes").GetProperty(field).GetString().Should().Be(code, scenario);
        var results = await (await _factory.Anonymous().GetAsync($"/ballots/{ballot}/results")).Json200();
        results.GetProperty("inPersonParticipants").GetInt64().Should().Be(0, scenario);
    }

    public static TheoryData<string, object, int, decimal[]> Possible => new()
    {
        { "approval: everyone chose both", Api.Ballot("approval", Api.TextOptions("A", "B")), 10, [10m, 7m] },
        { "ranking: two full rankings", Api.Ballot("ranking", Api.TextOptions("A", "B", "C")), 2, [4m, 2m, 0m] },
        { "cumulative: all dots used", Api.Ballot("cumulative", Api.TextOptions("A", "B", "C"), dots: 5, maxPerOption: 3), 2, [6m, 4m, 0m] },
        { "budget: within the budget", Api.Ballot("budget", Costs(600m, 500m), budget: 1000m), 3, [2m, 1m] },
    };

    [Theory]
    [MemberData(nameof(Possible))]
    public async Task ImportInPerson_PossibleForMethod_201(string scenario, object ballotSpec, int participants, decimal[] values)
    {
        var (ballot, o) = await _factory.CreateOpenBallotAsync(ballotSpec);
        var response = await _factory.Staff().PostJson($"/ballots/{ballot}/in-person-results", new
        {
            source = "Papierstimmzettel", participants, results = o.Select((id, i) => new { optionId = id, value = values[i] }).ToArray(),
        });
        response.StatusCode.Should().Be(HttpStatusCode.Created, $"{scenario}: {await response.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task ImportInPerson_UnknownOptionAndMissingResults_422KeyedByPath()
    {
        var (ballot, o) = await _factory.CreateOpenBallotAsync(Api.Ballot("support", Api.TextOptions("A", "B")));
        var staff = _factory.Staff();
        var unknown = await (await staff.PostJson($"/ballots/{ballot}/in-person-results", new
        {
            source = "Papier", participants = 3, results = new[] { new { optionId = o[0], value = 1m }, new { optionId = Guid.NewGuid(), value = 1m } },
        })).Json200(HttpStatusCode.UnprocessableEntity);
        unknown.GetProperty("errors").TryGetProperty("results[1].optionId", out _).Should().BeTrue(unknown.ToString());

        var empty = await (await staff.PostJson($"/ballots/{ballot}/in-person-results", new { source = "Papier", participants = 3, results = Array.Empty<object>() }))
            .Json200(HttpStatusCode.UnprocessableEntity);
        // Without the results list at all the body is malformed: 400, still never 5xx.
        (await staff.PostJson($"/ballots/{ballot}/in-person-results", new { source = "Papier", participants = 3 })).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        empty.GetProperty("errors").TryGetProperty("results", out var message).Should().BeTrue(empty.ToString());
        message.ValueKind.Should().Be(JsonValueKind.Array);
    }
}
