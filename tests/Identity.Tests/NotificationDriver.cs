using System.Net;
using FluentAssertions;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Mitreden.Moderation.Contracts;
using Mitreden.Proposals.Contracts;
using Mitreden.TestKit;

namespace Mitreden.Identity.Tests;

/// <summary>
/// What the notification tests do around the case they test: publish to Identity through the real broker, follow a
/// process, and wait for mails in smtp4dev.
/// </summary>
public sealed class NotificationDriver(IdentityFixture fixture)
{
    public static readonly TimeSpan MailWait = TimeSpan.FromSeconds(20);

    public IBus Bus => fixture.Factory.Services.GetRequiredService<IBus>();

    public async Task FollowAsync(TestAccount account, Guid process)
    {
        var response = await fixture.WithToken(account.Tokens.AccessToken).PutAsync($"/account/me/follows/{process}", null);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    /// <summary>A public process Identity has heard of (as Proposals announces each new one).</summary>
    public async Task<Guid> PublicProcessAsync()
    {
        var process = Guid.NewGuid();
        await Bus.Publish(new ProcessVisibilityChanged(process, ProcessVisibilities.Public, [], DateTimeOffset.UtcNow));
        await Eventually.AssertAsync(async () =>
            (await fixture.InDbAsync(db => db.ProcessAudiences.AnyAsync(a => a.ProcessId == process))).Should().BeTrue());
        return process;
    }

    public async Task<Mailbox.Mail> NextMailAsync(string to, string subject)
    {
        Mailbox.Mail? found = null;
        await Eventually.TrueAsync(() =>
        {
            found = fixture.MailsTo(to).LastOrDefault(m => m.Subject.Contains(subject));
            return Task.FromResult(found is not null);
        }, MailWait, $"no mail '{subject}'");
        return found!;
    }

    /// <summary>
    /// Waits until everything published before has been handled: a moderation decision (a kind mailed at once) sent
    /// afterwards arrives as a mail. Events of one test go to one queue and are taken in order, and the sender works
    /// through due rows oldest first. The short pause first keeps the marker behind messages still being published
    /// (the consumer takes several at once).
    /// </summary>
    public async Task WaitForMarkerAsync(TestAccount account)
    {
        var marker = "Markierung " + Guid.NewGuid().ToString("N")[..8];
        await Task.Delay(500);
        await Bus.Publish(new CommentModerated(Guid.NewGuid(), Guid.NewGuid(), Decisions.Approve, null, marker, Guid.NewGuid(),
            DateTimeOffset.UtcNow, account.Id));
        await Eventually.TrueAsync(() => Task.FromResult(fixture.MailsTo(account.Email).Any(m => m.Body.Contains(marker))),
            MailWait, "the marker mail did not arrive");
    }
}
