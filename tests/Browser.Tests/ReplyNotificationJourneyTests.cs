using FluentAssertions;
using Microsoft.Playwright;
using Mitreden.TestKit;

namespace Mitreden.Browser.Tests;

/// <summary>
/// Issue #19: a reply written in the web reaches the author of the comment by mail exactly once, even when the broker
/// delivers the reply's event a second time (the same message) and an outbox publishes it again (a new message id).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ReplyNotificationJourneyTests(BrowserFixture fixture)
{
    private const string CommentPosted = "Mitreden.Comments.Contracts:CommentPosted";
    private const string IdentityQueue = "identity-notifications";

    [Fact]
    public async Task Journey_CitizenRepliesInTheWeb_EventDeliveredTwiceMore_TheAuthorGetsOneMailAndFollowsItsLink()
    {
        var api = fixture.Api;
        var staff = await api.NewUserAsync("Stadt", "staff");
        var process = await api.NewProcessAsync(await api.TokenAsync(staff.Email, staff.Password), measures: 1);
        var item = process.Items[0];
        var author = await api.NewUserAsync("Autorin");
        var commentId = await api.CommentAsync(await api.TokenAsync(author.Email, author.Password), item.Id,
            "Am Markt fehlen Bänke im Schatten.");
        await using var tap = await StackBroker.TapAsync(CommentPosted);

        var replier = await api.NewUserAsync("Antwortender");
        await using (var ui = await fixture.NewUiAsync("citizen"))
        {
            await ui.SignInAsync(replier, $"/inhalte/{item.Id}");
            var thread = ui.Main.Locator($"#kommentar-{commentId}");
            await thread.Locator("summary", new() { HasText = "Antworten" }).ClickAsync();
            await thread.GetByLabel("Ihre Antwort").FillAsync("Zwei Bänke unter der Linde wären ein Anfang.");
            await ui.SubmitAsync(thread.GetByRole(AriaRole.Button, new() { Name = "Antwort senden" }), "antwort-gesendet");
        }

        var posted = await tap.TakeAsync(m => m.GetProperty("parentId").GetString() == commentId.ToString(), TimeSpan.FromSeconds(30));
        var mail = await ReplyMailAsync(author.Email);
        mail.Body.Should().Contain("Zwei Bänke unter der Linde").And.Contain($"/inhalte/{item.Id}");

        // The same event twice more: as the broker redelivers it, and as an outbox that published it again would.
        var before = await StackBroker.SettledCountersAsync(IdentityQueue, TimeSpan.FromSeconds(60));
        await tap.PublishAgainAsync(posted, newMessageId: false);
        await tap.PublishAgainAsync(posted, newMessageId: true);
        await StackBroker.TakenAsync(IdentityQueue, before, more: 2, TimeSpan.FromSeconds(60));
        // A second notification would be mailed by the sender's next round; the settled queue and one more round of it.
        await StackBroker.SettledCountersAsync(IdentityQueue, TimeSpan.FromSeconds(60));
        Mailbox.OfStack.To(author.Email).Count(m => m.Subject.Contains("Neue Antwort")).Should().Be(1);

        // The author follows the mail's link to the reply.
        var link = new Uri(mail.Body.Split(['\n', ' '], StringSplitOptions.RemoveEmptyEntries)
            .First(w => w.Contains($"/inhalte/{item.Id}", StringComparison.Ordinal)).Trim());
        await using var authorUi = await fixture.NewUiAsync("citizen");
        await authorUi.SignInAsync(author, link.PathAndQuery);
        (await authorUi.Main.Locator($"#kommentar-{commentId}").InnerTextAsync()).Should().Contain("Zwei Bänke unter der Linde");
    }

    private static async Task<Mailbox.Mail> ReplyMailAsync(string address)
    {
        Mailbox.Mail? mail = null;
        await Eventually.TrueAsync(() =>
        {
            mail = Mailbox.OfStack.To(address).LastOrDefault(m => m.Subject.Contains("Neue Antwort"));
            return Task.FromResult(mail is not null);
        }, TimeSpan.FromSeconds(30), $"no reply mail to {address}");
        return mail!;
    }
}
