using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Mitreden.Proposals.Api;
using Mitreden.Proposals.Api.Data;
using Mitreden.Proposals.Api.Features.Items;
using Mitreden.Proposals.Api.Features.Phases;
using Mitreden.Proposals.Api.Features.Processes;
using Mitreden.Proposals.Api.Features.Taxonomy;
using Mitreden.Proposals.Contracts;
using Mitreden.Proposals.Contracts.Http;
using Mitreden.TestKit;

namespace Mitreden.Proposals.Tests;

/// <summary>
/// Who may call what, for every endpoint: anonymous, a citizen, a moderator and staff, with the exact status each gets.
/// A second test checks this table against the endpoints the service really maps, so a new endpoint cannot be forgotten.
/// </summary>
[Collection(ProposalsCollection.Name)]
public sealed partial class AuthorizationTests(ProposalsFixture fixture)
{
    private readonly ServiceFactory<ProposalsDb> _factory = fixture.Factory;

    /// <summary>Ids the table's URLs refer to: {P} published process, {D} draft, {C} the citizen's own idea, …</summary>
    public sealed class Scenario
    {
        public Dictionary<string, Guid> Ids { get; } = new();
        public Guid CitizenId { get; } = Guid.NewGuid();
    }

    // (name, method, url, body: "json:…" | "csv:…" | null, anonymous, citizen, moderator, staff)
    public static TheoryData<string, string, string, string?, int, int, int, int> Endpoints => new()
    {
        { "list processes", "GET", "/processes", null, 200, 200, 200, 200 },
        { "create process", "POST", "/processes", """json:{"title":"Neu","description":"","city":"Authstadt"}""", 401, 403, 403, 201 },
        { "get process", "GET", "/processes/{P}", null, 200, 200, 200, 200 },
        { "update process", "PUT", "/processes/{P}", """json:{"title":"Umbenannt","description":"","city":"{CITY}"}""", 401, 403, 403, 200 },
        // Visibility and members: staff only (the world's process stays public; adding and removing an unknown account is harmless).
        { "get visibility", "GET", "/processes/{P}/visibility", null, 401, 403, 403, 200 },
        { "set visibility", "PUT", "/processes/{P}/visibility", """json:{"visibility":"public"}""", 401, 403, 403, 200 },
        { "add member", "PUT", "/processes/{P}/members/{UNKNOWN}", null, 401, 403, 403, 200 },
        { "remove member", "DELETE", "/processes/{P}/members/{UNKNOWN}", null, 401, 403, 403, 200 },
        { "publish process", "POST", "/processes/{PUBLISHME}/publish", null, 401, 403, 403, 200 },
        { "archive process", "POST", "/processes/{ARCHIVEME}/archive", null, 401, 403, 403, 200 },
        { "list phases", "GET", "/processes/{P}/phases", null, 200, 200, 200, 200 },
        { "get phase", "GET", "/processes/{P}/phases/{PH}", null, 200, 200, 200, 200 },
        { "create phase", "POST", "/processes/{P}/phases", """json:{"title":"Neu","kind":"workshop","startsAt":"2090-01-01T00:00:00Z","endsAt":"2090-01-02T00:00:00Z","switches":{"proposing":false,"commenting":false,"preModeration":false,"voting":false,"resultsVisible":false}}""", 401, 403, 403, 201 },
        { "update phase", "PUT", "/processes/{P}/phases/{LATER}", """json:{"title":"Später","kind":"final-presentation","startsAt":"2091-01-01T00:00:00Z","endsAt":"2091-01-02T00:00:00Z","switches":{"proposing":false,"commenting":false,"preModeration":false,"voting":false,"resultsVisible":true}}""", 401, 403, 403, 200 },
        // Phase visibility: staff only; the later phase stays public (setting "public" again changes nothing).
        { "get phase visibility", "GET", "/processes/{P}/phases/{LATER}/visibility", null, 401, 403, 403, 200 },
        { "set phase visibility", "PUT", "/processes/{P}/phases/{LATER}/visibility", """json:{"visibility":"public"}""", 401, 403, 403, 200 },
        { "update phase switches", "PUT", "/processes/{P}/phases/{LATER}/switches", """json:{"proposing":true,"commenting":true,"preModeration":false,"voting":false,"resultsVisible":false}""", 401, 403, 403, 200 },
        { "delete phase", "DELETE", "/processes/{P}/phases/{DOOMED}", null, 401, 403, 403, 204 },
        { "list fields of action", "GET", "/processes/{P}/fields-of-action", null, 200, 200, 200, 200 },
        { "create field of action", "POST", "/processes/{P}/fields-of-action", """json:{"title":"Neues Feld"}""", 401, 403, 403, 201 },
        { "update field of action", "PUT", "/processes/{P}/fields-of-action/{F}", """json:{"title":"Mobilität und Verkehr"}""", 401, 403, 403, 200 },
        // Removing: an unknown id, so the shared fields stay (staff get past authorization to the 404).
        { "remove field of action", "DELETE", "/processes/{P}/fields-of-action/{UNKNOWN}", null, 401, 403, 403, 404 },
        { "list themes", "GET", "/processes/{P}/themes", null, 200, 200, 200, 200 },
        { "create theme", "POST", "/processes/{P}/themes", """json:{"title":"Neues Thema"}""", 401, 403, 403, 201 },
        { "update theme", "PUT", "/processes/{P}/themes/{T}", """json:{"title":"Daten"}""", 401, 403, 403, 200 },
        { "remove theme", "DELETE", "/processes/{P}/themes/{UNKNOWN}", null, 401, 403, 403, 404 },
        { "list districts", "GET", "/districts?city={CITY}", null, 200, 200, 200, 200 },
        { "create district", "POST", "/districts", """json:{"city":"{CITY}","slug":"west","name":"West"}""", 401, 403, 403, 201 },
        { "list items", "GET", "/processes/{P}/items?q=Idee&sort=title", null, 200, 200, 200, 200 },
        // Any signed-in user may propose; staff must name an official kind (422 here, as the body has none).
        { "create item", "POST", "/processes/{P}/items", """json:{"title":"Idee","description":"Text"}""", 401, 201, 201, 422 },
        { "get item", "GET", "/items/{I}", null, 200, 200, 200, 200 },
        // The author (our citizen) and staff may edit; another signed-in user may not.
        { "update item", "PUT", "/items/{C}", """json:{"title":"Geänderte Idee","description":"Text"}""", 401, 200, 403, 200 },
        { "set item status", "PUT", "/items/{I}/status", """json:{"status":"in-pruefung","publicAnswer":"Wir prüfen das."}""", 401, 403, 403, 200 },
        { "update monitoring", "PUT", "/items/{I}/monitoring", """json:{"status":"planned","progressPercent":5}""", 401, 403, 403, 200 },
        { "monitoring overview", "GET", "/processes/{P}/monitoring", null, 200, 200, 200, 200 },
        { "monitoring report", "GET", "/processes/{P}/monitoring/report?year=2026&format=csv", null, 200, 200, 200, 200 },
        { "import items", "POST", "/processes/{P}/items/import", "csv:kind;title\nmeasure;Importiert\n", 401, 403, 403, 200 },
        { "list news", "GET", "/processes/{P}/news", null, 200, 200, 200, 200 },
        { "get news post", "GET", "/processes/{P}/news/{N}", null, 200, 200, 200, 200 },
        { "write news post", "POST", "/processes/{P}/news", """json:{"title":"Neu","body":"Text"}""", 401, 403, 403, 201 },
        { "change news post", "PUT", "/processes/{P}/news/{N}", """json:{"title":"Geändert","body":"Text"}""", 401, 403, 403, 200 },
        { "remove news post", "DELETE", "/processes/{P}/news/{DOOMEDNEWS}", null, 401, 403, 403, 204 },
        { "list documents", "GET", "/processes/{P}/documents", null, 200, 200, 200, 200 },
        { "download document", "GET", "/processes/{P}/documents/{DOC}/content", null, 200, 200, 200, 200 },
        { "upload document", "POST", "/processes/{P}/documents", "pdf:Protokoll.pdf", 401, 403, 403, 201 },
        { "remove document", "DELETE", "/processes/{P}/documents/{DOOMEDDOC}", null, 401, 403, 403, 204 },
        { "list events", "GET", "/processes/{P}/events?when=all", null, 200, 200, 200, 200 },
        { "get event", "GET", "/processes/{P}/events/{E}", null, 200, 200, 200, 200 },
        { "calendar of the process", "GET", "/processes/{P}/events/calendar", null, 200, 200, 200, 200 },
        { "map of the process", "GET", "/processes/{P}/map?district=mitte", null, 200, 200, 200, 200 },
        { "calendar of an event", "GET", "/processes/{P}/events/{E}/calendar", null, 200, 200, 200, 200 },
        { "create event", "POST", "/processes/{P}/events", """json:{"title":"Neu","startsAt":"2090-01-01T10:00:00Z","endsAt":"2090-01-01T12:00:00Z","place":"Rathaus"}""", 401, 403, 403, 201 },
        { "change event", "PUT", "/processes/{P}/events/{E}", """json:{"title":"Geändert","startsAt":"2090-02-01T10:00:00Z","endsAt":"2090-02-01T12:00:00Z","place":"Rathaus","registration":true,"capacity":100}""", 401, 403, 403, 200 },
        { "cancel event", "POST", "/processes/{P}/events/{CANCELME}/cancel", null, 401, 403, 403, 200 },
        { "write minutes", "PUT", "/processes/{P}/events/{PASTEVENT}/minutes", """json:{"minutes":"Protokoll"}""", 401, 403, 403, 200 },
        { "delete event", "DELETE", "/processes/{P}/events/{DOOMEDEVENT}", null, 401, 403, 403, 204 },
        // Any signed-in person registers and cancels their own registration (the others here have none: 404).
        { "register for event", "POST", "/processes/{P}/events/{E}/registration", null, 401, 200, 200, 200 },
        { "cancel registration", "DELETE", "/processes/{P}/events/{UNREG}/registration", null, 401, 200, 404, 404 },
        { "list registrations", "GET", "/processes/{P}/events/{E}/registrations", null, 401, 403, 403, 200 },
        { "sign-in sheet", "GET", "/processes/{P}/events/{E}/registrations/csv", null, 401, 403, 403, 200 },
        { "my registrations", "GET", "/me/event-registrations", null, 401, 200, 200, 200 },
        { "my personal data", "GET", "/me/export", null, 401, 200, 200, 200 },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Endpoint_CalledByEachRole_AnswersWithExpectedStatus(string name, string method, string url, string? body,
        int anonymous, int citizen, int moderator, int staff)
    {
        var scenario = await fixture.Shared(CreateScenarioAsync);
        var callers = new (string Role, HttpClient Client, int Expected)[]
        {
            ("anonymous", _factory.Anonymous(), anonymous),
            ("citizen", _factory.ClientFor(scenario.CitizenId, ["citizen"]), citizen),
            ("moderator", _factory.Moderator(), moderator),
            ("staff", _factory.Staff(), staff),
        };
        foreach (var (role, client, expected) in callers)
        {
            var request = new HttpRequestMessage(new HttpMethod(method), Fill(url, scenario));
            if (body is not null)
            {
                var (kind, text) = (body[..body.IndexOf(':')], Fill(body[(body.IndexOf(':') + 1)..], scenario));
                request.Content = kind == "pdf"
                    ? DocumentsTests.Upload(DocumentsTests.Pdf, text)
                    : new StringContent(text, Encoding.UTF8, kind == "csv" ? "text/csv" : "application/json");
            }
            var response = await client.SendAsync(request);
            ((int)response.StatusCode).Should().Be(expected, $"{role} calling '{name}' ({method} {url}): {await response.Content.ReadAsStringAsync()}");
        }
    }

    public static TheoryData<string> DraftReads => new()
    {
        "/processes/{D}", "/processes/{D}/phases", "/processes/{D}/phases/{DPH}", "/processes/{D}/fields-of-action", "/processes/{D}/themes",
        "/processes/{D}/items", "/items/{DI}", "/processes/{D}/monitoring", "/processes/{D}/monitoring/report?format=json",
        "/processes/{D}/news", "/processes/{D}/news/{DN}", "/processes/{D}/documents", "/processes/{D}/documents/{DDOC}/content",
        "/processes/{D}/events", "/processes/{D}/events/{DE}", "/processes/{D}/events/calendar", "/processes/{D}/events/{DE}/calendar",
        "/processes/{D}/map",
    };

    [Theory]
    [MemberData(nameof(DraftReads))]
    public async Task PublicRead_OfDraftProcess_OnlyStaffSeeIt(string url)
    {
        var scenario = await fixture.Shared(CreateScenarioAsync);
        var path = Fill(url, scenario);
        (await _factory.Anonymous().GetAsync(path)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await _factory.ClientFor(scenario.CitizenId, ["citizen"]).GetAsync(path)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await _factory.Staff().GetAsync(path)).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task ListProcesses_Anonymous_HidesDraftsThatStaffSee()
    {
        var scenario = await fixture.Shared(CreateScenarioAsync);
        var draft = scenario.Ids["D"];
        (await (await _factory.Anonymous().GetAsync("/processes")).Read<List<ProcessSummary>>()).Should().NotContain(p => p.Id == draft);
        (await (await _factory.Staff().GetAsync("/processes")).Read<List<ProcessSummary>>()).Should().Contain(p => p.Id == draft);
    }

    [Fact]
    public async Task Endpoints_AllMappedOnes_AreInTheTableAndDeclareWhoMayCall()
    {
        var mapped = _factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => !Regex.IsMatch(e.RoutePattern.RawText ?? "", "^/?(health|openapi)"))
            .ToList();
        foreach (var endpoint in mapped)
        {
            (endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null || endpoint.Metadata.GetMetadata<IAuthorizeData>() is not null)
                .Should().BeTrue($"{endpoint.DisplayName} must state who may call it");
        }
        var shapes = mapped.SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["*"])
                .Select(m => $"{m} {Shape(e.RoutePattern.RawText!)}"))
            .ToHashSet();
        var table = Endpoints.Select(row => $"{row[1]} {Shape(((string)row[2]).Split('?')[0])}").ToHashSet();
        shapes.Should().BeEquivalentTo(table);
    }

    private static string Shape(string route) => "/" + PlaceholderPattern().Replace(route, "{}").Trim('/');

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex PlaceholderPattern();

    private static string Fill(string text, Scenario scenario)
    {
        foreach (var (key, id) in scenario.Ids)
        {
            text = text.Replace("{" + key + "}", id.ToString());
        }
        return text.Replace("{CITY}", CityOf(scenario));
    }

    private static string CityOf(Scenario scenario) => "Authstadt-" + scenario.Ids["P"].ToString("N")[..8];

    private async Task<Scenario> CreateScenarioAsync()
    {
        var scenario = new Scenario();
        var staff = _factory.Staff();
        var published = await _factory.CreatePublishedProcessAsync(fields: ["Mobilität"], city: "Authstadt-pending");
        scenario.Ids["P"] = published.Id;
        // The city name carries the process id, so {CITY} is unique per run.
        (await staff.PutJson($"/processes/{published.Id}", new { title = published.Title, description = "", city = CityOf(scenario) }))
            .EnsureSuccessStatusCode();
        (await staff.PostJson("/districts", new { city = CityOf(scenario), slug = "mitte", name = "Mitte" })).EnsureSuccessStatusCode();
        scenario.Ids["PH"] = published.CurrentPhase!.Id;
        scenario.Ids["F"] = published.FieldsOfAction.Single().Id;
        scenario.Ids["UNKNOWN"] = Guid.NewGuid();
        scenario.Ids["T"] = (await (await staff.PostJson($"/processes/{published.Id}/themes", new { title = "Digitalisierung" }))
            .Read<TopicResponse>(HttpStatusCode.Created)).Id;
        scenario.Ids["LATER"] = (await AddPhaseAsync(staff, published.Id, new DateTimeOffset(2080, 1, 1, 0, 0, 0, TimeSpan.Zero))).Id;
        scenario.Ids["DOOMED"] = (await AddPhaseAsync(staff, published.Id, new DateTimeOffset(2081, 1, 1, 0, 0, 0, TimeSpan.Zero))).Id;
        scenario.Ids["I"] = (await staff.CreateItemAsync(published.Id, new { kind = ItemKinds.Measure, title = "Maßnahme", description = "" })).Id;
        scenario.Ids["C"] = (await _factory.ClientFor(scenario.CitizenId, ["citizen"])
            .CreateItemAsync(published.Id, new { title = "Meine Idee", description = "" })).Id;

        var draft = await (await staff.PostJson("/processes", new { title = "Entwurf", description = "", city = CityOf(scenario) }))
            .Read<ProcessResponse>(HttpStatusCode.Created);
        scenario.Ids["D"] = draft.Id;
        scenario.Ids["DPH"] = (await AddPhaseAsync(staff, draft.Id, DateTimeOffset.UtcNow.AddDays(-1))).Id;
        scenario.Ids["DI"] = (await staff.CreateItemAsync(draft.Id, new { kind = ItemKinds.Measure, title = "Entwurfsmaßnahme", description = "" })).Id;
        scenario.Ids["N"] = await NewsPostAsync(staff, published.Id);
        scenario.Ids["DOOMEDNEWS"] = await NewsPostAsync(staff, published.Id);
        scenario.Ids["DN"] = await NewsPostAsync(staff, draft.Id);
        scenario.Ids["DOC"] = await DocumentAsync(staff, published.Id);
        scenario.Ids["DOOMEDDOC"] = await DocumentAsync(staff, published.Id);
        scenario.Ids["DDOC"] = await DocumentAsync(staff, draft.Id);
        scenario.Ids["E"] = await EventAsync(staff, published.Id, DateTimeOffset.UtcNow.AddDays(20), registration: true);
        scenario.Ids["CANCELME"] = await EventAsync(staff, published.Id, DateTimeOffset.UtcNow.AddDays(21));
        scenario.Ids["DOOMEDEVENT"] = await EventAsync(staff, published.Id, DateTimeOffset.UtcNow.AddDays(22));
        scenario.Ids["PASTEVENT"] = await EventAsync(staff, published.Id, DateTimeOffset.UtcNow.AddDays(-2));
        scenario.Ids["UNREG"] = await EventAsync(staff, published.Id, DateTimeOffset.UtcNow.AddDays(23), registration: true);
        (await _factory.ClientFor(scenario.CitizenId, ["citizen"]).PostAsync($"/processes/{published.Id}/events/{scenario.Ids["UNREG"]}/registration", null))
            .EnsureSuccessStatusCode();
        scenario.Ids["DE"] = await EventAsync(staff, draft.Id, DateTimeOffset.UtcNow.AddDays(20));
        scenario.Ids["PUBLISHME"] = (await (await staff.PostJson("/processes", new { title = "Zu veröffentlichen", description = "", city = "X" }))
            .Read<ProcessResponse>(HttpStatusCode.Created)).Id;
        scenario.Ids["ARCHIVEME"] = (await _factory.CreatePublishedProcessAsync()).Id;
        return scenario;
    }

    private static async Task<Guid> NewsPostAsync(HttpClient staff, Guid processId) =>
        (await (await staff.PostJson($"/processes/{processId}/news", new { title = "Neuigkeit", body = "Text" })).Read<NewsPost>(HttpStatusCode.Created)).Id;

    private static async Task<Guid> EventAsync(HttpClient staff, Guid processId, DateTimeOffset startsAt, bool registration = false) =>
        (await (await staff.PostJson($"/processes/{processId}/events", new
        {
            title = "Veranstaltung", startsAt, endsAt = startsAt.AddHours(2), place = "Rathaus", registration, capacity = registration ? 100 : (int?)null,
        })).Read<ProcessEvent>(HttpStatusCode.Created)).Id;

    private static async Task<Guid> DocumentAsync(HttpClient staff, Guid processId) =>
        (await (await staff.PostAsync($"/processes/{processId}/documents", DocumentsTests.Upload(DocumentsTests.Pdf, "Bericht.pdf")))
            .Read<ProcessDocument>(HttpStatusCode.Created)).Id;

    private static async Task<PhaseResponse> AddPhaseAsync(HttpClient staff, Guid processId, DateTimeOffset startsAt) =>
        await (await staff.PostJson($"/processes/{processId}/phases", new
        {
            title = Api.Unique("Phase"), kind = "workshop", startsAt, endsAt = startsAt.AddDays(2), switches = PhaseSwitches.AllOff,
        })).Read<PhaseResponse>(HttpStatusCode.Created);
}
