using System.Net;
using Mitreden.Proposals.Api;
using Mitreden.Proposals.Api.Data;
using Mitreden.Proposals.Api.Features.Items;
using Mitreden.Proposals.Api.Features.Phases;
using Mitreden.Proposals.Api.Features.Processes;
using Mitreden.Proposals.Contracts;
using Mitreden.Proposals.Contracts.Http;
using Mitreden.TestKit;

namespace Mitreden.Proposals.Tests;

/// <summary>
/// Internal and members-only phases (#18 part 4) on a public process: the phase, its events (with their calendar
/// entries and registrations) and its documents are 404 or left out for those who may not see it; the rest of the
/// process stays visible; members see a members-only phase; staff see everything; every change is announced.
/// </summary>
[Collection(ProposalsCollection.Name)]
public sealed class PhaseVisibilityTests(ProposalsFixture fixture)
{
    private readonly ServiceFactory<ProposalsDb> _factory = fixture.Factory;

    public sealed class Scenario
    {
        public Guid ProcessId { get; set; }
        public Guid PublicPhaseId { get; set; }
        public Guid MemberId { get; } = Guid.NewGuid();
        /// <summary>Per hidden phase ("INTERNAL", "MEMBERS"): phase, event, phase document, event document.</summary>
        public Dictionary<string, (Guid Phase, Guid Event, Guid Document, Guid EventDocument, string EventTitle, Guid Item, Guid ItemDocument)> Hidden { get; } = new();
        public Guid PublicItemId { get; set; }
    }

    public static TheoryData<string> Reads => new()
    {
        "/processes/{X}/phases/{PH}", "/processes/{X}/events/{E}", "/processes/{X}/events/{E}/calendar",
        "/processes/{X}/documents/{DOC}/content", "/processes/{X}/documents/{EDOC}/content", "/items/{I}", "/processes/{X}/documents/{IDOC}/content",
    };

