using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Mitreden.Web.Api;
using Mitreden.Web.Infrastructure;
using Mitreden.Web.Sessions;

namespace Mitreden.Web.Pages.Auth;

/// <summary>
/// The link from the confirmation mail. Opening it shows a button: mail scanners that prefetch links must not confirm
/// anything, so only the POST does. The fields also take the values typed from the mail.
/// </summary>
public sealed class ConfirmEmailModel(IdentityApi identity, SessionManager sessions) : WebPage
{
    [BindProperty(SupportsGet = true), Required(ErrorMessage = "Confirm_UserIdRequired")]
    public Guid? UserId { get; set; }

    [BindProperty(SupportsGet = true), Required(ErrorMessage = "Confirm_TokenRequired")]
    public string? Token { get; set; }

    public bool Confirmed { get; private set; }

    public void OnGet()
    {
        ModelState.Clear();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }
        var result = await identity.ConfirmEmailAsync(UserId!.Value, Token!.Trim(), ct);
        if (!result.Ok)
        {
            ModelState.AddModelError(nameof(Token), T["Confirm_Invalid"]);
            return Page();
        }
        Confirmed = true;
        // The verification level is part of the access token: fetch a fresh one so voting works at once.
        await sessions.RenewAsync(HttpContext);
        return Page();
    }
}
