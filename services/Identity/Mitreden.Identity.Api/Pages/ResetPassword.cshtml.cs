using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Mitreden.Identity.Api.Features.Account;

namespace Mitreden.Identity.Api.Pages;

/// <summary>
/// /konto/passwort-zuruecksetzen?userId=&amp;token= (anonymous, through the gateway; the link of the reset mail): a new
/// password. Opening the link changes nothing; the POST sets the password, ends a lockout and every sign-in of the account
/// (<see cref="AccountActions"/>, the same as the JSON API; wrong links count per client address).
/// </summary>
public sealed class ResetPasswordModel(AccountActions accounts, IConfiguration configuration, IStringLocalizer<SignInText> text)
    : AccountPage(configuration, text)
{
    [BindProperty(SupportsGet = true)]
    public Guid? UserId { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    [BindProperty]
    public string? NewPassword { get; set; }

    public bool Done { get; private set; }

    public void OnGet() => ModelState.Clear();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        // A user id that is no id is the binder's error: the page's own text instead.
        ModelState.Remove(nameof(UserId));
        if (UserId is null)
        {
            ModelState.AddModelError(nameof(UserId), Text["Confirm_UserIdRequired"]);
        }
        if (string.IsNullOrWhiteSpace(Token))
        {
            ModelState.AddModelError(nameof(Token), Text["Confirm_TokenRequired"]);
        }
        if (string.IsNullOrEmpty(NewPassword))
        {
            ModelState.AddModelError(nameof(NewPassword), Text["Login_PasswordRequired"]);
        }
        if (ModelState.IsValid)
        {
            var outcome = await accounts.ResetPasswordAsync(HttpContext, UserId!.Value, Token!, NewPassword!, ct);
            if (outcome.RetryAfter is { } wait)
            {
                TooMany(wait, nameof(Token));
            }
            else if (outcome.InvalidLink)
            {
                ModelState.AddModelError(nameof(Token), Text["Reset_Invalid"]);
            }
            else if (outcome.Problems is { } problems)
            {
                AddProblems(problems, new Dictionary<string, string> { ["newPassword"] = nameof(NewPassword) });
            }
            else
            {
                Done = true;
            }
        }
        NewPassword = null;
        return Page();
    }
}
