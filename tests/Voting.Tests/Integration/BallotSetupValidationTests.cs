using System.Net;
using Mitreden.TestKit;
using Mitreden.Voting.Api.Data;

namespace Mitreden.Voting.Tests.Integration;

/// <summary>A ballot staff cannot run is refused with 422, a German message and a stable code at the field it is about; nothing is stored.</summary>
[Collection(VotingCollection.Name)]
public sealed class BallotSetupValidationTests(VotingFixture fixture)
{
    private readonly ServiceFactory<VotingDb> _factory = fixture.Factory;

    private static object Raw(string title, object[] options, object? eligibility = null, bool followsPhase = false) => new
    {
        processId = Guid.NewGuid(),
        title,
        method = "approval",
        options,
        eligibility = eligibility ?? new { kind = "verified" },
        visibility = "live",
        followsPhase,
        closesAt = DateTimeOffset.UtcNow.AddHours(1),
    };

    public static TheoryData<string, object, string, string> Refused => new()
    {
        { "min above max", Api.Ballot("approval", Api.TextOptions("A", "B", "C"), min: 3, max: 2), "maxSelections", "ballot-selections-inconsistent" },
        { "min above the options", Api.Ballot("approval", Api.TextOptions("A", "B"), min: 3), "minSelections", "ballot-min-selections-above-options" },
        { "scoring without a maximum", Api.Ballot("scoring", Api.TextOptions("A", "B"), maxScore: 0), "maxScore", "ballot-max-score-out-of-range" },
        { "cumulative without dots", Api.Ballot("cumulative", Api.TextOptions("A", "B"), dots: 0), "dots", "ballot-dots-out-of-range" },
        { "cumulative: no dot per option", Api.Ballot("cumulative", Api.TextOptions("A", "B"), dots: 5, maxPerOption: 0), "maxDotsPerOption", "ballot-max-dots-per-option-too-small" },
        { "budget without a budget", Api.Ballot("budget", [new { title = "A", cost = 10m }]), "budget", "ballot-budget-missing" },
        { "budget option without costs", Api.Ballot("budget", Api.TextOptions("A"), budget: 100m), "options", "ballot-option-cost-missing" },
        { "ranking of 101 options", Api.Ballot("ranking", Api.TextOptions(Enumerable.Range(1, 101).Select(i => $"O{i}").ToArray())), "options", "ballot-too-many-options-for-ranking" },
        { "empty title", Raw(" ", Api.TextOptions("A")), "title", "ballot-title-invalid" },
        { "no options", Raw("Ohne Optionen", []), "options", "ballot-options-count" },
        { "an option without a title", Raw("Option ohne Titel", [new { title = "A" }, new { title = "" }]), "options[1].title", "ballot-option-title-invalid" },
        { "a district for all verified", Raw("Stadtteil", Api.TextOptions("A"), new { kind = "verified", district = "mitte" }), "eligibility.district", "ballot-district-needs-resident" },
        { "voting codes without a group", Raw("Codes", Api.TextOptions("A"), new { kind = "voting-group" }), "eligibility.votingGroupId", "ballot-voting-group-missing" },
        { "follows a phase without one", Raw("Phase", Api.TextOptions("A"), followsPhase: true), "phaseId", "ballot-phase-missing" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task CreateBallot_RulesThatCannotWork_422WithGermanMessageAndCodeAtTheField_NothingStored(string scenario, object spec, string field, string code)
    {
        var processId = (Guid)spec.GetType().GetProperty("processId")!.GetValue(spec)!;
        var problem = await (await _factory.Staff().PostJson("/ballots", spec)).Json200(HttpStatusCode.UnprocessableEntity);

        problem.GetProperty("errors").TryGetProperty(field, out var messages).Should().BeTrue($"{scenario}: {problem}");
        messages[0].GetString().Should().MatchRegex("[äöüß]|Abstimmung|Option|Bitte|muss|braucht|fehlt", scenario);
        problem.GetProperty("errorCodes").GetProperty(field).GetString().Should().Be(code, scenario);
        (await _factory.QueryAsync<long>("SELECT count(*) FROM ballots WHERE process_id = @processId", new { processId })).Should().Be(0, scenario);
    }

    [Fact]
    public async Task OpenBallot_WithoutAnEnd_422EndMissingAtClosesAt()
    {
        var spec = new
        {
            processId = Guid.NewGuid(), title = "Ohne Ende", method = "support", options = Api.TextOptions("A"),
            eligibility = new { kind = "verified" }, visibility = "live",
        };
        var created = await (await _factory.Staff().PostJson("/ballots", spec)).Json200(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetGuid();
        var problem = await (await _factory.Staff().PostAsync($"/ballots/{id}/open", null)).Json200(HttpStatusCode.UnprocessableEntity);
        problem.GetProperty("errorCodes").GetProperty("closesAt").GetString().Should().Be("ballot-end-missing");
    }
}
