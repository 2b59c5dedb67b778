using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Mitreden.Identity.Api.Data;
using Mitreden.Identity.Api.Features.Codes;
using Mitreden.Identity.Api.Features.SignIn;
using Mitreden.Identity.Api.Features.Tokens;

namespace Mitreden.Identity.Api.Pages;

/// <summary>
/// /abstimmungscode (anonymous, through the gateway): closed groups (council members, workshop participants) vote with a
/// one-time code instead of an account. The code becomes Identity's sign-in session of a "code voter" linked to no
/// person, and the authorization request it serves gives the web that voter's tokens. Wrong codes count per address
/// (<see cref="VotingCodeExchange"/>, the same limit as the voting-code grant).
/// </summary>
public sealed class VotingCodeModel(IdentityDb db, IdentitySecrets secrets, IdentitySettings settings, FailureLimiter limiter,
    TimeProvider time, IConfiguration configuration, IStringLocalizer<SignInText> text) : PageModel
{
    [BindProperty]
    public string? Code { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public IActionResult OnGet() =>
        SignInSession.IsAuthorizeUrl(configuration, ReturnUrl) ? Page() : Redirect(SignInSession.WebStart(SignInSession.WebVotingCodeStart, ReturnUrl));

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!SignInSession.IsAuthorizeUrl(configuration, ReturnUrl))
        {
            return Redirect(SignInSession.WebStart(SignInSession.WebVotingCodeStart, ReturnUrl));
        }
        if (string.IsNullOrWhiteSpace(Code))
        {
            ModelState.AddModelError(nameof(Code), text["VotingCode_Required"]);
            return Page();
        }
        var result = await VotingCodeExchange.ExchangeAsync(HttpContext, Code.Trim(), db, secrets, settings, limiter, time, ct);
        if (result.RetryAfter is { } wait)
        {
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Response.Headers.RetryAfter = FailureLimiter.RetryAfterHeader(wait);
            ModelState.AddModelError(nameof(Code), text["Problem_429"]);
            return Page();
        }
        if (result.Claims is not { } claims)
        {
            ModelState.AddModelError(nameof(Code), text["VotingCode_Invalid"]);
            return Page();
        }
        await SignInSession.SignInAsync(HttpContext, SignInSession.ForCodeVoter(claims));
        return LocalRedirect(ReturnUrl!);
    }
}
