using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Mitreden.Web.Api;
using Mitreden.Web.Infrastructure;

namespace Mitreden.Web.Pages.Auth;

[EnableRateLimiting(WebModule.CredentialsRateLimit)]
public sealed class ForgotPasswordModel(IdentityApi identity) : WebPage
{
    [BindProperty, Required(ErrorMessage = "Login_EmailRequired"), EmailAddress(ErrorMessage = "Register_EmailInvalid")]
    public string? Email { get; set; }

    public bool Sent { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }
        var result = await identity.RequestPasswordResetAsync(Email!.Trim(), ct);
        if (!result.Ok)
        {
            AddProblem(result.Problem!, new Dictionary<string, string> { ["email"] = nameof(Email) });
            return Page();
        }
        Sent = true;
        return Page();
    }
}
