using System.Net;
using Mitreden.Proposals.Api;
using Mitreden.Proposals.Api.Data;
using Mitreden.Proposals.Api.Features.Processes;
using Mitreden.Proposals.Contracts;
using Mitreden.Proposals.Contracts.Http;
using Mitreden.TestKit;

namespace Mitreden.Proposals.Tests;

/// <summary>
/// Internal and members-only processes (#18 part 4): every read of such a process and of what is in it answers 404 to
/// those who may not see it (as if it did not exist), members see a members-only process, staff see everything; and
/// every change goes out as ProcessVisibilityChanged with the whole member list.
/// </summary>
[Collection(ProposalsCollection.Name)]
public sealed class VisibilityTests(ProposalsFixture fixture)
{
    private readonly ServiceFactory<ProposalsDb> _factory = fixture.Factory;

    public sealed class Scenario
    {
        public Dictionary<string, Guid> Ids { get; } = new();
        public Guid MemberId { get; } = Guid.NewGuid();
    }

    public static TheoryData<string> Reads => new()
    {
        "/processes/{X}", "/processes/{X}/phases", "/processes/{X}/phases/{PH}", "/processes/{X}/fields-of-action", "/processes/{X}/themes",
        "/processes/{X}/items", "/items/{I}", "/processes/{X}/monitoring", "/processes/{X}/monitoring/report?format=json",
        "/processes/{X}/news", "/processes/{X}/news/{N}", "/processes/{X}/documents", "/processes/{X}/documents/{DOC}/content",
        "/processes/{X}/events?when=all", "/processes/{X}/events/{E}", "/processes/{X}/events/calendar", "/processes/{X}/events/{E}/calendar",
    };

