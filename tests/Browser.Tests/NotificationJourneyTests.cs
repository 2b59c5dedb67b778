using FluentAssertions;
using Microsoft.Playwright;
using Mitreden.TestKit;

namespace Mitreden.Browser.Tests;

/// <summary>Email notifications (issue #19 part 1): following a process, the mail of a new ballot, one-click unsubscribe.</summary>
[Collection(BrowserCollection.Name)]
public sealed class NotificationJourneyTests(BrowserFixture fixture)
{
    [Fact]
    public async Task CitizenFollowsProcess_StaffOpenBallot_MailArrives_UnsubscribeFromTheMailWorks()
    {
        var api = fixture.Api;
        var staff = await api.NewUserAsync("Stadt", "staff");
        var staffToken = await api.TokenAsync(staff.Email, staff.Password);
        var process = await api.NewProcessAsync(staffToken, measures: 2);
        var citizen = await api.NewUserAsync("Folgende");
        await using var ui = await fixture.NewUiAsync("citizen");
        await ui.SignInAsync(citizen, $"/prozesse/{process.Id}");

        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Verfahren folgen" }), "prozess-gefolgt");
        (await ui.Main.GetByRole(AriaRole.Button, new() { Name = "Nicht mehr folgen" }).CountAsync()).Should().Be(1);
        await ui.VisitAsync("/konto/benachrichtigungen", "benachrichtigungen");
        (await ui.Main.GetByRole(AriaRole.Group, new() { Name = "Neue Abstimmungen in Verfahren, denen ich folge" })
            .GetByLabel("Sofort").IsCheckedAsync()).Should().BeTrue("a new ballot is mailed at once by default");

        var ballot = await api.NewBallotAsync(staffToken, process, "approval", null, "after-close");
        var mail = await NewBallotMailAsync(citizen.Email);
        mail.Body.Should().Contain($"/abstimmungen/{ballot}").And.Contain("Abstimmung");
        mail.Headers["List-Unsubscribe-Post"].Should().Be("List-Unsubscribe=One-Click");
        var unsubscribe = new Uri(mail.Headers["List-Unsubscribe"]!.Trim('<', '>'));

        // The link from the mail: a form first (a scanner's GET changes nothing), then the click.
        await ui.VisitAsync(unsubscribe.PathAndQuery, "abbestellen");
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Abbestellen / Unsubscribe" }), "abbestellt");
        (await ui.Main.InnerTextAsync()).Should().Contain("Abbestellt");
        await ui.VisitAsync("/konto/benachrichtigungen", "benachrichtigungen-abbestellt");
        (await ui.Main.GetByRole(AriaRole.Group, new() { Name = "Neue Abstimmungen in Verfahren, denen ich folge" })
            .GetByLabel("Aus").IsCheckedAsync()).Should().BeTrue();
    }

    [Fact]
    public async Task SettingsPage_EventReminders_ImmediateByDefault_SwitchedToTheDigestAndKept()
    {
        var citizen = await fixture.Api.NewUserAsync("Erinnerung");
        await using var ui = await fixture.NewUiAsync("citizen");
        await ui.SignInAsync(citizen, "/konto/benachrichtigungen");
        var reminders = ui.Main.GetByRole(AriaRole.Group, new() { Name = "Erinnerung am Vortag an Veranstaltungen in Verfahren, denen ich folge" });
        (await reminders.GetByLabel("Sofort").IsCheckedAsync()).Should().BeTrue("an event's reminder comes at once by default");

        await reminders.GetByLabel("Tägliche Zusammenfassung").CheckAsync();
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Einstellungen speichern" }), "erinnerungen-gespeichert");
        await ui.VisitAsync("/konto/benachrichtigungen", "benachrichtigungen-erinnerungen");
        (await ui.Main.GetByRole(AriaRole.Group, new() { Name = "Erinnerung am Vortag an Veranstaltungen in Verfahren, denen ich folge" })
            .GetByLabel("Tägliche Zusammenfassung").IsCheckedAsync()).Should().BeTrue();
    }

    private static async Task<Mailbox.Mail> NewBallotMailAsync(string address)
    {
        Mailbox.Mail? mail = null;
        await Eventually.TrueAsync(() =>
        {
            mail = Mailbox.OfStack.To(address).LastOrDefault(m => m.Subject.Contains("Neue Abstimmung"));
            return Task.FromResult(mail is not null);
        }, TimeSpan.FromSeconds(30), $"no ballot mail to {address}");
        return mail!;
    }
}
