using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Mitreden.Proposals.Api.Data;
using Mitreden.Proposals.Api.Features.Items;
using Mitreden.Proposals.Contracts;
using Mitreden.Proposals.Contracts.Http;
using Mitreden.TestKit;

namespace Mitreden.Proposals.Tests;

/// <summary>
/// Locations of items and events and the process map. The test processes' cities are configured nowhere, so their area
/// is Germany (<c>CityAreas.Germany</c>); the demo cities' areas are covered in Unit/CityAreasTests.
/// </summary>
[Collection(ProposalsCollection.Name)]
public sealed class LocationTests(ProposalsFixture fixture)
{
    private readonly ServiceFactory<ProposalsDb> _factory = fixture.Factory;

    private static readonly GeoPoint Berlin = new(52.5163, 13.3777);
    private static readonly GeoPoint Paris = new(48.8584, 2.2945);

    [Fact]
    public async Task CreateIdea_WithPointInCity_IsStored_AndReturned_AndEditable()
    {
        var process = await _factory.CreatePublishedProcessAsync();
        var citizen = _factory.Citizen(out _);
        var idea = await citizen.CreateItemAsync(process.Id, new { title = "Bank am Teich", district = "mitte", location = Berlin });
        idea.Location.Should().Be(Berlin);
        (await (await _factory.Anonymous().GetAsync($"/items/{idea.Id}")).Read<ItemResponse>()).Location.Should().Be(Berlin);

        var moved = new GeoPoint(52.52, 13.41);
        var updated = await (await citizen.PutJson($"/items/{idea.Id}", new { title = "Bank am Teich", district = "mitte", location = moved }))
            .Read<ItemResponse>();
        updated.Location.Should().Be(moved);
        var removed = await (await citizen.PutJson($"/items/{idea.Id}", new { title = "Bank am Teich" })).Read<ItemResponse>();
        removed.Location.Should().BeNull();
    }

    [Fact]
    public async Task CreateItem_PointOutsideCity_Is422WithGermanMessageAndCode_AndStoresNothing()
    {
        var process = await _factory.CreatePublishedProcessAsync();
        var title = Api.Unique("Außerhalb");
        var problem = await (await _factory.Citizen(out _).PostJson($"/processes/{process.Id}/items", new { title, location = Paris }))
            .Problem(HttpStatusCode.UnprocessableEntity);
        problem.GetProperty("code").GetString().Should().Be("location-outside-city");
        problem.GetProperty("errors").GetProperty("location")[0].GetString().Should().Be($"Der Ort liegt außerhalb von {process.City}.");
        problem.GetProperty("errorCodes").GetProperty("location").GetString().Should().Be("location-outside-city");
        (await CountItemsAsync(process.Id)).Should().Be(0);

        var staff = _factory.Staff();
        problem = await (await staff.PostJson($"/processes/{process.Id}/events", Event(title, Paris))).Problem(HttpStatusCode.UnprocessableEntity);
        problem.GetProperty("code").GetString().Should().Be("location-outside-city");
        (await (await staff.GetAsync($"/processes/{process.Id}/events?when=all")).Read<List<ProcessEvent>>()).Should().BeEmpty();
    }

    [Theory]
    [InlineData("{\"title\":\"T\",\"location\":{\"latitude\":52.5}}", HttpStatusCode.BadRequest)]
    [InlineData("{\"title\":\"T\",\"location\":{\"longitude\":13.4}}", HttpStatusCode.BadRequest)]
    [InlineData("{\"title\":\"T\",\"location\":{\"latitude\":null,\"longitude\":13.4}}", HttpStatusCode.BadRequest)]
    [InlineData("{\"title\":\"T\",\"location\":{\"latitude\":NaN,\"longitude\":13.4}}", HttpStatusCode.BadRequest)]
    [InlineData("{\"title\":\"T\",\"location\":{\"latitude\":\"abc\",\"longitude\":13.4}}", HttpStatusCode.BadRequest)]
    // The JSON reader takes numbers in strings (the services' setting for every number), "NaN" and "Infinity" among them:
    // the location rule refuses what is not finite.
    [InlineData("{\"title\":\"T\",\"location\":{\"latitude\":\"NaN\",\"longitude\":13.4}}", HttpStatusCode.UnprocessableEntity)]
    [InlineData("{\"title\":\"T\",\"location\":{\"latitude\":52.5,\"longitude\":\"-Infinity\"}}", HttpStatusCode.UnprocessableEntity)]
    [InlineData("{\"title\":\"T\",\"location\":{\"latitude\":91,\"longitude\":13.4}}", HttpStatusCode.UnprocessableEntity)]
    [InlineData("{\"title\":\"T\",\"location\":{\"latitude\":52.5,\"longitude\":-181}}", HttpStatusCode.UnprocessableEntity)]
    [InlineData("{\"title\":\"T\",\"location\":{\"latitude\":1e999,\"longitude\":13.4}}", HttpStatusCode.UnprocessableEntity)]
    public async Task CreateItem_MalformedLocation_IsProblem_AndStoresNothing(string json, HttpStatusCode expected)
    {
        var process = await _factory.CreatePublishedProcessAsync();
        var response = await _factory.Citizen(out _).PostAsync($"/processes/{process.Id}/items",
            new StringContent(json, Encoding.UTF8, "application/json"));
        var problem = await response.Problem(expected);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        if (expected == HttpStatusCode.UnprocessableEntity)
        {
            problem.GetProperty("code").GetString().Should().Be("location-invalid");
        }
        (await CountItemsAsync(process.Id)).Should().Be(0);
    }

