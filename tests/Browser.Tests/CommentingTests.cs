using FluentAssertions;
using Microsoft.Playwright;

namespace Mitreden.Browser.Tests;

/// <summary>What a citizen learns about the comment they wrote, and whether they may write one.</summary>
[Collection(BrowserCollection.Name)]
public sealed class CommentingTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Author_OfCommentHeldByScreening_IsToldItIsBeingChecked_NotThatItIsPublished()
    {
        var api = fixture.Api;
        var staff = await api.NewUserAsync("Stadt", "staff");
        var process = await api.NewProcessAsync(await api.TokenAsync(staff.Email, staff.Password), measures: 1);
        var item = process.Items[0];
        var author = await api.NewUserAsync("Autor");

        await using var ui = await fixture.NewUiAsync("author");
        await ui.SignInAsync(author, $"/inhalte/{item.Id}");
        // "Vollidiot" is on the default word list, whose rule holds a comment until a moderator decides.
        await ui.Main.GetByLabel("Ihr Kommentar").FillAsync($"Wer das plant, ist ein Vollidiot. ({Guid.NewGuid():N})");
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Kommentar veröffentlichen" }), "kommentar-gesendet");
        ui.Page.Url.Should().Contain("neu=");

        // Screening runs in Moderation after Comments saved the comment: the page tells what Comments answers when it is shown.
        var message = ui.Main.Locator("[data-new-comment-message]");
        await Eventually.TrueAsync(async () =>
        {
            await ui.Page.ReloadAsync();
            return (await message.InnerTextAsync()).Contains("Ihr Kommentar wird gerade geprüft");
        }, TimeSpan.FromSeconds(30), "the author should be told that the held comment is being checked");
        await ui.CheckAsync("kommentar-wird-geprueft");
        (await ui.Page.Locator("body").InnerTextAsync()).Should().NotContain("Ihr Kommentar ist veröffentlicht");

        // A clean comment is published, and says so.
        await ui.Main.GetByLabel("Ihr Kommentar").FillAsync($"Ein sicherer Radweg hilft allen. ({Guid.NewGuid():N})");
        await ui.SubmitAsync(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Kommentar veröffentlichen" }), "kommentar-veroeffentlicht");
        (await message.InnerTextAsync()).Should().Contain("Ihr Kommentar ist veröffentlicht");
    }

    [Fact]
    public async Task UnconfirmedAccount_IsToldBeforeTheForm_ToConfirmItsAddress_UntilStaffAllowUnconfirmedComments()
    {
        var api = fixture.Api;
        var staff = await api.NewUserAsync("Stadt", "staff");
        var process = await api.NewProcessAsync(await api.TokenAsync(staff.Email, staff.Password), measures: 1);
        var item = process.Items[0];
        var email = $"unbestaetigt-{Guid.NewGuid():N}@example.org";
        var name = $"Unbestätigt {Random.Shared.Next(1000, 9999)}";
        var id = await api.RegisterAsync(email, name);
        var unconfirmed = new TestUser(id, email, StackApi.Password, name);

        await using (var citizen = await fixture.NewUiAsync("unconfirmed"))
        {
            await citizen.SignInAsync(unconfirmed, $"/inhalte/{item.Id}");
            var notice = citizen.Main.Locator("[data-confirm-email-first]");
            (await notice.InnerTextAsync()).Should().Contain("Bestätigen Sie Ihre E-Mail-Adresse, um zu kommentieren");
            (await notice.GetByRole(AriaRole.Link).GetAttributeAsync("href")).Should().Be("/konto#confirm-heading");
            (await citizen.Main.GetByLabel("Ihr Kommentar").CountAsync()).Should().Be(0, "the form is not offered to an account that may not comment");
        }

        // Staff let unconfirmed accounts comment in this process; Comments learns it from Proposals' event.
        await using (var staffUi = await fixture.NewUiAsync("staff"))
        {
            await staffUi.SignInAsync(staff, $"/verwaltung/prozesse/{process.Id}");
            await staffUi.Main.Locator("details").First.Locator("summary").ClickAsync();
            await staffUi.Main.GetByLabel("Auch Konten ohne bestätigte E-Mail-Adresse dürfen kommentieren").CheckAsync();
            await staffUi.SubmitAsync(staffUi.Main.GetByRole(AriaRole.Button, new() { Name = "Speichern", Exact = true }), "prozess-unbestaetigte-duerfen");
            (await staffUi.Main.GetByLabel("Auch Konten ohne bestätigte E-Mail-Adresse dürfen kommentieren").IsCheckedAsync()).Should().BeTrue();
        }
        await using (var citizen = await fixture.NewUiAsync("unconfirmed-allowed"))
        {
            await citizen.SignInAsync(unconfirmed, $"/inhalte/{item.Id}");
            await Eventually.TrueAsync(async () =>
            {
                await citizen.Page.ReloadAsync();
                return await citizen.Main.GetByLabel("Ihr Kommentar").CountAsync() == 1;
            }, TimeSpan.FromSeconds(30), "the comment form should appear once the process allows unconfirmed accounts");
            await citizen.CheckAsync("unbestaetigt-darf-kommentieren");
        }
    }
}