    [Theory]
    [MemberData(nameof(Reads))]
    public async Task Read_OfInternalPhase_OnlyStaffSeeIt(string url)
    {
        var scenario = await fixture.Shared(CreateScenarioAsync);
        var path = Fill(url, scenario, "INTERNAL");
        (await _factory.Anonymous().GetAsync(path)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await _factory.ClientFor(Guid.NewGuid(), ["citizen"]).GetAsync(path)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await _factory.ClientFor(scenario.MemberId, ["citizen"]).GetAsync(path)).StatusCode.Should().Be(HttpStatusCode.NotFound,
            "an internal phase is staff only, members or not");
        (await _factory.Moderator().GetAsync(path)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await _factory.Staff().GetAsync(path)).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Theory]
    [MemberData(nameof(Reads))]
    public async Task Read_OfMembersOnlyPhase_ProcessMembersAndStaffSeeIt(string url)
    {
        var scenario = await fixture.Shared(CreateScenarioAsync);
        var path = Fill(url, scenario, "MEMBERS");
        (await _factory.Anonymous().GetAsync(path)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await _factory.ClientFor(Guid.NewGuid(), ["citizen"]).GetAsync(path)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await _factory.ClientFor(scenario.MemberId, ["citizen"]).GetAsync(path)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await _factory.Staff().GetAsync(path)).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Lists_LeaveOutWhatBelongsToAHiddenPhase_ButKeepTheRestOfTheProcess()
    {
        var scenario = await fixture.Shared(CreateScenarioAsync);
        var x = scenario.ProcessId;
        var hidden = scenario.Hidden["INTERNAL"];
        var members = scenario.Hidden["MEMBERS"];

        async Task<(List<Guid> Phases, List<Guid> ProcessPhases, List<Guid> Events, List<Guid> Documents, string Calendar, Guid? ListedCurrent,
            List<Guid> Items, int Total, List<Guid> Found, List<Guid> Measures)> SeenBy(HttpClient client)
        {
            var page = await (await client.GetAsync($"/processes/{x}/items?pageSize=100")).Read<ItemPage>();
            var found = await (await client.GetAsync($"/processes/{x}/items?q=Zukunftsbaum")).Read<ItemPage>();
            var monitoring = await (await client.GetAsync($"/processes/{x}/monitoring")).Content.ReadAsStringAsync();
            var measures = new[] { scenario.PublicItemId, hidden.Item, members.Item }.Where(id => monitoring.Contains(id.ToString(), StringComparison.OrdinalIgnoreCase)).ToList();
            var phases = (await (await client.GetAsync($"/processes/{x}/phases")).Read<List<PhaseResponse>>()).Select(p => p.Id).ToList();
            var process = await (await client.GetAsync($"/processes/{x}")).Read<ProcessResponse>();
            var events = (await (await client.GetAsync($"/processes/{x}/events?when=all")).Read<List<ProcessEvent>>()).Select(e => e.Id).ToList();
            var documents = (await (await client.GetAsync($"/processes/{x}/documents")).Read<List<ProcessDocument>>()).Select(d => d.Id).ToList();
            var calendar = await (await client.GetAsync($"/processes/{x}/events/calendar")).Content.ReadAsStringAsync();
            var listed = (await (await client.GetAsync("/processes")).Read<List<ProcessSummary>>()).Single(p => p.Id == x).CurrentPhase?.Id;
            return (phases, process.Phases.Select(p => p.Id).ToList(), events, documents, calendar, listed, page.Items.Select(i => i.Id).ToList(), page.Total,
                found.Items.Select(i => i.Id).ToList(), measures);
        }

        foreach (var citizen in new[] { _factory.Anonymous(), _factory.ClientFor(Guid.NewGuid(), ["citizen"]) })
        {
            var seen = await SeenBy(citizen);
            seen.Phases.Should().Equal(scenario.PublicPhaseId);
            seen.ProcessPhases.Should().Equal(scenario.PublicPhaseId);
            seen.Events.Should().NotContain([hidden.Event, members.Event]);
            seen.Documents.Should().NotContain([hidden.Document, hidden.EventDocument, members.Document, members.EventDocument]);
            seen.Calendar.Should().Contain("BEGIN:VCALENDAR").And.NotContain(hidden.EventTitle).And.NotContain(members.EventTitle);
            seen.ListedCurrent.Should().Be(scenario.PublicPhaseId);
            seen.Items.Should().Equal(scenario.PublicItemId);
            seen.Total.Should().Be(1, "the count leaves out what the list leaves out");
            seen.Found.Should().Equal(scenario.PublicItemId);
            seen.Measures.Should().Equal(scenario.PublicItemId);
        }

        var asMember = await SeenBy(_factory.ClientFor(scenario.MemberId, ["citizen"]));
        asMember.Phases.Should().BeEquivalentTo([scenario.PublicPhaseId, members.Phase]);
        asMember.Events.Should().Contain(members.Event).And.NotContain(hidden.Event);
        asMember.Documents.Should().Contain([members.Document, members.EventDocument]).And.NotContain([hidden.Document, hidden.EventDocument]);
        asMember.Calendar.Should().Contain(members.EventTitle).And.NotContain(hidden.EventTitle);
        asMember.Items.Should().BeEquivalentTo([scenario.PublicItemId, members.Item]);
        asMember.Found.Should().BeEquivalentTo([scenario.PublicItemId, members.Item]);

        var asStaff = await SeenBy(_factory.Staff());
        asStaff.Phases.Should().BeEquivalentTo([scenario.PublicPhaseId, members.Phase, hidden.Phase]);
        asStaff.Events.Should().Contain([hidden.Event, members.Event]);
        asStaff.Documents.Should().Contain([hidden.Document, hidden.EventDocument, members.Document, members.EventDocument]);
        asStaff.Calendar.Should().Contain(hidden.EventTitle);
        asStaff.Items.Should().BeEquivalentTo([scenario.PublicItemId, members.Item, hidden.Item]);
        asStaff.Total.Should().Be(3);
        asStaff.Measures.Should().BeEquivalentTo([scenario.PublicItemId, members.Item, hidden.Item]);
    }

    [Fact]
    public async Task Register_ForEventOfHiddenPhase_IsNotFound_AndStoresNothing()
    {
        var scenario = await fixture.Shared(CreateScenarioAsync);
        var hidden = scenario.Hidden["INTERNAL"];
        var citizen = Guid.NewGuid();
        var client = _factory.ClientFor(citizen, ["citizen"]);
        (await client.PostAsync($"/processes/{scenario.ProcessId}/events/{hidden.Event}/registration", null)).StatusCode
            .Should().Be(HttpStatusCode.NotFound);
        (await (await client.GetAsync("/me/event-registrations")).Read<List<MyEventRegistration>>()).Should().BeEmpty();
        var attendees = await (await _factory.Staff().GetAsync($"/processes/{scenario.ProcessId}/events/{hidden.Event}/registrations"))
            .Read<List<EventAttendee>>();
        attendees.Should().BeEmpty();
    }

    [Fact]
    public async Task MyRegistrations_OfAPhaseMadeInternalLater_AreLeftOut()
    {
        var staff = _factory.Staff();
        var process = await _factory.CreatePublishedProcessAsync();
        var phase = process.CurrentPhase!.Id;
        var startsAt = DateTimeOffset.UtcNow.AddDays(3);
        var ev = await (await staff.PostJson($"/processes/{process.Id}/events",
            new { title = "Workshop", startsAt, endsAt = startsAt.AddHours(2), place = "Rathaus", phaseId = phase, registration = true }))
            .Read<ProcessEvent>(HttpStatusCode.Created);
        var client = _factory.ClientFor(Guid.NewGuid(), ["citizen"]);
        (await client.PostAsync($"/processes/{process.Id}/events/{ev.Id}/registration", null)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await (await client.GetAsync("/me/event-registrations")).Read<List<MyEventRegistration>>()).Select(r => r.EventId).Should().Equal(ev.Id);

        (await staff.PutJson($"/processes/{process.Id}/phases/{phase}/visibility", new { visibility = "internal" })).StatusCode.Should().Be(HttpStatusCode.OK);
        (await (await client.GetAsync("/me/event-registrations")).Read<List<MyEventRegistration>>()).Should().BeEmpty();
        (await client.DeleteAsync($"/processes/{process.Id}/events/{ev.Id}/registration")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task SetVisibility_AnswersPhaseAndEffective_AndAnnouncesEachChangeOnce()
    {
        var staff = _factory.Staff();
        var process = await _factory.CreatePublishedProcessAsync();
        var phase = process.CurrentPhase!.Id;
        var url = $"/processes/{process.Id}/phases/{phase}/visibility";

        var initial = await (await staff.GetAsync(url)).Read<PhaseVisibilityResponse>();
        initial.Should().Be(new PhaseVisibilityResponse(process.Id, phase, "public", "public", "public"));
        (await (await staff.PutJson(url, new { visibility = "members" })).Read<PhaseVisibilityResponse>()).Effective.Should().Be("members");
        (await staff.PutJson(url, new { visibility = "members" })).StatusCode.Should().Be(HttpStatusCode.OK, "setting it again changes nothing");
        (await staff.PutJson($"/processes/{process.Id}/visibility", new { visibility = "internal" })).StatusCode.Should().Be(HttpStatusCode.OK);
        var stricter = await (await staff.GetAsync(url)).Read<PhaseVisibilityResponse>();
        (stricter.Visibility, stricter.ProcessVisibility, stricter.Effective).Should().Be(("members", "internal", "internal"));
        (await staff.PutJson(url, new { visibility = "public" })).StatusCode.Should().Be(HttpStatusCode.OK);

        var announced = (await _factory.OutboxAsync<PhaseVisibilityChanged>(e => e.PhaseId == phase)).Select(e => e.Message).OrderBy(e => e.ChangedAt).ToList();
        announced.Select(e => (e.ProcessId, e.Visibility)).Should().Equal((process.Id, "members"), (process.Id, "public"));
    }

    [Fact]
    public async Task ItemPhase_IsAnnouncedWithTheItem_AndWhenItMoves()
    {
        var staff = _factory.Staff();
        var process = await _factory.CreatePublishedProcessAsync();
        var now = DateTimeOffset.UtcNow;
        var workshop = await (await staff.PostJson($"/processes/{process.Id}/phases", new
        {
            title = "Werkstatt", kind = PhaseKinds.Workshop, startsAt = now.AddDays(-30), endsAt = now.AddDays(-25),
            switches = new { proposing = false, commenting = false, preModeration = false, voting = false, resultsVisible = false },
        })).Read<PhaseResponse>(HttpStatusCode.Created);
        var item = await staff.CreateItemAsync(process.Id, new { kind = ItemKinds.Measure, title = "Aus der Werkstatt", description = "", phaseId = workshop.Id });
        (await _factory.OutboxAsync<ItemPublished>(e => e.ItemId == item.Id)).Select(e => e.Message.PhaseId).Should().Equal(workshop.Id);

        var moved = await (await staff.PutJson($"/items/{item.Id}", new { title = "Aus der Werkstatt", description = "", phaseId = process.CurrentPhase!.Id }))
            .Read<ItemResponse>();
        moved.PhaseId.Should().Be(process.CurrentPhase.Id);
        var kept = await (await staff.PutJson($"/items/{item.Id}", new { title = "Umbenannt", description = "" })).Read<ItemResponse>();
        kept.PhaseId.Should().Be(process.CurrentPhase.Id, "an update without phaseId keeps the phase");
        (await _factory.OutboxAsync<ItemUpdated>(e => e.ItemId == item.Id)).Select(e => e.Message.PhaseId)
            .Should().Equal(process.CurrentPhase.Id, process.CurrentPhase.Id);
    }

    [Fact]
    public async Task BadInput_IsRefusedWithProblemDetails_AndChangesNothing()
    {
        var staff = _factory.Staff();
        var process = await _factory.CreatePublishedProcessAsync();
        var phase = process.CurrentPhase!.Id;
        var url = $"/processes/{process.Id}/phases/{phase}/visibility";
        (await staff.PutJson(url, new { visibility = "geheim" })).StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await staff.PutJson(url, new { })).StatusCode.Should().Be(HttpStatusCode.BadRequest, "visibility is required");
        (await staff.PutJson(url, new { visibility = 3 })).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await staff.PutJson($"/processes/{process.Id}/phases/{Guid.NewGuid()}/visibility", new { visibility = "internal" })).StatusCode
            .Should().Be(HttpStatusCode.NotFound);
        (await staff.GetAsync($"/processes/{process.Id}/phases/{Guid.NewGuid()}/visibility")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await staff.PutJson($"/processes/{Guid.NewGuid()}/phases/{phase}/visibility", new { visibility = "internal" })).StatusCode
            .Should().Be(HttpStatusCode.NotFound, "the phase belongs to another process");
        (await _factory.ClientFor(Guid.NewGuid(), ["citizen"]).PutJson(url, new { visibility = "internal" })).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await _factory.Anonymous().GetAsync(url)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        (await staff.PostJson($"/processes/{process.Id}/items", new { kind = ItemKinds.Measure, title = "X", phaseId = Guid.NewGuid() })).StatusCode
            .Should().Be(HttpStatusCode.UnprocessableEntity, "the phase must be one of the process's");
        (await _factory.ClientFor(Guid.NewGuid(), ["citizen"]).PostJson($"/processes/{process.Id}/items", new { title = "Idee", phaseId = phase }))
            .StatusCode.Should().Be(HttpStatusCode.Forbidden, "only staff assign items to phases");

        (await (await staff.GetAsync(url)).Read<PhaseVisibilityResponse>()).Visibility.Should().Be("public");
        (await _factory.OutboxAsync<PhaseVisibilityChanged>(e => e.PhaseId == phase)).Should().BeEmpty();
    }

    private static string Fill(string url, Scenario scenario, string which)
    {
        var h = scenario.Hidden[which];
        return url.Replace("{X}", scenario.ProcessId.ToString()).Replace("{IDOC}", h.ItemDocument.ToString()).Replace("{I}", h.Item.ToString()).Replace("{PH}", h.Phase.ToString()).Replace("{EDOC}", h.EventDocument.ToString())
            .Replace("{E}", h.Event.ToString()).Replace("{DOC}", h.Document.ToString());
    }

    private async Task<Scenario> CreateScenarioAsync()
    {
        var staff = _factory.Staff();
        var process = await _factory.CreatePublishedProcessAsync();
        var scenario = new Scenario { ProcessId = process.Id, PublicPhaseId = process.CurrentPhase!.Id };
        scenario.PublicItemId = (await staff.CreateItemAsync(process.Id, new { kind = ItemKinds.Measure, title = "Öffentliche Maßnahme Zukunftsbaum", description = "" })).Id;
        var offset = 30;
        foreach (var (key, visibility) in new[] { ("INTERNAL", "internal"), ("MEMBERS", "members") })
        {
            var startsAt = DateTimeOffset.UtcNow.AddDays(-offset);
            offset += 10;
            var phase = await (await staff.PostJson($"/processes/{process.Id}/phases", new
            {
                title = $"Workshop {key}", kind = PhaseKinds.Workshop, startsAt, endsAt = startsAt.AddDays(5),
                switches = new { proposing = false, commenting = false, preModeration = false, voting = false, resultsVisible = false },
            })).Read<PhaseResponse>(HttpStatusCode.Created);
            var eventTitle = Api.Unique($"Interner Workshop {key}");
            var eventStarts = DateTimeOffset.UtcNow.AddDays(5 + offset);
            var ev = await (await staff.PostJson($"/processes/{process.Id}/events",
                new { title = eventTitle, startsAt = eventStarts, endsAt = eventStarts.AddHours(2), place = "Rathaus", phaseId = phase.Id, registration = true }))
                .Read<ProcessEvent>(HttpStatusCode.Created);
            var document = await (await staff.PostAsync($"/processes/{process.Id}/documents", DocumentsTests.Upload(DocumentsTests.Pdf, "Workshop.pdf", phaseId: phase.Id)))
                .Read<ProcessDocument>(HttpStatusCode.Created);
            var form = DocumentsTests.Upload(DocumentsTests.Pdf, "Protokoll.pdf");
            form.Add(new StringContent(ev.Id.ToString()), "eventId");
            var eventDocument = await (await staff.PostAsync($"/processes/{process.Id}/documents", form)).Read<ProcessDocument>(HttpStatusCode.Created);
            var item = await staff.CreateItemAsync(process.Id, new { kind = ItemKinds.Measure, title = $"Werkstattmaßnahme {key} Zukunftsbaum", description = "", phaseId = phase.Id });
            item.PhaseId.Should().Be(phase.Id);
            var itemDocument = await (await staff.PostAsync($"/processes/{process.Id}/documents", DocumentsTests.Upload(DocumentsTests.Pdf, "Maßnahme.pdf", itemId: item.Id)))
                .Read<ProcessDocument>(HttpStatusCode.Created);
            (await staff.PutJson($"/processes/{process.Id}/phases/{phase.Id}/visibility", new { visibility })).StatusCode.Should().Be(HttpStatusCode.OK);
            scenario.Hidden[key] = (phase.Id, ev.Id, document.Id, eventDocument.Id, eventTitle, item.Id, itemDocument.Id);
        }
        (await staff.PutAsync($"/processes/{process.Id}/members/{scenario.MemberId}", null)).StatusCode.Should().Be(HttpStatusCode.OK);
        return scenario;
    }
}