    [Fact]
    public async Task Map_ListsItemsAndEventsWithLocation_FiltersByDistrict()
    {
        var process = await _factory.CreatePublishedProcessAsync();
        var staff = _factory.Staff();
        var north = await _factory.Citizen(out _).CreateItemAsync(process.Id, new { title = "Idee Nord", district = "nord", location = Berlin });
        var middle = await staff.CreateItemAsync(process.Id, new { title = "Maßnahme Mitte", kind = "measure", district = "mitte", location = new GeoPoint(52.50, 13.40) });
        await staff.CreateItemAsync(process.Id, new { title = "Ohne Ort", kind = "measure", district = "nord" });
        var meeting = await (await staff.PostJson($"/processes/{process.Id}/events", Event("Treffen Nord", new GeoPoint(52.53, 13.38), "nord")))
            .Read<ProcessEvent>(HttpStatusCode.Created);
        meeting.Location.Should().Be(new GeoPoint(52.53, 13.38));
        meeting.District.Should().Be("nord");

        var map = await (await _factory.Anonymous().GetAsync($"/processes/{process.Id}/map")).Read<ProcessMap>();
        map.City.Should().Be(process.City);
        map.Markers.Select(m => m.Id).Should().BeEquivalentTo([north.Id, middle.Id, meeting.Id]);
        map.Markers.Single(m => m.Id == north.Id).Should().Be(
            new MapMarker(north.Id, ItemKinds.CitizenIdea, "Idee Nord", Berlin.Latitude, Berlin.Longitude, "nord", $"/items/{north.Id}"));
        map.Markers.Single(m => m.Id == meeting.Id).Should().Be(new MapMarker(meeting.Id, MapMarkerKinds.Event, "Treffen Nord", 52.53, 13.38, "nord",
            $"/processes/{process.Id}/events/{meeting.Id}"));

        var onlyNorth = await (await _factory.Anonymous().GetAsync($"/processes/{process.Id}/map?district=nord")).Read<ProcessMap>();
        onlyNorth.Markers.Select(m => m.Id).Should().BeEquivalentTo([north.Id, meeting.Id]);
        (await (await _factory.Anonymous().GetAsync($"/processes/{process.Id}/map?district=sued")).Read<ProcessMap>()).Markers.Should().BeEmpty();
    }

    [Fact]
    public async Task Map_HidesInternalProcessesAndPhases_FromCitizens()
    {
        var process = await _factory.CreatePublishedProcessAsync();
        var staff = _factory.Staff();
        var now = DateTimeOffset.UtcNow;
        var phase = await (await staff.PostJson($"/processes/{process.Id}/phases", new
        {
            title = "Verwaltungsworkshop", kind = "workshop", startsAt = now.AddDays(20), endsAt = now.AddDays(21),
            switches = new { proposing = false, commenting = false, preModeration = false, voting = false, resultsVisible = false },
        })).Read<System.Text.Json.JsonElement>(HttpStatusCode.Created);
        var phaseId = phase.GetProperty("id").GetGuid();
        (await staff.PutJson($"/processes/{process.Id}/phases/{phaseId}/visibility", new { visibility = "internal" })).StatusCode.Should().Be(HttpStatusCode.OK);
        var open = await staff.CreateItemAsync(process.Id, new { title = "Öffentlich", kind = "measure", location = Berlin });
        var hidden = await staff.CreateItemAsync(process.Id, new { title = "Intern", kind = "measure", location = Berlin, phaseId });
        var hiddenEvent = await (await staff.PostJson($"/processes/{process.Id}/events", Event("Interner Termin", Berlin) with { PhaseId = phaseId }))
            .Read<ProcessEvent>(HttpStatusCode.Created);

        foreach (var observer in new[] { _factory.Anonymous(), _factory.Citizen(out _) })
        {
            (await (await observer.GetAsync($"/processes/{process.Id}/map")).Read<ProcessMap>()).Markers.Select(m => m.Id).Should().Equal(open.Id);
        }
        (await (await staff.GetAsync($"/processes/{process.Id}/map")).Read<ProcessMap>()).Markers.Select(m => m.Id)
            .Should().BeEquivalentTo([open.Id, hidden.Id, hiddenEvent.Id]);

        (await staff.PutJson($"/processes/{process.Id}/visibility", new { visibility = "internal" })).StatusCode.Should().Be(HttpStatusCode.OK);
        (await _factory.Anonymous().GetAsync($"/processes/{process.Id}/map")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await _factory.Citizen(out _).GetAsync($"/processes/{process.Id}/map")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    private static ProcessEventRequest Event(string title, GeoPoint location, string? district = null)
    {
        var starts = DateTimeOffset.UtcNow.AddDays(3);
        return new ProcessEventRequest(title, starts, starts.AddHours(2), Place: "Rathaus", Location: location, District: district);
    }

    private async Task<int> CountItemsAsync(Guid processId)
    {
        await using var scope = _factory.Scope();
        return await scope.ServiceProvider.GetRequiredService<ProposalsDb>().Items.CountAsync(i => i.ProcessId == processId);
    }
}
