using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Mitreden.Web.Api;
using Mitreden.Web.Infrastructure;
using Mitreden.Web.Sessions;

namespace Mitreden.Web.Pages.Auth;

/// <summary>
/// Closed groups (council members, workshop participants) vote with a one-time code instead of an account: the code
/// becomes a short-lived session of a "code voter" linked to no person.
/// </summary>
[EnableRateLimiting(WebModule.CredentialsRateLimit)]
public sealed class VotingCodeModel(IdentityApi identity, SessionManager sessions) : WebPage
{
    [BindProperty, Required(ErrorMessage = "VotingCode_Required")]
    public string? Code { get; set; }

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
        var result = await identity.RedeemVotingCodeAsync(Code!.Trim(), ct);
        if (!result.Ok)
        {
            ModelState.AddModelError(nameof(Code), result.Status == 429 ? T["Problem_429"] : T["VotingCode_Invalid"]);
            return Page();
        }
        await sessions.SignInAsync(HttpContext, result.Value!);
        Flash(T["VotingCode_Done"]);
        return LocalRedirect(SafeReturnUrl(ReturnUrl));
    }
}
