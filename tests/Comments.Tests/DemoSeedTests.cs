using System.Net;
using Microsoft.EntityFrameworkCore;
using Mitreden.Comments.Api.Data;
using Mitreden.Comments.Api.Features.Threads;
using Mitreden.ServiceDefaults.Messaging;
using Microsoft.Extensions.DependencyInjection;
using Mitreden.TestKit;
using Mitreden.Comments.Contracts.Http;

namespace Mitreden.Comments.Tests;

/// <summary>A service of its own started with Demo:Seed=true.</summary>
public sealed class DemoSeedTests : IAsyncLifetime
{
    private readonly ServiceFactory<CommentsDb> _factory = new ServiceFactory<CommentsDb>("commentsdemo").With("Demo:Seed", "true");

    public async Task InitializeAsync()
    {
        await _factory.InitializeAsync();
        await CommentsFixture.WaitUntilReadyAsync(_factory.CreateClient());
    }

    public async Task DisposeAsync() => await ((IAsyncLifetime)_factory).DisposeAsync();

    [Fact]
    public async Task DemoSeed_EmptyDatabase_SeedsLuenenCommentsAndOpensCommentingWithoutProposalsEvents()
    {
        // Lünen's measure 16, "Digitale Bürgerdienste im Online-Rathaus": the comment on a citizen portal and its reply.
        var item = Guid.Parse("44444444-0000-0000-0000-000000050016");

        var page = await _factory.Anonymous().GetJsonAsync<ThreadPage>($"/items/{item}/comments?sort=oldest");
        page.Comments[0].Text.Should().Contain("Bürgerportal");
        // Measure 1, "Digitales Parkleitsystem", holds the two comments on parking sensors.
        var parking = await _factory.Anonymous().GetJsonAsync<ThreadPage>("/items/44444444-0000-0000-0000-000000050001/comments");
        parking.Comments.Should().HaveCount(2).And.OnlyContain(c => c.Text!.Contains("Park"));

        page.Comments.Should().NotBeEmpty();
        page.Comments[0].Author!.Name.Should().Be("Bürgerin Demo");
        page.Comments[0].Replies.Should().NotBeEmpty();
        page.Commenting.Open.Should().BeTrue();
        page.Total.Should().Be(2);
        var posted = await _factory.ClientFor(Guid.Parse("11111111-0000-0000-0000-000000000001"), ["citizen"], "resident", "mitte", "Bürgerin Demo")
            .PostCommentAsync(item, "Noch ein Gedanke aus der Demo.");
        await posted.ShouldHaveAsync(HttpStatusCode.Created);
        await using var scope = _factory.Scope();
        var db = scope.ServiceProvider.GetRequiredService<CommentsDb>();
        (await db.Set<OutboxMessage>().CountAsync(m => m.MessageType.Contains("CommentPosted"))).Should().Be(7);
    }

    /// <summary>
    /// Moderation keeps its copy of a comment (text, author) from CommentPosted; a seeded comment that never sent it
    /// showed an empty text in the queue once reported. Each seeded comment goes out like a real one, under its measure,
    /// and reaches the broker (Moderation's side of the same event: QueueTests).
    /// </summary>
    [Fact]
    public async Task DemoSeed_EverySeededComment_GoesOutAsCommentPostedWithTextAndAuthorUnderItsMeasure()
    {
        await using var scope = _factory.Scope();
        var db = scope.ServiceProvider.GetRequiredService<CommentsDb>();
        var seeded = (await db.Comments.AsNoTracking().ToListAsync()).Where(c => c.Id.ToString().StartsWith("66666666-")).ToList();
        seeded.Should().HaveCount(6);
        var posted = (await db.Set<OutboxMessage>().AsNoTracking().Where(m => m.MessageType.Contains("CommentPosted")).ToListAsync())
            .Select(m => System.Text.Json.JsonSerializer.Deserialize<Mitreden.Comments.Contracts.CommentPosted>(m.Body,
                new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))!)
            .ToDictionary(p => p.CommentId);
        foreach (var comment in seeded)
        {
            posted.Should().ContainKey(comment.Id);
            var message = posted[comment.Id];
            message.Text.Should().Be(comment.Text).And.NotBeNullOrWhiteSpace();
            message.AuthorId.Should().Be(DemoSeed.Citizen);
            message.ItemId.Should().Be(comment.ItemId);
            message.ParentId.Should().Be(comment.ParentId);
        }
        // Measure 6, "Sensornetz für Klima-, Luft- und Lärmdaten", holds the climate dashboard comment and its reply.
        seeded.Where(c => c.ItemId == DemoSeed.LuenenItem(6)).Select(c => c.Text).Should().OnlyContain(t => t.Contains("Klimadashboard") || t.Contains("Schulen"));
        await Eventually.AssertAsync(async () =>
        {
            await using var check = _factory.Scope();
            var outbox = check.ServiceProvider.GetRequiredService<CommentsDb>().Set<OutboxMessage>();
            (await outbox.CountAsync(m => m.MessageType.Contains("CommentPosted") && m.DispatchedAt == null)).Should().Be(0, "the seeded events reach the broker");
        });
    }
}
