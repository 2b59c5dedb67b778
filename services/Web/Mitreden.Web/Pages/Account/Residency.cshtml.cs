using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Mitreden.Web.Api;
using Mitreden.Web.Infrastructure;
using Mitreden.Web.Sessions;

namespace Mitreden.Web.Pages.Account;

/// <summary>Residency verification with the one-time letter code the city mailed to the household.</summary>
[EnableRateLimiting(WebModule.CredentialsRateLimit)]
public sealed class ResidencyModel(IdentityApi identity, SessionManager sessions) : WebPage
{
    [BindProperty, Required(ErrorMessage = "LetterCode_Required")]
    public string? Code { get; set; }

    public string? VerifiedDistrict { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }
        var result = await identity.RedeemLetterCodeAsync(Code!.Trim(), ct);
        if (!result.Ok)
        {
            var message = result.Status switch
            {
                409 => T["LetterCode_Used"],
                429 => T["Problem_429"],
                _ => T["LetterCode_Invalid"],
            };
            ModelState.AddModelError(nameof(Code), message);
            return Page();
        }
        VerifiedDistrict = result.Value?.District;
        // Residency and district travel in the access token: renew it so voting sees them at once.
        await sessions.RenewAsync(HttpContext);
        return Page();
    }
}
