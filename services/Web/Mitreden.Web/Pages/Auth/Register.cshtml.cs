using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Mitreden.Web.Api;
using Mitreden.Web.Infrastructure;
using Mitreden.Web.Sessions;

namespace Mitreden.Web.Pages.Auth;

[EnableRateLimiting(WebModule.CredentialsRateLimit)]
public sealed class RegisterModel(IdentityApi identity) : WebPage
{
    [BindProperty, Required(ErrorMessage = "Register_NameRequired"), StringLength(50, MinimumLength = 2, ErrorMessage = "Register_NameLength")]
    public string? DisplayName { get; set; }

    [BindProperty, Required(ErrorMessage = "Login_EmailRequired"), EmailAddress(ErrorMessage = "Register_EmailInvalid")]
    public string? Email { get; set; }

    [BindProperty, Required(ErrorMessage = "Login_PasswordRequired"), StringLength(200, MinimumLength = 10, ErrorMessage = "Register_PasswordLength")]
    public string? Password { get; set; }

    [BindProperty, Required(ErrorMessage = "Register_ConfirmRequired"), Compare(nameof(Password), ErrorMessage = "Register_ConfirmMismatch")]
    public string? PasswordConfirmation { get; set; }

    [BindProperty, Range(typeof(bool), "true", "true", ErrorMessage = "Register_PrivacyRequired")]
    public bool AcceptPrivacy { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            Password = PasswordConfirmation = null;
            return Page();
        }
        var result = await identity.RegisterAsync(new RegisterRequest(Email!.Trim(), Password!, DisplayName!.Trim()), ct);
        if (!result.Ok)
        {
            if (result.Status == 409)
            {
                ModelState.AddModelError(nameof(Email), T["Register_EmailTaken"]);
            }
            else
            {
                AddProblem(result.Problem!, new Dictionary<string, string>
                {
                    ["email"] = nameof(Email), ["displayName"] = nameof(DisplayName), ["password"] = nameof(Password),
                });
            }
            Password = PasswordConfirmation = null;
            return Page();
        }
        // The web holds no password grant: the new account signs in on Identity's page like everyone else.
        Flash(T["Register_Done", Email.Trim()]);
        return LocalRedirect(SignInLinks.SignIn("/konto"));
    }
}
