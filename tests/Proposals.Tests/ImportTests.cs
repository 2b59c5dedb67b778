using System.Net;
using System.Text;
using Mitreden.Proposals.Api;
using Mitreden.Proposals.Api.Data;
using Mitreden.Proposals.Api.Features.Import;
using Mitreden.Proposals.Api.Features.Items;
using Mitreden.Proposals.Contracts;
using Mitreden.Proposals.Contracts.Http;
using Mitreden.TestKit;

namespace Mitreden.Proposals.Tests;

[Collection(ProposalsCollection.Name)]
public sealed class ImportTests(ProposalsFixture fixture)
{
    private readonly ServiceFactory<ProposalsDb> _factory = fixture.Factory;

    private static StringContent Csv(string text) => new(text, new UTF8Encoding(true), "text/csv");

    [Fact]
    public async Task Import_WorkshopProtocol_CreatesItemsWithParentsFieldsAndEvents()
    {
        var process = await _factory.CreatePublishedProcessAsync(fields: ["Smarte Mobilität", "Umwelt, Energie & Klima"]);
        const string csv = """
            kind;title;description;fieldOfAction;district;priority;costEstimate;parentTitle
            Leitbild;Smart für ein gutes Leben;Unser Leitbild;;;;;
            Leitziel;Vernetzte Mobilität;;Smarte Mobilität;;;;Smart für ein gutes Leben
            Maßnahme;Mobilstation am Bahnhof;"Bus, Rad; Carsharing";Smarte Mobilität|Umwelt, Energie & Klima;Mitte;hoch;12.500,00 €;Vernetzte Mobilität
            measure;Sensornetz;LoRaWAN;umwelt, energie & klima;nord;low;80000.50;
            """;
        var result = await (await _factory.Staff().PostAsync($"/processes/{process.Id}/items/import", Csv(csv))).Read<ImportResult>();
        result.Imported.Should().Be(4);

        var items = (await (await _factory.Anonymous().GetAsync($"/processes/{process.Id}/items?sort=title&pageSize=100")).Read<ItemPage>()).Items;
        var vision = items.Single(i => i.Kind == ItemKinds.Vision);
        var goal = items.Single(i => i.Kind == ItemKinds.GuidingGoal);
        var station = items.Single(i => i.Title == "Mobilstation am Bahnhof");
        var sensors = items.Single(i => i.Title == "Sensornetz");
        goal.ParentId.Should().Be(vision.Id);
        station.ParentId.Should().Be(goal.Id);
        station.Description.Should().Be("Bus, Rad; Carsharing");
        station.FieldOfActionIds.Should().HaveCount(2);
        station.District.Should().Be("mitte");
        station.Priority.Should().Be(Priority.High);
        station.CostEstimate.Should().Be(12_500m);
        station.Official.Should().BeTrue();
        sensors.CostEstimate.Should().Be(80_000.50m);
        sensors.District.Should().Be("nord");
        await _factory.AssertDispatchedAsync<ItemPublished>(e => e.ProcessId == process.Id, 4);
    }

    [Fact]
    public async Task Import_BadRows_Returns422WithLineNumbersAndImportsNothing()
    {
        var process = await _factory.CreatePublishedProcessAsync(fields: ["Mobilität"]);
        const string csv = """
            kind;title;description;fieldOfAction;district;priority;costEstimate;parentTitle
            measure;Gute Zeile;ok;Mobilität;mitte;hoch;1000;
            measure;Falsches Feld;;Raumfahrt;;;;
            measure;;ohne Titel;;;sehr hoch;viel;
            Maßnahme;Unbekannter Bezirk;;;Atlantis;;;Kein Ziel
            """;
        var response = await _factory.Staff().PostAsync($"/processes/{process.Id}/items/import", Csv(csv));
        var problem = await response.Problem((HttpStatusCode)422);
        var errors = problem.GetProperty("errors").EnumerateArray()
            .Select(e => (e.GetProperty("line").GetInt32(), e.GetProperty("field").GetString())).ToList();
        errors.Should().BeEquivalentTo(new[]
        {
            (3, "fieldOfAction"), (4, "costEstimate"), (4, "priority"), (4, "title"), (5, "district"), (5, "parentTitle"),
        });

        var list = await (await _factory.Staff().GetAsync($"/processes/{process.Id}/items")).Read<ItemPage>();
        list.Total.Should().Be(0, "one bad row rejects the whole file");
        (await _factory.OutboxAsync<ItemPublished>(e => e.ProcessId == process.Id)).Should().BeEmpty();
    }

