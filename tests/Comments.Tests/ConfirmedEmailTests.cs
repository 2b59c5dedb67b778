using System.Net;
using Microsoft.EntityFrameworkCore;
using Mitreden.ServiceDefaults.Messaging;
using Mitreden.Comments.Api.Features.Threads;
using Mitreden.Proposals.Contracts;
using Mitreden.TestKit;
using Mitreden.Comments.Contracts.Http;

namespace Mitreden.Comments.Tests;

/// <summary>By default only accounts with a confirmed email address comment; a process can let unconfirmed ones in.</summary>
[Collection(CommentsCollection.Name)]
public sealed class ConfirmedEmailTests(CommentsFixture fx)
{
    [Fact]
    public async Task PostComment_UnconfirmedAccount_Is403WithGermanReason_UntilTheProcessAllowsIt()
    {
        var item = await fx.OpenItemAsync();
        var unconfirmed = fx.Factory.Citizen(out _, verification: "none");

        var refused = await unconfirmed.PostCommentAsync(item.ItemId, "Ohne bestätigte Adresse.", "neutral");
        await refused.ShouldHaveAsync(HttpStatusCode.Forbidden);
        var problem = await refused.Content.ReadAsStringAsync();
        problem.Should().Contain("\"code\":\"email-unconfirmed\"").And.Contain("Bestätigen Sie Ihre E-Mail-Adresse, um zu kommentieren.");
        refused.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await unconfirmed.GetJsonAsync<CommentingView>($"/items/{item.ItemId}/commenting"))
            .Should().Match<CommentingView>(v => v.Reason == "email-unconfirmed" && v.ConfirmedEmailRequired);

        // Confirmed and resident accounts comment as before.
        await fx.Factory.Citizen(out _).PostCommentOkAsync(item.ItemId, "Mit bestätigter Adresse.");
        await fx.Factory.Citizen(out _, verification: "resident", district: "mitte").PostCommentOkAsync(item.ItemId, "Als Einwohnerin.");
        (await fx.Factory.Citizen(out _).GetJsonAsync<CommentingView>($"/items/{item.ItemId}/commenting")).Reason.Should().BeNull();

        // Staff allow unconfirmed accounts in this process; an older event arriving late changes nothing.
        var now = DateTimeOffset.UtcNow;
        await fx.PublishAsync(new ProcessCommentingRulesChanged(item.ProcessId, true, now));
        await Eventually.AssertAsync(async () =>
            (await unconfirmed.GetJsonAsync<CommentingView>($"/items/{item.ItemId}/commenting")).ConfirmedEmailRequired.Should().BeFalse());
        var late = Guid.NewGuid();
        await fx.PublishAsync(new ProcessCommentingRulesChanged(item.ProcessId, false, now.AddMinutes(-5)), late);
        await Eventually.AssertAsync(async () =>
            (await fx.WithDbAsync(db => db.Set<ProcessedMessage>().AnyAsync(m => m.MessageId == late))).Should().BeTrue());
        await unconfirmed.PostCommentOkAsync(item.ItemId, "Jetzt darf ich.");
    }
}
