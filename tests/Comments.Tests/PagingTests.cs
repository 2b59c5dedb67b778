using System.Net;
using Microsoft.EntityFrameworkCore;
using Mitreden.Comments.Api.Features.Shared;
using Mitreden.Comments.Api.Features.Threads;
using Mitreden.Comments.Contracts.Http;

namespace Mitreden.Comments.Tests;

[Collection(CommentsCollection.Name)]
public sealed class PagingTests(CommentsFixture fx)
{
    [Theory]
    [InlineData("newest")]
    [InlineData("oldest")]
    [InlineData("supported")]
    public async Task ListComments_KeysetPaging_NoDuplicatesOrGapsInDatabaseOrder(string sort)
    {
        var item = await fx.OpenItemAsync();
        // 237 comments, three at a time with the same creation time: ties must be broken by id.
        await fx.BulkInsertAsync(item.ItemId, item.ProcessId, 237, sameTime: 3);
        var expected = await fx.WithDbAsync(db =>
        {
            var q = db.Comments.AsNoTracking().Where(c => c.ItemId == item.ItemId && c.ParentId == null);
            q = sort switch
            {
                "oldest" => q.OrderBy(c => c.CreatedAt).ThenBy(c => c.Id),
                "supported" => q.OrderByDescending(c => c.Supports).ThenByDescending(c => c.Id),
                _ => q.OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id),
            };
            return q.Select(c => c.Id).ToListAsync();
        });
        var client = fx.Factory.Anonymous();

        var seen = new List<Guid>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var url = $"/items/{item.ItemId}/comments?sort={sort}&pageSize=25" + (cursor is null ? "" : $"&cursor={cursor}");
            var page = await client.GetJsonAsync<ThreadPage>(url);
            page.Comments.Count.Should().BeLessThanOrEqualTo(25);
            seen.AddRange(page.Comments.Select(c => c.Id));
            cursor = page.NextCursor;
            pages++;
        }
        while (cursor is not null && pages < 50);

        pages.Should().Be(10);
        seen.Should().OnlyHaveUniqueItems();
        seen.Should().Equal(expected);
    }

    [Fact]
    public async Task ListComments_InvalidParameters_Return400()
    {
        var item = await fx.OpenItemAsync();
        var client = fx.Factory.Anonymous();
        var newestCursor = new Cursor(SortOrder.Newest, 1, Guid.NewGuid()).Encode();

        (await client.GetAsync($"/items/{item.ItemId}/comments?pageSize=101")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await client.GetAsync($"/items/{item.ItemId}/comments?pageSize=0")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await client.GetAsync($"/items/{item.ItemId}/comments?sort=random")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await client.GetAsync($"/items/{item.ItemId}/comments?cursor=nonsense")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await client.GetAsync($"/items/{item.ItemId}/comments?sort=supported&cursor={newestCursor}")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await client.GetAsync($"/items/{item.ItemId}/comments?pageSize=100")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task ListComments_ManyReplies_ShowsFirst20AndCountWithCursorForTheRest()
    {
        var item = await fx.OpenItemAsync();
        var author = fx.Factory.Citizen(out _);
        var top = await author.PostCommentOkAsync(item.ItemId, "Was haltet ihr davon?");
        await fx.BulkInsertAsync(item.ItemId, item.ProcessId, 27, parentId: top.Id);
        var mine = await author.PostCommentOkAsync(item.ItemId, "Danke für die vielen Antworten!", parentId: top.Id);
        var client = fx.Factory.Anonymous();

        var shown = (await client.GetJsonAsync<ThreadPage>($"/items/{item.ItemId}/comments")).Comments.Single();

        shown.ReplyCount.Should().Be(28);
        shown.Replies.Should().HaveCount(20);
        shown.Replies!.Should().BeInAscendingOrder(r => r.CreatedAt);
        shown.MoreRepliesCursor.Should().NotBeNull();
        var rest = await client.GetJsonAsync<RepliesPage>($"/comments/{top.Id}/replies?cursor={shown.MoreRepliesCursor}&pageSize=5");
        var restIds = rest.Replies.Select(r => r.Id).ToList();
        while (rest.NextCursor is not null)
        {
            rest = await client.GetJsonAsync<RepliesPage>($"/comments/{top.Id}/replies?cursor={rest.NextCursor}&pageSize=5");
            restIds.AddRange(rest.Replies.Select(r => r.Id));
        }
        restIds.Should().HaveCount(8).And.OnlyHaveUniqueItems().And.NotIntersectWith(shown.Replies!.Select(r => r.Id));
        restIds[^1].Should().Be(mine.Id);
    }
}