    [Fact]
    public async Task Import_GermanColumnNames_AreReadLikeTheEnglishOnes()
    {
        var process = await _factory.CreatePublishedProcessAsync(fields: ["Mobilität"]);
        const string csv = """
            Art;Titel;Beschreibung;Handlungsfeld;Stadtteil;Priorität;Kosten;Übergeordnet
            Leitziel;Gut unterwegs;;Mobilität;;;;
            Maßnahme;Fahrradstraße am Kanal;Eine ruhige Route.;Mobilität;Mitte;hoch;12.500,00;Gut unterwegs
            """;
        var result = await (await _factory.Staff().PostAsync($"/processes/{process.Id}/items/import", Csv(csv))).Read<ImportResult>();
        result.Imported.Should().Be(2);
        var items = (await (await _factory.Anonymous().GetAsync($"/processes/{process.Id}/items?sort=title&pageSize=100")).Read<ItemPage>()).Items;
        var measure = items.Single(i => i.Title == "Fahrradstraße am Kanal");
        measure.Description.Should().Be("Eine ruhige Route.");
        measure.District.Should().Be("mitte");
        measure.CostEstimate.Should().Be(12_500m);
        measure.ParentId.Should().Be(items.Single(i => i.Title == "Gut unterwegs").Id);
    }

    [Fact]
    public async Task Import_BadRows_EachErrorHasAStableCodeAndTheCellValue()
    {
        var process = await _factory.CreatePublishedProcessAsync(fields: ["Mobilität"]);
        const string csv = """
            Art;Titel;Handlungsfeld;Priorität
            Idee;Bänke;Mobilität;sehr hoch
            Maßnahme;;Raumfahrt;
            """;
        var problem = await (await _factory.Staff().PostAsync($"/processes/{process.Id}/items/import", Csv(csv))).Problem((HttpStatusCode)422);
        problem.GetProperty("code").GetString().Should().Be("import-invalid");
        var errors = problem.GetProperty("errors").EnumerateArray()
            .Select(e => (e.GetProperty("line").GetInt32(), e.GetProperty("field").GetString(), e.GetProperty("code").GetString(),
                e.TryGetProperty("value", out var v) ? v.GetString() : null))
            .ToList();
        errors.Should().BeEquivalentTo(new[]
        {
            (2, "kind", "unknown-kind", "Idee"), (2, "priority", "unknown-priority", "sehr hoch"),
            (3, "title", "missing", (string?)null), (3, "fieldOfAction", "unknown-field-of-action", "Raumfahrt"),
        });
    }

    [Fact]
    public async Task Import_UnknownColumnOrWrongMediaType_IsRejected()
    {
        var process = await _factory.CreatePublishedProcessAsync();
        var staff = _factory.Staff();
        var unknown = await (await staff.PostAsync($"/processes/{process.Id}/items/import", Csv("kind;title;colour\nmeasure;A;blau\n")))
            .Problem((HttpStatusCode)422);
        unknown.GetProperty("errors")[0].GetProperty("line").GetInt32().Should().Be(1);
        (await staff.PostAsync($"/processes/{process.Id}/items/import", new StringContent("kind;title\nmeasure;A", Encoding.UTF8, "application/json")))
            .StatusCode.Should().Be(HttpStatusCode.UnsupportedMediaType);
        (await staff.PostAsync($"/processes/{Guid.NewGuid()}/items/import", Csv("kind;title\nmeasure;A\n"))).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }
}
