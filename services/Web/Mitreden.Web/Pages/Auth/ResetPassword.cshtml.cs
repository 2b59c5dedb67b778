using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Mitreden.Web.Api;
using Mitreden.Web.Infrastructure;
using Mitreden.Web.Sessions;

namespace Mitreden.Web.Pages.Auth;

[EnableRateLimiting(WebModule.CredentialsRateLimit)]
public sealed class ResetPasswordModel(IdentityApi identity) : WebPage
{
    [BindProperty(SupportsGet = true), Required(ErrorMessage = "Confirm_UserIdRequired")]
    public Guid? UserId { get; set; }

    [BindProperty(SupportsGet = true), Required(ErrorMessage = "Confirm_TokenRequired")]
    public string? Token { get; set; }

    [BindProperty, Required(ErrorMessage = "Login_PasswordRequired"), StringLength(200, MinimumLength = 10, ErrorMessage = "Register_PasswordLength")]
    public string? NewPassword { get; set; }

    public void OnGet() => ModelState.Clear();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }
        var result = await identity.ResetPasswordAsync(UserId!.Value, Token!.Trim(), NewPassword!, ct);
        if (!result.Ok)
        {
            AddProblem(result.Problem!, new Dictionary<string, string> { ["newPassword"] = nameof(NewPassword) });
            return Page();
        }
        Flash(T["Reset_Done"]);
        return LocalRedirect(SignInLinks.SignIn("/konto"));
    }
}
