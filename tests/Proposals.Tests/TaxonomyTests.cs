using System.Net;
using System.Net.Http.Json;
using Mitreden.Proposals.Api;
using Mitreden.Proposals.Api.Data;
using Mitreden.Proposals.Api.Features.Taxonomy;
using Mitreden.Proposals.Contracts.Http;
using Mitreden.TestKit;

namespace Mitreden.Proposals.Tests;

[Collection(ProposalsCollection.Name)]
public sealed class TaxonomyTests(ProposalsFixture fixture)
{
    private readonly ServiceFactory<ProposalsDb> _factory = fixture.Factory;

    [Fact]
    public async Task FieldsAndThemes_EditedWithDescription_RemovedOnlyWhenNoItemBelongsToThem()
    {
        var process = await _factory.CreatePublishedProcessAsync(fields: ["Mobilität", "Klima"]);
        var staff = _factory.Staff();
        var mobility = process.FieldsOfAction.Single(f => f.Title == "Mobilität").Id;
        var climate = process.FieldsOfAction.Single(f => f.Title == "Klima").Id;
        await staff.CreateItemAsync(process.Id, new { kind = "measure", title = "Radweg", description = "Am Kanal", fieldOfActionIds = new[] { mobility } });

        var edited = await (await staff.PutAsJsonAsync($"/processes/{process.Id}/fields-of-action/{climate}",
            new { title = "Klima und Energie", description = "Klimaschutz, Klimaanpassung und Energie." })).Read<TopicResponse>();
        edited.Should().Be(new TopicResponse(climate, "Klima und Energie", "Klimaschutz, Klimaanpassung und Energie.", edited.Position));

        var economy = await (await staff.PostJson($"/processes/{process.Id}/fields-of-action", new { title = "Wirtschaft" })).Read<TopicResponse>(HttpStatusCode.Created);
        var inUse = await staff.DeleteAsync($"/processes/{process.Id}/fields-of-action/{mobility}");
        inUse.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await inUse.Content.ReadAsStringAsync()).Should().Contain("1 item(s)");
        (await staff.DeleteAsync($"/processes/{process.Id}/fields-of-action/{climate}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await staff.DeleteAsync($"/processes/{process.Id}/fields-of-action/{climate}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        var society = await (await staff.PostJson($"/processes/{process.Id}/fields-of-action", new { title = "Gesellschaft" })).Read<TopicResponse>(HttpStatusCode.Created);
        society.Position.Should().Be(economy.Position + 1, "a new field goes after the highest position, never onto a remaining one");
        (await _factory.Anonymous().GetFromJsonAsync<List<TopicResponse>>($"/processes/{process.Id}/fields-of-action"))!
            .Select(f => f.Title).Should().Equal("Mobilität", "Wirtschaft", "Gesellschaft");

        var theme = await (await staff.PostJson($"/processes/{process.Id}/themes", new { title = "Digitalisierung", description = "Querschnitt" }))
            .Read<TopicResponse>(HttpStatusCode.Created);
        (await _factory.Citizen(out _).DeleteAsync($"/processes/{process.Id}/themes/{theme.Id}")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await staff.DeleteAsync($"/processes/{process.Id}/themes/{theme.Id}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await _factory.Anonymous().GetFromJsonAsync<List<TopicResponse>>($"/processes/{process.Id}/themes"))!.Should().BeEmpty();
    }
}