    [Theory]
    [MemberData(nameof(Reads))]
    public async Task Read_OfInternalProcess_OnlyStaffSeeIt(string url)
    {
        var scenario = await fixture.Shared(CreateScenarioAsync);
        var path = Fill(url, scenario, "INTERNAL");
        (await _factory.Anonymous().GetAsync(path)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await _factory.ClientFor(Guid.NewGuid(), ["citizen"]).GetAsync(path)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await _factory.ClientFor(scenario.MemberId, ["citizen"]).GetAsync(path)).StatusCode.Should().Be(HttpStatusCode.NotFound,
            "members of another process are nobody here");
        (await _factory.Moderator().GetAsync(path)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await _factory.Staff().GetAsync(path)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await _factory.ClientFor(Guid.NewGuid(), ["admin"]).GetAsync(path)).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Theory]
    [MemberData(nameof(Reads))]
    public async Task Read_OfMembersOnlyProcess_MembersAndStaffSeeIt(string url)
    {
        var scenario = await fixture.Shared(CreateScenarioAsync);
        var path = Fill(url, scenario, "MEMBERS");
        (await _factory.Anonymous().GetAsync(path)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await _factory.ClientFor(Guid.NewGuid(), ["citizen"]).GetAsync(path)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await _factory.ClientFor(scenario.MemberId, ["citizen"]).GetAsync(path)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await _factory.Staff().GetAsync(path)).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task ListProcesses_ShowsEachOnlyToThoseWhoMaySeeIt()
    {
        var scenario = await fixture.Shared(CreateScenarioAsync);
        var (members, @internal) = (scenario.Ids["MEMBERS"], scenario.Ids["INTERNAL"]);
        async Task<List<Guid>> ListAsync(HttpClient client) =>
            (await (await client.GetAsync("/processes")).Read<List<ProcessSummary>>()).Select(p => p.Id).ToList();

        (await ListAsync(_factory.Anonymous())).Should().NotContain([members, @internal]);
        (await ListAsync(_factory.ClientFor(Guid.NewGuid(), ["citizen"]))).Should().NotContain([members, @internal]);
        var asMember = await ListAsync(_factory.ClientFor(scenario.MemberId, ["citizen"]));
        asMember.Should().Contain(members).And.NotContain(@internal);
        (await ListAsync(_factory.Staff())).Should().Contain([members, @internal]);
    }

    [Fact]
    public async Task Members_AddedAndRemoved_SeeTheProcessOnlyWhileMembers_AndEveryChangeIsAnnounced()
    {
        var staff = _factory.Staff();
        var process = await _factory.CreatePublishedProcessAsync();
        var person = Guid.NewGuid();
        var asPerson = _factory.ClientFor(person, ["citizen"]);
        (await (await staff.PutJson($"/processes/{process.Id}/visibility", new { visibility = "members" })).Read<ProcessVisibilityResponse>())
            .Visibility.Should().Be("members");
        (await asPerson.GetAsync($"/processes/{process.Id}")).StatusCode.Should().Be(HttpStatusCode.NotFound);

        var added = await (await staff.PutAsync($"/processes/{process.Id}/members/{person}", null)).Read<ProcessVisibilityResponse>();
        added.Members.Select(m => m.AccountId).Should().Equal(person);
        (await asPerson.GetAsync($"/processes/{process.Id}")).StatusCode.Should().Be(HttpStatusCode.OK);
        // Adding twice changes nothing and announces nothing.
        (await staff.PutAsync($"/processes/{process.Id}/members/{person}", null)).StatusCode.Should().Be(HttpStatusCode.OK);

        (await (await staff.DeleteAsync($"/processes/{process.Id}/members/{person}")).Read<ProcessVisibilityResponse>()).Members.Should().BeEmpty();
        (await asPerson.GetAsync($"/processes/{process.Id}")).StatusCode.Should().Be(HttpStatusCode.NotFound);

        var announced = (await _factory.OutboxAsync<ProcessVisibilityChanged>(e => e.ProcessId == process.Id))
            .Select(e => e.Message).OrderBy(e => e.ChangedAt).ToList();
        announced.Select(e => (e.Visibility, e.Members.Count)).Should().Equal(
            ("public", 0), ("members", 0), ("members", 1), ("members", 0));
        announced[2].Members.Should().Equal(person);
    }

    [Fact]
    public async Task Create_WithVisibility_IsBornWithIt_AndAnnouncesIt()
    {
        var created = await (await _factory.Staff().PostJson("/processes", new { title = Api.Unique("Intern"), city = "Bergkamen", visibility = "internal" }))
            .Read<ProcessResponse>(HttpStatusCode.Created);
        created.Visibility.Should().Be("internal");
        (await _factory.OutboxAsync<ProcessVisibilityChanged>(e => e.ProcessId == created.Id)).Select(e => e.Message.Visibility)
            .Should().Equal("internal");
    }

    [Fact]
    public async Task BadInput_IsRefusedWithProblemDetails_AndChangesNothing()
    {
        var scenario = await fixture.Shared(CreateScenarioAsync);
        var staff = _factory.Staff();
        var id = scenario.Ids["MEMBERS"];
        (await staff.PutJson($"/processes/{id}/visibility", new { visibility = "geheim" })).StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await staff.PutJson($"/processes/{id}/visibility", new { })).StatusCode.Should().Be(HttpStatusCode.BadRequest, "visibility is required");
        (await staff.PutJson($"/processes/{id}/visibility", new { visibility = 3 })).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await staff.PutAsync($"/processes/{id}/members/{Guid.Empty}", null)).StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await staff.PutJson($"/processes/{Guid.NewGuid()}/visibility", new { visibility = "public" })).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await staff.PutAsync($"/processes/{Guid.NewGuid()}/members/{Guid.NewGuid()}", null)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await staff.PostJson("/processes", new { title = "X", city = "Y", visibility = "geheim" })).StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);

        var state = await (await staff.GetAsync($"/processes/{id}/visibility")).Read<ProcessVisibilityResponse>();
        state.Visibility.Should().Be("members");
        state.Members.Select(m => m.AccountId).Should().Equal(scenario.MemberId);
    }

    private static string Fill(string url, Scenario scenario, string process)
    {
        var prefix = process[0].ToString();
        var text = url.Replace("{X}", scenario.Ids[process].ToString());
        foreach (var key in new[] { "PH", "I", "N", "DOC", "E" })
        {
            text = text.Replace("{" + key + "}", scenario.Ids[prefix + key].ToString());
        }
        return text;
    }

    private async Task<Scenario> CreateScenarioAsync()
    {
        var scenario = new Scenario();
        var staff = _factory.Staff();
        foreach (var (key, visibility) in new[] { ("INTERNAL", "internal"), ("MEMBERS", "members") })
        {
            var process = await _factory.CreatePublishedProcessAsync();
            var prefix = key[0].ToString();
            scenario.Ids[key] = process.Id;
            scenario.Ids[prefix + "PH"] = process.CurrentPhase!.Id;
            scenario.Ids[prefix + "I"] = (await staff.CreateItemAsync(process.Id, new { kind = ItemKinds.Measure, title = "Interne Maßnahme", description = "" })).Id;
            scenario.Ids[prefix + "N"] = (await (await staff.PostJson($"/processes/{process.Id}/news", new { title = "Intern", body = "Text" }))
                .Read<NewsPost>(HttpStatusCode.Created)).Id;
            scenario.Ids[prefix + "DOC"] = (await (await staff.PostAsync($"/processes/{process.Id}/documents", DocumentsTests.Upload(DocumentsTests.Pdf, "Intern.pdf")))
                .Read<ProcessDocument>(HttpStatusCode.Created)).Id;
            var startsAt = DateTimeOffset.UtcNow.AddDays(5);
            scenario.Ids[prefix + "E"] = (await (await staff.PostJson($"/processes/{process.Id}/events",
                new { title = "Interner Workshop", startsAt, endsAt = startsAt.AddHours(2), place = "Rathaus" })).Read<ProcessEvent>(HttpStatusCode.Created)).Id;
            (await staff.PutJson($"/processes/{process.Id}/visibility", new { visibility })).StatusCode.Should().Be(HttpStatusCode.OK);
        }
        (await staff.PutAsync($"/processes/{scenario.Ids["MEMBERS"]}/members/{scenario.MemberId}", null)).StatusCode.Should().Be(HttpStatusCode.OK);
        return scenario;
    }
}
