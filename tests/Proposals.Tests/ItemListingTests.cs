using System.Net;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Mitreden.Comments.Contracts;
using Mitreden.Proposals.Api;
using Mitreden.Proposals.Api.Data;
using Mitreden.Proposals.Api.Features.Items;
using Mitreden.Proposals.Api.Features.Processes;
using Mitreden.Proposals.Contracts.Http;
using Mitreden.TestKit;
using Mitreden.Voting.Contracts;

namespace Mitreden.Proposals.Tests;

[Collection(ProposalsCollection.Name)]
public sealed class ItemListingTests(ProposalsFixture fixture)
{
    private readonly ServiceFactory<ProposalsDb> _factory = fixture.Factory;

    private sealed record Setup(ProcessResponse Process, Guid Mobility, Guid Climate, ItemResponse Radwege, ItemResponse Baeume,
        ItemResponse Bus, ItemResponse Idea, ItemResponse Goal);

    private async Task<Setup> SetupAsync()
    {
        var process = await _factory.CreatePublishedProcessAsync(fields: ["Mobilität", "Klima"]);
        var mobility = process.FieldsOfAction.Single(f => f.Title == "Mobilität").Id;
        var climate = process.FieldsOfAction.Single(f => f.Title == "Klima").Id;
        var staff = _factory.Staff();
        var goal = await staff.CreateItemAsync(process.Id, new { kind = "guiding-goal", title = "Klimafreundlich unterwegs", description = "Leitziel" });
        var radwege = await staff.CreateItemAsync(process.Id, new
        {
            kind = "measure", title = "Neue Radwege in der Innenstadt", description = "Geschützte Radfahrstreifen",
            fieldOfActionIds = new[] { mobility }, district = "mitte", parentId = goal.Id,
        });
        var baeume = await staff.CreateItemAsync(process.Id, new
        {
            kind = "measure", title = "Mehr Bäume pflanzen", description = "Schatten für heiße Sommer",
            fieldOfActionIds = new[] { climate }, district = "nord",
        });
        var bus = await staff.CreateItemAsync(process.Id, new
        {
            kind = "measure", title = "Busspur und Radweg am Ring", description = "Schneller mit dem Bus",
            fieldOfActionIds = new[] { mobility, climate }, district = "sued",
        });
        var idea = await _factory.Citizen(out _).CreateItemAsync(process.Id, new
        {
            title = "Zebrastreifen an der Schule", description = "Für sichere Schulwege", fieldOfActionIds = new[] { mobility }, district = "mitte",
        });
        (await staff.PutJson($"/items/{baeume.Id}/status", new { status = "angenommen" })).EnsureSuccessStatusCode();
        return new Setup(process, mobility, climate, radwege, baeume, bus, idea, goal);
    }

    private async Task<ItemPage> ListAsync(Guid processId, string query, HttpClient? client = null) =>
        await (await (client ?? _factory.Anonymous()).GetAsync($"/processes/{processId}/items?{query}")).Read<ItemPage>();

    [Fact]
    public async Task List_Filters_ReturnOnlyMatchingItems()
    {
        var s = await SetupAsync();
        var id = s.Process.Id;
        (await ListAsync(id, "")).Total.Should().Be(5);
        (await ListAsync(id, $"fieldOfAction={s.Mobility}")).Items.Select(i => i.Id).Should().BeEquivalentTo([s.Radwege.Id, s.Bus.Id, s.Idea.Id]);
        (await ListAsync(id, $"fieldOfAction={s.Climate}&district=nord")).Items.Should().ContainSingle().Which.Id.Should().Be(s.Baeume.Id);
        (await ListAsync(id, "district=mitte")).Items.Select(i => i.Id).Should().BeEquivalentTo([s.Radwege.Id, s.Idea.Id]);
        (await ListAsync(id, "kind=citizen-idea")).Items.Should().ContainSingle().Which.Id.Should().Be(s.Idea.Id);
        (await ListAsync(id, "kind=guiding-goal")).Items.Should().ContainSingle().Which.Id.Should().Be(s.Goal.Id);
        (await ListAsync(id, "status=angenommen")).Items.Should().ContainSingle().Which.Id.Should().Be(s.Baeume.Id);
        (await ListAsync(id, "origin=citizen")).Total.Should().Be(1);
        (await ListAsync(id, "origin=official&kind=measure")).Total.Should().Be(3);
    }

