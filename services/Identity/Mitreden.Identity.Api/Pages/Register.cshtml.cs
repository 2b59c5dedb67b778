using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Mitreden.Identity.Api.Features.Account;

namespace Mitreden.Identity.Api.Pages;

/// <summary>
/// /konto/registrieren (anonymous, through the gateway): a new account. The rules, limits and the answer for a known address
/// (the same as for a new one; the owner gets a mail) are <see cref="AccountActions"/>', the same as the JSON API's. Then on
/// to the sign-in (into the authorization request it came from, or the web's sign-in start).
/// </summary>
public sealed class RegisterModel(AccountActions accounts, IConfiguration configuration, IStringLocalizer<SignInText> text)
    : AccountPage(configuration, text)
{
    private static readonly Dictionary<string, string> Fields = new()
    {
        ["email"] = nameof(Email), ["displayName"] = nameof(DisplayName), ["password"] = nameof(Password),
    };

    [BindProperty]
    public string? DisplayName { get; set; }

    [BindProperty]
    public string? Email { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty]
    public string? PasswordConfirmation { get; set; }

    [BindProperty]
    public bool AcceptPrivacy { get; set; }

    public bool Registered { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        // A box value that is no bool is the binder's error: the page's own text instead (the box is simply not ticked).
        ModelState.Remove(nameof(AcceptPrivacy));
        if (string.IsNullOrWhiteSpace(DisplayName))
        {
            ModelState.AddModelError(nameof(DisplayName), Text["Register_NameRequired"]);
        }
        if (string.IsNullOrWhiteSpace(Email))
        {
            ModelState.AddModelError(nameof(Email), Text["Login_EmailRequired"]);
        }
        if (string.IsNullOrEmpty(Password))
        {
            ModelState.AddModelError(nameof(Password), Text["Login_PasswordRequired"]);
        }
        if (string.IsNullOrEmpty(PasswordConfirmation))
        {
            ModelState.AddModelError(nameof(PasswordConfirmation), Text["Register_ConfirmRequired"]);
        }
        else if (Password is not null && PasswordConfirmation != Password)
        {
            ModelState.AddModelError(nameof(PasswordConfirmation), Text["Register_ConfirmMismatch"]);
        }
        if (!AcceptPrivacy)
        {
            ModelState.AddModelError(nameof(AcceptPrivacy), Text["Register_PrivacyRequired"]);
        }
        if (!ModelState.IsValid)
        {
            // Every field's problem at once: the rules' too, where the page's own checks left the field without one.
            AddProblems(AccountActions.CheckRegistration(Email, Password, DisplayName, out _)
                .Where(p => ModelState.GetFieldValidationState(Fields[p.Field]) != Microsoft.AspNetCore.Mvc.ModelBinding.ModelValidationState.Invalid), Fields);
        }
        else
        {
            var outcome = await accounts.RegisterAsync(HttpContext, Email!, Password!, DisplayName!);
            if (outcome.RetryAfter is { } wait)
            {
                TooMany(wait, nameof(Email));
            }
            else if (outcome.Problems is { } problems)
            {
                AddProblems(problems, Fields);
            }
            else
            {
                Email = Email!.Trim();
                Registered = true;
            }
        }
        Password = PasswordConfirmation = null;
        return Page();
    }
}
