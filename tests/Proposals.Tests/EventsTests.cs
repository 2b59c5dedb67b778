using System.Net;
using System.Text;
using Ical.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Mitreden.Proposals.Api;
using Mitreden.Proposals.Api.Data;
using Mitreden.Proposals.Api.Features.Processes;
using Mitreden.Proposals.Contracts;
using Mitreden.Proposals.Contracts.Http;
using Mitreden.TestKit;

namespace Mitreden.Proposals.Tests;

[Collection(ProposalsCollection.Name)]
public sealed class EventsTests(ProposalsFixture fixture)
{
    private readonly ServiceFactory<ProposalsDb> _factory = fixture.Factory;

    private static object Body(DateTimeOffset starts, DateTimeOffset? ends = null, int? capacity = null, bool registration = true,
        string? place = "Rathausgalerie Leverkusen", string? onlineUrl = null, string title = "Zukunftswerkstatt") => new
    {
        title,
        description = "Szenarien **diskutieren**. <script>alert(1)</script>",
        startsAt = starts,
        endsAt = ends ?? starts.AddHours(3),
        place,
        onlineUrl,
        registration,
        capacity,
    };

    private async Task<(ProcessResponse Process, ProcessEvent Event)> CreateAsync(object body)
    {
        var process = await _factory.CreatePublishedProcessAsync();
        var created = await (await _factory.Staff().PostJson($"/processes/{process.Id}/events", body)).Read<ProcessEvent>(HttpStatusCode.Created);
        return (process, created);
    }

    private static string Url(Guid processId, Guid eventId, string rest = "") => $"/processes/{processId}/events/{eventId}{rest}";

