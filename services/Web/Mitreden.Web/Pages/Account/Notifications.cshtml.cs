using Microsoft.AspNetCore.Mvc;
using Mitreden.Identity.Contracts.Http;
using Mitreden.Web.Api;
using Mitreden.Web.Infrastructure;

namespace Mitreden.Web.Pages.Account;

/// <summary>Which mails the account gets: each kind off, at once or in the daily digest (Identity holds the settings).</summary>
public sealed class NotificationsModel(IdentityApi identity) : WebPage
{
    public SettingsView? Settings { get; private set; }

    /// <summary>Signed in with a voting code: there is no account to send mail to.</summary>
    public bool CodeVoter { get; private set; }

    public bool Saved { get; private set; }

    /// <summary>Kind → mode, from the form's radio groups.</summary>
    [BindProperty] public Dictionary<string, string> Modes { get; set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var result = await identity.SaveNotificationSettingsAsync(Modes, ct);
        if (result.Ok)
        {
            Settings = result.Value;
            Saved = true;
        }
        else
        {
            ModelState.AddModelError(nameof(Modes), ProblemMessage(result.Problem!));
            await LoadAsync(ct);
        }
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var result = await identity.NotificationSettingsAsync(ct);
        Settings = result.Value;
        CodeVoter = result.NotFound;
    }
}
