using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Mitreden.Web.Api;
using Mitreden.Web.Infrastructure;
using Mitreden.Web.Sessions;

namespace Mitreden.Web.Pages.Auth;

[EnableRateLimiting(WebModule.CredentialsRateLimit)]
public sealed class LoginModel(IdentityApi identity, SessionManager sessions) : WebPage
{
    [BindProperty, Required(ErrorMessage = "Login_EmailRequired")]
    public string? Email { get; set; }

    [BindProperty, Required(ErrorMessage = "Login_PasswordRequired"), DataType(DataType.Password)]
    public string? Password { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }
        var result = await identity.PasswordGrantAsync(Email!.Trim(), Password!, ct);
        if (!result.Ok)
        {
            var problem = result.Problem!;
            var locked = problem.Detail?.Contains("locked", StringComparison.OrdinalIgnoreCase) == true;
            ModelState.AddModelError(nameof(Email), problem.Status == 429 ? T["Problem_429"]
                : locked ? T["Login_Locked"] : T["Login_Wrong"]);
            Password = null;
            return Page();
        }
        await sessions.SignInAsync(HttpContext, result.Value!);
        return LocalRedirect(SafeReturnUrl(ReturnUrl));
    }
}