    [Fact]
    public async Task List_GermanFullTextSearch_StemsAndUsesWebSearchSyntax()
    {
        var s = await SetupAsync();
        var id = s.Process.Id;
        (await ListAsync(id, "q=Radweg")).Items.Select(i => i.Id).Should().BeEquivalentTo([s.Radwege.Id, s.Bus.Id], "'Radwege' and 'Radweg' share a stem");
        (await ListAsync(id, "q=Baum")).Items.Should().ContainSingle().Which.Id.Should().Be(s.Baeume.Id);
        (await ListAsync(id, "q=Radweg -Innenstadt")).Items.Should().ContainSingle().Which.Id.Should().Be(s.Bus.Id);
        (await ListAsync(id, "q=\"sichere Schulwege\"")).Items.Should().ContainSingle().Which.Id.Should().Be(s.Idea.Id);
        (await ListAsync(id, "q=Radweg&district=sued")).Items.Should().ContainSingle().Which.Id.Should().Be(s.Bus.Id);
        (await ListAsync(id, "q=Raumschiff")).Total.Should().Be(0);
    }

    [Fact]
    public async Task List_SortingAndPaging_AreStableAndCounted()
    {
        var s = await SetupAsync();
        var id = s.Process.Id;
        (await ListAsync(id, "sort=title")).Items.Select(i => i.Title).Should().BeInAscendingOrder(StringComparer.Ordinal);
        (await ListAsync(id, "sort=newest")).Items.First().Id.Should().Be(s.Idea.Id);
        (await ListAsync(id, "sort=oldest")).Items.First().Id.Should().Be(s.Goal.Id);

        var page1 = await ListAsync(id, "sort=title&pageSize=2&page=1");
        var page3 = await ListAsync(id, "sort=title&pageSize=2&page=3");
        page1.Total.Should().Be(5);
        page1.Items.Should().HaveCount(2);
        page3.Items.Should().ContainSingle();
        page1.Items.Select(i => i.Id).Should().NotIntersectWith(page3.Items.Select(i => i.Id));

        (await _factory.Anonymous().GetAsync($"/processes/{id}/items?pageSize=101")).StatusCode.Should().Be((HttpStatusCode)422);
        (await _factory.Anonymous().GetAsync($"/processes/{id}/items?page=0")).StatusCode.Should().Be((HttpStatusCode)422);
        (await _factory.Anonymous().GetAsync($"/processes/{id}/items?sort=popular")).StatusCode.Should().Be((HttpStatusCode)422);
        (await _factory.Anonymous().GetAsync($"/processes/{id}/items?kind=wish")).StatusCode.Should().Be((HttpStatusCode)422);
        (await _factory.Anonymous().GetAsync($"/processes/{id}/items?fieldOfAction=abc")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task List_MostCommentsAndMostSupports_UseCountsFromEvents()
    {
        var s = await SetupAsync();
        var bus = _factory.Services.GetRequiredService<IBus>();
        var now = DateTimeOffset.UtcNow;
        foreach (var _ in Enumerable.Range(0, 2))
        {
            await bus.Publish(new CommentPosted(Guid.NewGuid(), s.Baeume.Id, s.Process.Id, null, Guid.NewGuid(), "Gut", Stances.Pro, false, now));
        }
        await bus.Publish(new CommentPosted(Guid.NewGuid(), s.Bus.Id, s.Process.Id, null, Guid.NewGuid(), "Ja", Stances.Pro, false, now));
        await bus.Publish(new ItemSupportChanged(s.Radwege.Id, Guid.NewGuid(), 12, now));
        await bus.Publish(new ItemSupportChanged(s.Bus.Id, Guid.NewGuid(), 3, now));

        await Eventually.AssertAsync(async () =>
        {
            var byComments = await ListAsync(s.Process.Id, "sort=most-comments");
            byComments.Items.Take(2).Select(i => (i.Id, i.CommentCount)).Should().Equal((s.Baeume.Id, 2), (s.Bus.Id, 1));
            var bySupports = await ListAsync(s.Process.Id, "sort=most-supports");
            bySupports.Items.Take(2).Select(i => (i.Id, i.SupportCount)).Should().Equal((s.Radwege.Id, 12L), (s.Bus.Id, 3L));
        });
    }

    [Fact]
    public async Task ItemSupport_CitizensAndVotingGroup_ShownApartNotAdded()
    {
        var s = await SetupAsync();
        var bus = _factory.Services.GetRequiredService<IBus>();
        var now = DateTimeOffset.UtcNow;
        await bus.Publish(new ItemSupportChanged(s.Radwege.Id, Guid.NewGuid(), 12, now, SupportElectorates.Citizens));
        await bus.Publish(new ItemSupportChanged(s.Radwege.Id, Guid.NewGuid(), 5, now)); // from before the field: citizens
        await bus.Publish(new ItemSupportChanged(s.Radwege.Id, Guid.NewGuid(), 30, now, SupportElectorates.VotingGroup));
        await bus.Publish(new ItemSupportChanged(s.Bus.Id, Guid.NewGuid(), 20, now, SupportElectorates.Citizens));

        await Eventually.AssertAsync(async () =>
        {
            var item = await ItemAsync(s.Radwege.Id);
            (item.SupportCount, item.VotingGroupVoteCount).Should().Be((17L, 30L), "the council's 30 votes are not citizens' support");
            var listed = (await ListAsync(s.Process.Id, "sort=most-supports")).Items;
            listed.Take(2).Select(i => (i.Id, i.SupportCount, i.VotingGroupVoteCount)).Should().Equal(
                (s.Bus.Id, 20L, 0L), (s.Radwege.Id, 17L, 30L));
        });
    }

    [Fact]
    public async Task Consumers_RedeliveredPendingDeletedAndStaleEvents_KeepCountsRight()
    {
        var s = await SetupAsync();
        var bus = _factory.Services.GetRequiredService<IBus>();
        var item = s.Radwege.Id;
        var now = DateTimeOffset.UtcNow;
        var first = new CommentPosted(Guid.NewGuid(), item, s.Process.Id, null, Guid.NewGuid(), "Eins", Stances.Pro, false, now);
        var messageId = Guid.NewGuid();
        await bus.Publish(first, c => c.MessageId = messageId);
        await bus.Publish(first, c => c.MessageId = messageId); // redelivery of the same message
        await bus.Publish(first with { }, c => c.MessageId = Guid.NewGuid()); // same comment announced twice
        var pendingId = Guid.NewGuid();
        await bus.Publish(new CommentPosted(Guid.NewGuid(), item, s.Process.Id, null, Guid.NewGuid(), "Wartet", Stances.Neutral, true, now),
            c => c.MessageId = pendingId);
        var second = new CommentPosted(Guid.NewGuid(), item, s.Process.Id, first.CommentId, Guid.NewGuid(), "Zwei", Stances.Contra, false, now);
        await bus.Publish(second);

        var ballot = Guid.NewGuid();
        var staleId = Guid.NewGuid();
        await bus.Publish(new ItemSupportChanged(item, ballot, 7, now));
        await Eventually.AssertAsync(async () => (await ItemAsync(item)).SupportCount.Should().Be(7));
        await bus.Publish(new ItemSupportChanged(item, ballot, 3, now.AddMinutes(-1)), c => c.MessageId = staleId);

        await Eventually.AssertAsync(async () =>
        {
            (await ItemAsync(item)).CommentCount.Should().Be(2);
            (await ProcessedAsync(pendingId)).Should().BeTrue();
            (await ProcessedAsync(staleId)).Should().BeTrue();
        });
        (await ItemAsync(item)).CommentCount.Should().Be(2, "a comment awaiting review is not counted");
        (await ItemAsync(item)).SupportCount.Should().Be(7, "an older count does not overwrite a newer one");

        await bus.Publish(new CommentDeleted(second.CommentId, item, s.Process.Id, now));
        await bus.Publish(new CommentDeleted(Guid.NewGuid(), item, s.Process.Id, now)); // never counted: no effect
        await Eventually.AssertAsync(async () => (await ItemAsync(item)).CommentCount.Should().Be(1));
    }

    private async Task<ItemResponse> ItemAsync(Guid id) => await (await _factory.Anonymous().GetAsync($"/items/{id}")).Read<ItemResponse>();

    private async Task<bool> ProcessedAsync(Guid messageId)
    {
        await using var scope = _factory.Scope();
        var db = scope.ServiceProvider.GetRequiredService<ProposalsDb>();
        return await db.Set<Mitreden.ServiceDefaults.Messaging.ProcessedMessage>().AnyAsync(m => m.MessageId == messageId);
    }
}
