using System.Net;
using Mitreden.Proposals.Api;
using Mitreden.Proposals.Api.Data;
using Mitreden.Proposals.Api.Features.Processes;
using Mitreden.Proposals.Contracts;
using Mitreden.Proposals.Contracts.Http;
using Mitreden.TestKit;

namespace Mitreden.Proposals.Tests;

[Collection(ProposalsCollection.Name)]
public sealed class NewsTests(ProposalsFixture fixture)
{
    private readonly ServiceFactory<ProposalsDb> _factory = fixture.Factory;

    [Fact]
    public async Task StaffWriteNews_EveryoneReadsThemNewestFirst_RenderedAndSanitised()
    {
        var process = await _factory.CreatePublishedProcessAsync();
        var staff = _factory.Staff();
        var first = await (await staff.PostJson($"/processes/{process.Id}/news",
            new { title = "Auftakt", body = "Am **29. Juni** in der Rathausgalerie.\n\n# Programm\n\n- Begrüßung\n- Workshops" }))
            .Read<NewsPost>(HttpStatusCode.Created);
        var second = await (await staff.PostJson($"/processes/{process.Id}/news",
            new { title = "Sachstand", body = "<script>alert(1)</script> [Bericht](javascript:alert(2)) [Stadt](https://example.org) ![Bild](https://tracker.example/p.png)" }))
            .Read<NewsPost>(HttpStatusCode.Created);

        first.Html.Should().Contain("<strong>29. Juni</strong>").And.Contain("<h3").And.NotContain("<h1",
            "the page has its own h1 and the post's title is an h2, so a post's headings start at h3");
        first.Html.Should().Contain("<li>Begrüßung</li>");
        second.Html.Should().NotContain("<script").And.Contain("&lt;script&gt;", "raw HTML is shown as text");
        second.Html.Should().NotContain("javascript:");
        second.Html.Should().Contain("href=\"https://example.org\"").And.Contain("rel=\"nofollow noopener noreferrer\"");
        second.Html.Should().NotContain("<img").And.NotContain("tracker.example/p.png\"",
            "a picture from another server would tell that server who reads the news");

        var page = await (await _factory.Anonymous().GetAsync($"/processes/{process.Id}/news")).Read<NewsPage>();
        page.Total.Should().Be(2);
        page.Posts.Select(p => p.Id).Should().Equal(second.Id, first.Id);
        var one = await (await _factory.Anonymous().GetAsync($"/processes/{process.Id}/news/{first.Id}")).Read<NewsPost>();
        one.Body.Should().StartWith("Am **29. Juni**", "the Markdown is kept for editing");

        (await _factory.OutboxAsync<NewsPostPublished>(e => e.ProcessId == process.Id)).Should().HaveCount(2);
    }

    [Fact]
    public async Task UpdateAndDelete_ChangeThePost_AndPagingCounts()
    {
        var process = await _factory.CreatePublishedProcessAsync();
        var staff = _factory.Staff();
        var ids = new List<Guid>();
        for (var i = 1; i <= 3; i++)
        {
            ids.Add((await (await staff.PostJson($"/processes/{process.Id}/news", new { title = $"Post {i}", body = $"Text {i}" }))
                .Read<NewsPost>(HttpStatusCode.Created)).Id);
        }

        var updated = await (await staff.PutJson($"/processes/{process.Id}/news/{ids[0]}", new { title = "Neu", body = "*neu*" })).Read<NewsPost>();
        updated.Title.Should().Be("Neu");
        updated.Html.Should().Be("<p><em>neu</em></p>");
        updated.UpdatedAt.Should().NotBeNull();

        var second = await (await _factory.Anonymous().GetAsync($"/processes/{process.Id}/news?page=2&pageSize=2")).Read<NewsPage>();
        second.Total.Should().Be(3);
        second.Posts.Should().ContainSingle().Which.Id.Should().Be(ids[0], "the oldest post comes last");

        (await staff.DeleteAsync($"/processes/{process.Id}/news/{ids[1]}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await _factory.Anonymous().GetAsync($"/processes/{process.Id}/news/{ids[1]}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await (await _factory.Anonymous().GetAsync($"/processes/{process.Id}/news")).Read<NewsPage>()).Total.Should().Be(2);
    }

    [Fact]
    public async Task Write_ByCitizenOrAnonymous_IsRefused_AndBadInputNamesTheField()
    {
        var process = await _factory.CreatePublishedProcessAsync();
        var url = $"/processes/{process.Id}/news";
        (await _factory.Anonymous().PostJson(url, new { title = "x", body = "y" })).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await _factory.Citizen(out _).PostJson(url, new { title = "x", body = "y" })).StatusCode.Should().Be(HttpStatusCode.Forbidden);

        var staff = _factory.Staff();
        var problem = await (await staff.PostJson(url, new { title = " ", body = new string('x', NewsLimits.BodyMax + 1) }))
            .Problem(HttpStatusCode.UnprocessableEntity);
        problem.GetProperty("errors").TryGetProperty("title", out _).Should().BeTrue();
        problem.GetProperty("errors").TryGetProperty("body", out _).Should().BeTrue();
        (await staff.PostJson($"/processes/{Guid.NewGuid()}/news", new { title = "x", body = "y" })).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await staff.PutJson($"{url}/{Guid.NewGuid()}", new { title = "x", body = "y" })).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await _factory.Anonymous().GetAsync($"{url}?pageSize={NewsLimits.PageSizeMax + 1}")).StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await (await _factory.Anonymous().GetAsync(url)).Read<NewsPage>()).Total.Should().Be(0, "nothing of the refused requests was stored");
    }

    [Fact]
    public async Task DraftProcess_NewsOnlyForStaff_AndAnnouncedToNobody()
    {
        var staff = _factory.Staff();
        var draft = await (await staff.PostJson("/processes", new { title = Api.Unique("Entwurf"), description = "d", city = "Teststadt" }))
            .Read<ProcessResponse>(HttpStatusCode.Created);
        var post = await (await staff.PostJson($"/processes/{draft.Id}/news", new { title = "Intern", body = "noch nicht öffentlich" }))
            .Read<NewsPost>(HttpStatusCode.Created);

        (await _factory.Anonymous().GetAsync($"/processes/{draft.Id}/news")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await _factory.Citizen(out _).GetAsync($"/processes/{draft.Id}/news/{post.Id}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await (await staff.GetAsync($"/processes/{draft.Id}/news")).Read<NewsPage>()).Total.Should().Be(1);
        (await _factory.OutboxAsync<NewsPostPublished>(e => e.ProcessId == draft.Id)).Should().BeEmpty();
    }

    [Fact]
    public async Task ArchivedProcess_KeepsItsNews_TakesNoNewOnes()
    {
        var process = await _factory.CreatePublishedProcessAsync();
        var staff = _factory.Staff();
        var post = await (await staff.PostJson($"/processes/{process.Id}/news", new { title = "Abschluss", body = "Danke!" })).Read<NewsPost>(HttpStatusCode.Created);
        (await staff.PostAsync($"/processes/{process.Id}/archive", null)).StatusCode.Should().Be(HttpStatusCode.OK);

        (await staff.PostJson($"/processes/{process.Id}/news", new { title = "Nachtrag", body = "x" })).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await staff.PutJson($"/processes/{process.Id}/news/{post.Id}", new { title = "x", body = "x" })).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await (await _factory.Anonymous().GetAsync($"/processes/{process.Id}/news")).Read<NewsPage>()).Posts.Should().ContainSingle();
    }
}
