using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Mitreden.Identity.Api.Features.Account;

namespace Mitreden.Identity.Api.Pages;

/// <summary>
/// /konto/passwort-vergessen (anonymous, through the gateway): asks for a reset link. The answer is "sent" for every
/// well-formed address, with an account or without; the mail limits (per client address and per target address) are
/// <see cref="AccountActions"/>', the same as the JSON API's.
/// </summary>
public sealed class ForgotPasswordModel(AccountActions accounts, IConfiguration configuration, IStringLocalizer<SignInText> text)
    : AccountPage(configuration, text)
{
    [BindProperty]
    public string? Email { get; set; }

    public bool Sent { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (string.IsNullOrWhiteSpace(Email))
        {
            ModelState.AddModelError(nameof(Email), Text["Login_EmailRequired"]);
            return Page();
        }
        if (!AccountApi.IsEmailAddress(Email.Trim()))
        {
            ModelState.AddModelError(nameof(Email), Text["Register_EmailInvalid"]);
            return Page();
        }
        if (await accounts.RequestPasswordResetAsync(HttpContext, Email) is { } wait)
        {
            TooMany(wait, nameof(Email));
            return Page();
        }
        Sent = true;
        return Page();
    }
}
