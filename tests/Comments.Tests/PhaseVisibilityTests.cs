using System.Net;
using Microsoft.EntityFrameworkCore;
using Mitreden.Proposals.Contracts;
using Mitreden.ServiceDefaults.Messaging;
using Mitreden.TestKit;

namespace Mitreden.Comments.Tests;

/// <summary>
/// Comments on an item of an internal or members-only phase (Proposals' PhaseVisibilityChanged, the item's phase from
/// ItemPublished/ItemUpdated) of a public process: 404 for everyone who may not see the phase, for reading, posting and
/// up-voting; the process's members see a members-only phase; staff always; an item moved out of the phase is public
/// again; older events change nothing.
/// </summary>
[Collection(CommentsCollection.Name)]
public sealed class PhaseVisibilityTests(CommentsFixture fx)
{
    [Fact]
    public async Task ItemOfInternalThenMembersOnlyPhase_HidesItsComments_UntilItMovesOut()
    {
        var item = await fx.OpenItemAsync();
        var comment = (await fx.Factory.Citizen(out _).PostCommentOkAsync(item.ItemId, "Vor der Werkstatt geschrieben.")).Id;
        var memberId = Guid.NewGuid();
        var member = fx.Factory.ClientFor(memberId, ["citizen"]);
        var now = DateTimeOffset.UtcNow;
        await fx.PublishAsync(new ProcessVisibilityChanged(item.ProcessId, ProcessVisibilities.Public, [memberId], now));
        await fx.PublishAsync(new ItemUpdated(item.ItemId, item.ProcessId, "Testmaßnahme", null, null, now.AddSeconds(1), item.PhaseId));
        await fx.PublishAsync(new PhaseVisibilityChanged(item.ProcessId, item.PhaseId, ProcessVisibilities.Internal, now.AddSeconds(1)));
        await Eventually.AssertAsync(async () =>
            (await fx.Factory.Anonymous().GetAsync($"/items/{item.ItemId}/comments")).StatusCode.Should().Be(HttpStatusCode.NotFound));

        foreach (var outsider in new[] { fx.Factory.Anonymous(), fx.Factory.Citizen(out _), fx.Factory.Moderator(), member })
        {
            await AssertHiddenAsync(outsider, item.ItemId, comment);
        }
        var citizen = fx.Factory.Citizen(out _);
        (await citizen.PostCommentAsync(item.ItemId, "Darf ich?", "neutral")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await citizen.PostAsync($"/comments/{comment}/upvote", null)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await member.PostCommentAsync(item.ItemId, "Darf ich?", "neutral")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await fx.Factory.Staff().GetAsync($"/items/{item.ItemId}/comments")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await fx.Factory.Staff().GetAsync($"/comments/{comment}")).StatusCode.Should().Be(HttpStatusCode.OK);

        // Members-only: the process's members read and write; everyone else still gets 404.
        await fx.PublishAsync(new PhaseVisibilityChanged(item.ProcessId, item.PhaseId, ProcessVisibilities.Members, now.AddSeconds(2)));
        await Eventually.AssertAsync(async () =>
            (await member.GetAsync($"/comments/{comment}")).StatusCode.Should().Be(HttpStatusCode.OK));
        await member.PostCommentOkAsync(item.ItemId, "Als Mitglied der Werkstattgruppe.");
        await AssertHiddenAsync(fx.Factory.Citizen(out _), item.ItemId, comment);

        // A late, older "public" for the phase changes nothing.
        var late = Guid.NewGuid();
        await fx.PublishAsync(new PhaseVisibilityChanged(item.ProcessId, item.PhaseId, ProcessVisibilities.Public, now), late);
        await Eventually.AssertAsync(async () =>
            (await fx.WithDbAsync(db => db.Set<ProcessedMessage>().AnyAsync(m => m.MessageId == late))).Should().BeTrue());
        await AssertHiddenAsync(fx.Factory.Anonymous(), item.ItemId, comment);

        // The item moves out of the phase: its comments are public again; a late, older move back changes nothing.
        await fx.PublishAsync(new ItemUpdated(item.ItemId, item.ProcessId, "Testmaßnahme", null, null, now.AddSeconds(3), null));
        await Eventually.AssertAsync(async () =>
            (await fx.Factory.Anonymous().GetAsync($"/comments/{comment}")).StatusCode.Should().Be(HttpStatusCode.OK));
        var older = Guid.NewGuid();
        await fx.PublishAsync(new ItemUpdated(item.ItemId, item.ProcessId, "Testmaßnahme", null, null, now.AddSeconds(2), item.PhaseId), older);
        await Eventually.AssertAsync(async () =>
            (await fx.WithDbAsync(db => db.Set<ProcessedMessage>().AnyAsync(m => m.MessageId == older))).Should().BeTrue());
        (await fx.Factory.Anonymous().GetAsync($"/items/{item.ItemId}/comments")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    private static async Task AssertHiddenAsync(HttpClient outsider, Guid itemId, Guid comment)
    {
        foreach (var path in new[] { $"/items/{itemId}/comments", $"/items/{itemId}/commenting", $"/comments/{comment}", $"/comments/{comment}/replies" })
        {
            (await outsider.GetAsync(path)).StatusCode.Should().Be(HttpStatusCode.NotFound, path);
        }
    }
}