    [Fact]
    public async Task StaffCreateEvent_EveryoneSeesItUpcoming_DescriptionRenderedAndSanitised()
    {
        var starts = DateTimeOffset.UtcNow.AddDays(5);
        var (process, created) = await CreateAsync(Body(starts));
        created.DescriptionHtml.Should().Contain("<strong>diskutieren</strong>").And.NotContain("<script");
        created.Registered.Should().Be(0);

        var upcoming = await (await _factory.Anonymous().GetAsync($"/processes/{process.Id}/events")).Read<List<ProcessEvent>>();
        upcoming.Should().ContainSingle().Which.Id.Should().Be(created.Id);
        (await (await _factory.Anonymous().GetAsync($"/processes/{process.Id}/events?when=past")).Read<List<ProcessEvent>>()).Should().BeEmpty();
        (await _factory.Anonymous().GetAsync($"/processes/{process.Id}/events?when=soon")).StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task Create_EndBeforeStart_OrHttpLink_Is422AtTheField_AndStoresNothing()
    {
        var process = await _factory.CreatePublishedProcessAsync();
        var staff = _factory.Staff();
        var starts = DateTimeOffset.UtcNow.AddDays(3);
        var problem = await (await staff.PostJson($"/processes/{process.Id}/events", Body(starts, starts.AddHours(-1))))
            .Problem(HttpStatusCode.UnprocessableEntity);
        problem.GetProperty("errors").GetProperty("endsAt")[0].GetString().Should().Be("Das Ende muss nach dem Beginn liegen.");

        problem = await (await staff.PostJson($"/processes/{process.Id}/events", Body(starts, place: null, onlineUrl: "http://example.org/raum")))
            .Problem(HttpStatusCode.UnprocessableEntity);
        problem.GetProperty("errors").GetProperty("onlineUrl")[0].GetString().Should().Contain("https");

        problem = await (await staff.PostJson($"/processes/{process.Id}/events", Body(starts, place: " ", onlineUrl: null)))
            .Problem(HttpStatusCode.UnprocessableEntity);
        problem.GetProperty("errors").TryGetProperty("place", out _).Should().BeTrue();

        problem = await (await staff.PostJson($"/processes/{process.Id}/events", Body(starts, capacity: 0)))
            .Problem(HttpStatusCode.UnprocessableEntity);
        problem.GetProperty("errors").TryGetProperty("capacity", out _).Should().BeTrue();

        (await (await _factory.Anonymous().GetAsync($"/processes/{process.Id}/events?when=all")).Read<List<ProcessEvent>>()).Should().BeEmpty();
    }

    [Fact]
    public async Task Register_ForPastOrCancelledEvent_Is422()
    {
        var (process, past) = await CreateAsync(Body(DateTimeOffset.UtcNow.AddDays(-2)));
        var citizen = _factory.Citizen(out _);
        var problem = await (await citizen.PostAsync(Url(process.Id, past.Id, "/registration"), null)).Problem(HttpStatusCode.UnprocessableEntity);
        problem.GetProperty("errors").GetProperty("registration")[0].GetString().Should().Contain("vorbei");

        var staff = _factory.Staff();
        var future = await (await staff.PostJson($"/processes/{process.Id}/events", Body(DateTimeOffset.UtcNow.AddDays(2))))
            .Read<ProcessEvent>(HttpStatusCode.Created);
        (await (await staff.PostAsync(Url(process.Id, future.Id, "/cancel"), null)).Read<ProcessEvent>()).Cancelled.Should().BeTrue();
        problem = await (await citizen.PostAsync(Url(process.Id, future.Id, "/registration"), null)).Problem(HttpStatusCode.UnprocessableEntity);
        problem.GetProperty("errors").GetProperty("registration")[0].GetString().Should().Contain("abgesagt");

        await using var scope = _factory.Scope();
        var db = scope.ServiceProvider.GetRequiredService<ProposalsDb>();
        (await db.EventRegistrations.CountAsync(r => r.EventId == past.Id || r.EventId == future.Id)).Should().Be(0);
    }

    [Fact]
    public async Task Register_ConcurrentlyBeyondCapacity_GivesOutExactlyTheSeats_RestWait()
    {
        const int capacity = 3, people = 12;
        var (process, created) = await CreateAsync(Body(DateTimeOffset.UtcNow.AddDays(4), capacity: capacity));
        var clients = Enumerable.Range(0, people).Select(i => _factory.ClientFor(Guid.NewGuid(), ["citizen"], name: $"Person {i}")).ToList();

        using var start = new ManualResetEventSlim(false);
        var tasks = clients.Select(c => Task.Run(async () =>
        {
            start.Wait();
            return await c.PostAsync(Url(process.Id, created.Id, "/registration"), null);
        })).ToList();
        start.Set();
        var answers = await Task.WhenAll(tasks);
        answers.Should().OnlyContain(a => a.StatusCode == HttpStatusCode.OK);

        var statuses = new List<string>();
        foreach (var a in answers)
        {
            statuses.Add((await a.Read<ProcessEvent>()).MyStatus!);
        }
        statuses.Count(s => s == RegistrationStatuses.Registered).Should().Be(capacity);
        statuses.Count(s => s == RegistrationStatuses.Waiting).Should().Be(people - capacity);

        var now = await (await _factory.Anonymous().GetAsync(Url(process.Id, created.Id))).Read<ProcessEvent>();
        now.Registered.Should().Be(capacity);
        now.Waiting.Should().Be(people - capacity);
    }

    [Fact]
    public async Task Cancel_ByRegisteredPerson_MovesTheFirstOnTheWaitingListUp_InOrder()
    {
        var (process, created) = await CreateAsync(Body(DateTimeOffset.UtcNow.AddDays(4), capacity: 1));
        var url = Url(process.Id, created.Id, "/registration");
        var first = _factory.ClientFor(Guid.NewGuid(), ["citizen"], name: "Erste Person");
        var second = _factory.ClientFor(Guid.NewGuid(), ["citizen"], name: "Zweite Person");
        var third = _factory.ClientFor(Guid.NewGuid(), ["citizen"], name: "Dritte Person");
        (await (await first.PostAsync(url, null)).Read<ProcessEvent>()).MyStatus.Should().Be(RegistrationStatuses.Registered);
        (await (await second.PostAsync(url, null)).Read<ProcessEvent>()).MyStatus.Should().Be(RegistrationStatuses.Waiting);
        (await (await third.PostAsync(url, null)).Read<ProcessEvent>()).MyStatus.Should().Be(RegistrationStatuses.Waiting);
        (await (await second.PostAsync(url, null)).Read<ProcessEvent>()).Waiting.Should().Be(2, "registering twice changes nothing");

        var afterCancel = await (await first.DeleteAsync(url)).Read<ProcessEvent>();
        afterCancel.MyStatus.Should().BeNull();
        afterCancel.Registered.Should().Be(1);
        afterCancel.Waiting.Should().Be(1);

        var mine = await (await second.GetAsync("/me/event-registrations")).Read<List<MyEventRegistration>>();
        mine.Should().ContainSingle().Which.Status.Should().Be(RegistrationStatuses.Registered, "the first on the waiting list moved up");
        (await (await third.GetAsync("/me/event-registrations")).Read<List<MyEventRegistration>>()).Single().Status
            .Should().Be(RegistrationStatuses.Waiting);
        (await (await first.GetAsync("/me/event-registrations")).Read<List<MyEventRegistration>>()).Should().BeEmpty();
        (await first.DeleteAsync(url)).StatusCode.Should().Be(HttpStatusCode.NotFound);

        var attendees = await (await _factory.Staff().GetAsync(Url(process.Id, created.Id, "/registrations"))).Read<List<EventAttendee>>();
        attendees.Select(a => (a.Name, a.Status)).Should().Equal(("Zweite Person", RegistrationStatuses.Registered), ("Dritte Person", RegistrationStatuses.Waiting));
        (await first.GetAsync(Url(process.Id, created.Id, "/registrations"))).StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task SignInSheet_IsGermanCsvWithBom_AndNeutralisesFormulas()
    {
        var (process, created) = await CreateAsync(Body(DateTimeOffset.UtcNow.AddDays(4), capacity: 5));
        var url = Url(process.Id, created.Id, "/registration");
        (await _factory.ClientFor(Guid.NewGuid(), ["citizen"], name: "=HYPERLINK(\"http://evil\")").PostAsync(url, null)).EnsureSuccessStatusCode();
        (await _factory.ClientFor(Guid.NewGuid(), ["citizen"], name: "Jürgen Müller").PostAsync(url, null)).EnsureSuccessStatusCode();

        var response = await _factory.Staff().GetAsync(Url(process.Id, created.Id, "/registrations/csv"));
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/csv");
        var bytes = await response.Content.ReadAsByteArrayAsync();
        bytes.Take(3).Should().Equal(0xEF, 0xBB, 0xBF);
        var lines = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().Be("Nr.;Name;Status;Unterschrift");
        lines[1].Should().StartWith("1;\"'=HYPERLINK(").And.EndWith(";angemeldet;");
        lines[2].Should().Be("2;Jürgen Müller;angemeldet;");
        lines.Should().HaveCount(3, "no more than name, status and a column to sign");
    }

    [Fact]
    public async Task Calendar_PerEventAndProcess_HasStableUidsAndUtcTimes()
    {
        var starts = new DateTimeOffset(2030, 6, 29, 10, 0, 0, TimeSpan.FromHours(2));
        var (process, created) = await CreateAsync(Body(starts, starts.AddHours(6)));
        var response = await _factory.Anonymous().GetAsync(Url(process.Id, created.Id, "/calendar"));
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/calendar");
        var text = await response.Content.ReadAsStringAsync();
        text.Should().Contain("DTSTART:20300629T080000Z", "10:00 in Berlin in summer is 08:00 UTC").And.Contain("DTEND:20300629T140000Z");
        text.Should().Contain($"UID:{created.Id}@mitreden").And.Contain("LOCATION:Rathausgalerie Leverkusen");
        var calendar = Calendar.Load(text)!;
        calendar.Events.Should().ContainSingle().Which.Summary.Should().Be("Zukunftswerkstatt");

        var staff = _factory.Staff();
        var second = await (await staff.PostJson($"/processes/{process.Id}/events", Body(starts.AddDays(30), title: "Zielkonferenz")))
            .Read<ProcessEvent>(HttpStatusCode.Created);
        (await staff.PostAsync(Url(process.Id, second.Id, "/cancel"), null)).EnsureSuccessStatusCode();
        var all = Calendar.Load(await _factory.Anonymous().GetStringAsync($"/processes/{process.Id}/events/calendar"))!;
        all.Events.Select(e => e.Uid).Should().BeEquivalentTo([$"{created.Id}@mitreden", $"{second.Id}@mitreden"]);
        all.Events.Single(e => e.Summary == "Zielkonferenz").Status.Should().Be("CANCELLED");
        (await _factory.Anonymous().GetStringAsync(Url(process.Id, created.Id, "/calendar"))).Should().Contain($"UID:{created.Id}@mitreden",
            "the same event keeps its UID in every download");
    }

    [Fact]
    public async Task MinutesAndDocuments_AfterTheEvent_BelongToIt()
    {
        var (process, created) = await CreateAsync(Body(DateTimeOffset.UtcNow.AddDays(-1), registration: false));
        var staff = _factory.Staff();
        var withMinutes = await (await staff.PutJson(Url(process.Id, created.Id, "/minutes"), new { minutes = "## Ergebnisse\n\n- Leitbild beschlossen" }))
            .Read<ProcessEvent>();
        withMinutes.MinutesHtml.Should().Contain("<h3").And.Contain("<li>Leitbild beschlossen</li>");

        using var form = new MultipartFormDataContent();
        var pdf = new ByteArrayContent(DocumentsTests.Pdf);
        form.Add(pdf, "file", "protokoll.pdf");
        form.Add(new StringContent(created.Id.ToString()), "eventId");
        var document = await (await staff.PostAsync($"/processes/{process.Id}/documents", form)).Read<ProcessDocument>(HttpStatusCode.Created);
        document.EventId.Should().Be(created.Id);
        var listed = await (await _factory.Anonymous().GetAsync($"/processes/{process.Id}/documents?eventId={created.Id}")).Read<List<ProcessDocument>>();
        listed.Should().ContainSingle().Which.Id.Should().Be(document.Id);

        var future = await (await staff.PostJson($"/processes/{process.Id}/events", Body(DateTimeOffset.UtcNow.AddDays(3))))
            .Read<ProcessEvent>(HttpStatusCode.Created);
        (await staff.PutJson(Url(process.Id, future.Id, "/minutes"), new { minutes = "Zu früh" })).StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task EventsOfADraftProcess_AreHiddenFromEveryoneButStaff()
    {
        var staff = _factory.Staff();
        var draft = await (await staff.PostJson("/processes", new { title = Api.Unique("Entwurf"), description = "Test", city = Api.Unique("Stadt") }))
            .Read<ProcessResponse>(HttpStatusCode.Created);
        var created = await (await staff.PostJson($"/processes/{draft.Id}/events", Body(DateTimeOffset.UtcNow.AddDays(3))))
            .Read<ProcessEvent>(HttpStatusCode.Created);
        (await _factory.Anonymous().GetAsync($"/processes/{draft.Id}/events")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await _factory.Anonymous().GetAsync(Url(draft.Id, created.Id, "/calendar"))).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await _factory.Citizen(out _).PostAsync(Url(draft.Id, created.Id, "/registration"), null)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await staff.GetAsync(Url(draft.Id, created.Id))).StatusCode.Should().Be(HttpStatusCode.OK);
    }
}
