using Microsoft.AspNetCore.Mvc;
using Mitreden.Identity.Contracts.Http;
using Mitreden.Web.Api;
using Mitreden.Web.Infrastructure;

namespace Mitreden.Web.Pages.Account;

public sealed class IndexModel(IdentityApi identity) : WebPage
{
    public Profile? Account { get; private set; }

    /// <summary>Signed in with a voting code: there is no account behind the session.</summary>
    public bool CodeVoter { get; private set; }

    public bool ResendSent { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostResendAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        if (Account?.Email is { } email && !Account.EmailConfirmed)
        {
            var result = await identity.ResendConfirmationAsync(email, ct);
            ResendSent = result.Ok;
        }
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var result = await identity.MeAsync(ct);
        Account = result.Value;
        CodeVoter = result.NotFound;
    }
}
