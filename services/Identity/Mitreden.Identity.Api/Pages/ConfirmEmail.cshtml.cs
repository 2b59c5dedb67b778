using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Mitreden.Identity.Api.Features.Account;

namespace Mitreden.Identity.Api.Pages;

/// <summary>
/// /konto/email-bestaetigen?userId=&amp;token= (anonymous, through the gateway; the link of the confirmation mail). Opening it
/// shows a button: mail scanners that prefetch links must not confirm anything, so only the POST does
/// (<see cref="AccountActions"/>, the same as the JSON API; wrong links count per client address). The fields also take the
/// values typed from the mail. Then on into the web, whose sign-in start picks up the new verification level.
/// </summary>
public sealed class ConfirmEmailModel(AccountActions accounts, IConfiguration configuration, IStringLocalizer<SignInText> text)
    : AccountPage(configuration, text)
{
    [BindProperty(SupportsGet = true)]
    public Guid? UserId { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    public bool Confirmed { get; private set; }

    public void OnGet() => ModelState.Clear();

    public async Task<IActionResult> OnPostAsync()
    {
        ModelState.Remove(nameof(UserId));
        if (UserId is null)
        {
            ModelState.AddModelError(nameof(UserId), Text["Confirm_UserIdRequired"]);
        }
        if (string.IsNullOrWhiteSpace(Token))
        {
            ModelState.AddModelError(nameof(Token), Text["Confirm_TokenRequired"]);
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }
        var outcome = await accounts.ConfirmEmailAsync(HttpContext, UserId!.Value, Token!);
        if (outcome.RetryAfter is { } wait)
        {
            TooMany(wait, nameof(Token));
        }
        else if (!outcome.Succeeded)
        {
            ModelState.AddModelError(nameof(Token), Text["Confirm_Invalid"]);
        }
        else
        {
            Confirmed = true;
        }
        return Page();
    }
}
