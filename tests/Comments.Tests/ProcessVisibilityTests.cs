using System.Net;
using Microsoft.EntityFrameworkCore;
using Mitreden.ServiceDefaults.Messaging;
using Mitreden.Proposals.Contracts;
using Mitreden.TestKit;

namespace Mitreden.Comments.Tests;

/// <summary>
/// Comments of an internal or members-only process (Proposals' ProcessVisibilityChanged): 404 for everyone who may not see
/// the process, for reading, posting, up-voting and reporting; members and staff as before; an older event changes nothing.
/// </summary>
[Collection(CommentsCollection.Name)]
public sealed class ProcessVisibilityTests(CommentsFixture fx)
{
    [Fact]
    public async Task MembersOnlyProcess_NonMembersGet404_MembersAndStaffReadAndWrite()
    {
        var item = await fx.OpenItemAsync();
        var comment = (await fx.Factory.Citizen(out _).PostCommentOkAsync(item.ItemId, "Vor der Einschränkung geschrieben.")).Id;
        var memberId = Guid.NewGuid();
        var member = fx.Factory.ClientFor(memberId, ["citizen"]);

        var now = DateTimeOffset.UtcNow;
        await fx.PublishAsync(new ProcessVisibilityChanged(item.ProcessId, ProcessVisibilities.Members, [memberId], now));
        await Eventually.AssertAsync(async () =>
            (await fx.Factory.Anonymous().GetAsync($"/items/{item.ItemId}/comments")).StatusCode.Should().Be(HttpStatusCode.NotFound));

        foreach (var outsider in new[] { fx.Factory.Anonymous(), fx.Factory.Citizen(out _), fx.Factory.Moderator() })
        {
            foreach (var path in new[] { $"/items/{item.ItemId}/comments", $"/items/{item.ItemId}/commenting", $"/comments/{comment}",
                         $"/comments/{comment}/replies" })
            {
                (await outsider.GetAsync(path)).StatusCode.Should().Be(HttpStatusCode.NotFound, path);
            }
        }
        var citizen = fx.Factory.Citizen(out _);
        (await citizen.PostCommentAsync(item.ItemId, "Darf ich?", "neutral")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await citizen.PostAsync($"/comments/{comment}/upvote", null)).StatusCode.Should().Be(HttpStatusCode.NotFound);

        await member.PostCommentOkAsync(item.ItemId, "Als Mitglied der Werkstattgruppe.");
        (await member.GetAsync($"/comments/{comment}")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await fx.Factory.Staff().GetAsync($"/items/{item.ItemId}/comments")).StatusCode.Should().Be(HttpStatusCode.OK);

        // Internal: the member too is out; a late, older "public" changes nothing.
        await fx.PublishAsync(new ProcessVisibilityChanged(item.ProcessId, ProcessVisibilities.Internal, [memberId], now.AddSeconds(1)));
        await Eventually.AssertAsync(async () =>
            (await member.GetAsync($"/comments/{comment}")).StatusCode.Should().Be(HttpStatusCode.NotFound));
        var late = Guid.NewGuid();
        await fx.PublishAsync(new ProcessVisibilityChanged(item.ProcessId, ProcessVisibilities.Public, [], now.AddMinutes(-5)), late);
        await Eventually.AssertAsync(async () =>
            (await fx.WithDbAsync(db => db.Set<ProcessedMessage>().AnyAsync(m => m.MessageId == late))).Should().BeTrue());
        (await fx.Factory.Anonymous().GetAsync($"/comments/{comment}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await fx.Factory.Staff().GetAsync($"/comments/{comment}")).StatusCode.Should().Be(HttpStatusCode.OK);
    }
}
