using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Mitreden.Identity.Api.Data;
using Mitreden.Identity.Api.Features.Abuse;
using Mitreden.Identity.Api.Features.Codes;
using Mitreden.Identity.Api.Features.Residency;
using Mitreden.Identity.Api.Features.SignIn;

namespace Mitreden.Identity.Api.Pages;

/// <summary>
/// /konto/wohnsitz (an account signed in at Identity, through the gateway): residency with the one-time letter code the city
/// mailed to the household. The person is Identity's own sign-in session (the one the authorization endpoint reads); without
/// one (or with a voting code's, or one a new password ended) the page sends the browser to sign in and back here. Redeeming is
/// <see cref="LetterCodesApi.RedeemForAsync"/>, the same as the JSON API's, with its limits. Then on into the web, whose
/// sign-in start gives its session tokens that carry the new verification and district.
/// </summary>
public sealed class ResidencyModel(IdentityDb db, IdentitySecrets secrets, IdentitySettings settings, FailureLimiter limiter, AttemptGuard guard,
    TimeProvider time, IConfiguration configuration, IStringLocalizer<SignInText> text) : AccountPage(configuration, text)
{
    [BindProperty]
    public string? Code { get; set; }

    public string? VerifiedDistrict { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await AccountAsync(ct) is null ? SignIn() : Page();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await AccountAsync(ct) is not { } userId)
        {
            return SignIn();
        }
        if (string.IsNullOrWhiteSpace(Code))
        {
            ModelState.AddModelError(nameof(Code), Text["LetterCode_Required"]);
            return Page();
        }
        var outcome = await LetterCodesApi.RedeemForAsync(HttpContext, userId, Code.Trim(), db, secrets, settings, limiter, guard, time, ct);
        switch (outcome.Result)
        {
            case LetterCodesApi.Redemption.Redeemed:
                VerifiedDistrict = outcome.District;
                break;
            case LetterCodesApi.Redemption.NoAccount:
                return SignIn();
            case LetterCodesApi.Redemption.TooManyFromAddress or LetterCodesApi.Redemption.TooManyForAccount:
                TooMany(outcome.RetryAfter!.Value, nameof(Code));
                break;
            case LetterCodesApi.Redemption.Used:
                ModelState.AddModelError(nameof(Code), Text["LetterCode_Used"]);
                break;
            default:
                ModelState.AddModelError(nameof(Code), Text["LetterCode_Invalid"]);
                break;
        }
        return Page();
    }

    /// <summary>The account of Identity's sign-in session (<see cref="SignInSession.AccountOfAsync"/>); none without one.</summary>
    private async Task<Guid?> AccountAsync(CancellationToken ct) =>
        (await SignInSession.AccountOfAsync((await HttpContext.AuthenticateAsync(SignInSession.Scheme)).Principal, db, ct))?.Id;

    private RedirectResult SignIn() =>
        Redirect($"{SignInSession.SignInPage}?returnUrl={Uri.EscapeDataString(SignInSession.ResidencyPage)}");
}
